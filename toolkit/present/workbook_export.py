"""Take-away copies of the commissioning-questions workbook and the turning-the-curve worksheet.

Each comes as an Excel workbook (openpyxl) and as one self-contained HTML page that prints cleanly
to A4. The Excel sheets hold the answers with their evidence and actions, the action plan and the
scores (or, for the worksheet, the baseline, forecast and target). Every piece of text the user
typed is made inert (:func:`toolkit.present.spreadsheets.inert`) so that it can never run as a formula,
and is stored as text. The HTML page carries its charts as SVG data images, has no scripts, and
escapes all text; a Content-Security-Policy in the page forbids fetching anything.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from openpyxl import Workbook as ExcelBook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from toolkit.charts.data import RenderedChart
from toolkit.present.html import esc
from toolkit.present.sheets.columns import inert
from toolkit.worksheets.commissioning_questions import (
    FIDELITY_MAX_TOTAL,
    Answer,
    Workbook,
    action_plan,
    answer_label,
    fidelity_total,
    progress,
    section_scores,
)
from toolkit.worksheets.stage_checklist import stage_checklist
from toolkit.worksheets.turning_the_curve import CurveAnalysis, Worksheet, kind_words, show

WORKBOOK_TITLE = "Commissioning questions: our answers, evidence and actions"
WORKSHEET_TITLE = "Turning the curve"


def question_numbers(workbook: Workbook) -> dict[str, str]:
    """Each question's number as shown to users: '3.2' is section 3, question 2."""
    return {
        question.id: f"{s}.{q}"
        for s, section in enumerate(workbook.sections, start=1)
        for q, question in enumerate(section.questions, start=1)
    }


# --------------------------------------------------------------------------------------------
# Excel
# --------------------------------------------------------------------------------------------


def _sheet(book: Any, title: str, headers: Sequence[str], widths: Sequence[int]) -> Any:
    sheet = book.create_sheet(title)
    for index, (header, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = sheet.cell(row=1, column=index, value=header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    return sheet


def _put(sheet: Any, row: int, values: Sequence[Any]) -> None:
    """One row; text is made inert and stored as text, dates and numbers keep their type."""
    for column, value in enumerate(values, start=1):
        if isinstance(value, str):
            value = inert(ILLEGAL_CHARACTERS_RE.sub("", value))
        cell = sheet.cell(row=row, column=column)
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"  # text, whatever it begins with: never a formula
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        elif isinstance(value, dt.date):
            cell.number_format = "yyyy-mm-dd"
        elif isinstance(value, float):
            cell.number_format = "0.0"


def _save(book: Any) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _new_book() -> Any:
    book = ExcelBook()
    book.remove(book.active)
    return book


def _answers_sheet(
    book: Any, workbook: Workbook, answers: Mapping[str, Answer], numbers: Mapping[str, str]
) -> None:
    """Every question with its answer, evidence and action."""
    sheet = _sheet(
        book,
        "Answers",
        (
            "Section",
            "No.",
            "Question",
            "Answer",
            "Evidence notes",
            "Action: what",
            "Action: who",
            "Action: by when",
            "Question id",
        ),
        (28, 6, 70, 22, 50, 40, 22, 14, 28),
    )
    row = 2
    for section, question in workbook.iter_questions():
        answer = answers.get(question.id)
        _put(
            sheet,
            row,
            (
                section.title,
                numbers[question.id],
                question.text,
                answer_label(workbook, question, answer),
                answer.evidence if answer else "",
                answer.action_what if answer else "",
                answer.action_who if answer else "",
                answer.action_by if answer else None,
                question.id,
            ),
        )
        row += 1


def _plan_sheet(
    book: Any, workbook: Workbook, answers: Mapping[str, Answer], numbers: Mapping[str, str]
) -> None:
    """The actions, soonest first."""
    plan = _sheet(
        book,
        "Action plan",
        ("By when", "Action", "Who", "Section", "No.", "Question", "Answer"),
        (14, 50, 24, 28, 6, 60, 20),
    )
    for row, item in enumerate(action_plan(workbook, answers), start=2):
        _put(
            plan,
            row,
            (
                item.by,
                item.what,
                item.who,
                item.section_title,
                numbers[item.question_id],
                item.question_text,
                item.answer_label,
            ),
        )


def _scores_sheet(book: Any, workbook: Workbook, answers: Mapping[str, Answer]) -> None:
    """Each section's score, the overall progress and the IPS-25 total."""
    scores = _sheet(
        book,
        "Scores",
        (
            "Section",
            "Answered",
            "Questions",
            "Scored answers",
            "Mean score (scale's own numbers)",
            "Score (% of the way up the scale)",
        ),
        (48, 11, 11, 11, 18, 18),
    )
    row = 2
    for score in section_scores(workbook, answers):
        _put(
            scores,
            row,
            (
                score.title,
                score.answered,
                score.total,
                score.scored,
                round(score.mean, 2) if score.mean is not None else None,
                round(score.percent, 1) if score.percent is not None else None,
            ),
        )
        row += 1
    done = progress(workbook, answers)
    fidelity = fidelity_total(workbook, answers)
    row += 1
    _put(scores, row, ("Overall", done.answered, done.total))
    row += 2
    _put(scores, row, ("IPS-25 fidelity total", fidelity.total, FIDELITY_MAX_TOTAL))
    _put(scores, row + 1, ("IPS-25 band", fidelity.band_label or fidelity.text()))
    checklist = stage_checklist(workbook, answers)
    if checklist.items:
        row += 2
        _put(scores, row + 1, ("Supported employment stage checklist", checklist.text()))
        _put(scores, row + 2, ("", checklist.caveat()))
    _put(
        scores,
        row + 3,
        (
            "Scores: Yes/Can report 2, Partly 1, No/Cannot 0; ratings 1 to 5 as rated. Don't know "
            "is answered but not scored. The % puts every scale on 0 to 100 so sections can be "
            "compared. Text beginning with = + - @ has a leading apostrophe so it cannot run as "
            "a formula.",
        ),
    )


def workbook_xlsx(
    workbook: Workbook, answers: Mapping[str, Answer], kept_aside: Sequence[str] = ()
) -> bytes:
    """Answers (with evidence and actions), the action plan and the scores, as .xlsx bytes.

    ``kept_aside`` lines (answers the current questions no longer fit) get a sheet of their own.
    """
    numbers = question_numbers(workbook)
    book = _new_book()
    _answers_sheet(book, workbook, answers, numbers)
    _plan_sheet(book, workbook, answers, numbers)
    _scores_sheet(book, workbook, answers)
    if kept_aside:
        aside = _sheet(book, "Kept aside", ("Kept aside when the questions changed",), (120,))
        for row, line in enumerate(kept_aside, start=2):
            _put(aside, row, (line,))
    return _save(book)


def worksheet_xlsx(
    worksheet: Worksheet,
    fields: Mapping[str, str],
    actions: Sequence[Mapping[str, str]],
    analysis: CurveAnalysis,
    kept_aside: Sequence[str] = (),
) -> bytes:
    """The worksheet's answers, its action plan and its figures, as .xlsx bytes."""
    book = _new_book()
    sheet = _sheet(book, "Worksheet", ("Step", "Prompt", "Your answer"), (30, 50, 90))
    row = 2
    for step, item in worksheet.iter_fields():
        text = fields.get(item.id, "")
        if item.kind == "choice":
            text = worksheet.option_label(item.id, text) if text else ""
        _put(sheet, row, (step.title, item.label, text))
        row += 1

    columns = worksheet.action_step.action_columns
    plan = _sheet(book, "Action plan", [c.label for c in columns], [50, 26, 26, 20][: len(columns)])
    for row, action in enumerate(_filled(actions), start=2):
        _put(plan, row, [action.get(c.id, "") for c in columns])

    rate = analysis.kind == "rate"
    unit = "Job outcome rate (%)" if rate else "Job outcomes"
    figures = _sheet(book, "Figures", ("Year", "What", unit), (12, 44, 18))
    row = 2
    rows = [(p.label, "Baseline (your figures)", p.value) for p in analysis.baseline.points]
    if analysis.forecast is not None:
        rows += [
            (p.label, "Forecast if nothing changes (straight-line trend)", p.value)
            for p in analysis.forecast.points
        ]
    if analysis.target is not None:
        rows.append((analysis.target.label, "Target", analysis.target.value))
    for label, what, value in rows:
        _put(figures, row, (label, what, round(value * 100, 1) if rate else round(value, 1)))
        row += 1
    row += 1
    for sentence in analysis.sentences():
        _put(figures, row, (sentence,))
        row += 1
    _put(
        figures,
        row + 1,
        (
            "The forecast is an ordinary least squares straight line through the baseline "
            "years, extended three years; it assumes the average change so far carries on.",
        ),
    )
    if kept_aside:
        aside = _sheet(book, "Kept aside", ("Kept aside when the worksheet changed",), (120,))
        for row, line in enumerate(kept_aside, start=2):
            _put(aside, row, (line,))
    return _save(book)


def _filled(actions: Iterable[Mapping[str, str]]) -> list[Mapping[str, str]]:
    return [row for row in actions if any(str(v).strip() for v in row.values())]


# --------------------------------------------------------------------------------------------
# Printable HTML
# --------------------------------------------------------------------------------------------

PRINT_CSS = """
:root { color-scheme: light; }
html { font-family: "DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif;
  font-size: 10.5pt; line-height: 1.45; color: #1a1a1a; background: #ffffff; }
body { margin: 0 auto; padding: 12mm; max-width: 190mm; }
h1 { font-size: 19pt; line-height: 1.2; margin: 0 0 2mm; }
h2 { font-size: 14pt; margin: 7mm 0 2mm; padding-bottom: 1mm; border-bottom: 2px solid #0072B2;
  break-after: avoid; }
h3 { font-size: 11.5pt; margin: 4mm 0 1mm; break-after: avoid; }
p, li { margin: 0 0 1.5mm; }
.meta, .note { color: #404040; }
.note { font-size: 9pt; }
table { border-collapse: collapse; width: 100%; margin: 1.5mm 0 3mm; font-size: 9pt; }
caption { text-align: left; font-weight: 700; padding: 0 0 1mm; }
th, td { border: 1px solid #8c8c8c; padding: 1.2mm 1.6mm; text-align: left; vertical-align: top; }
thead th { background: #e8f1f8; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.answer { margin: 0 0 3mm; padding: 0 0 2mm; border-bottom: 1px solid #d0d0d0;
  break-inside: avoid; }
.answer p { margin: 0.5mm 0; }
.text { white-space: pre-wrap; }
.box { border-left: 4px solid #0072B2; background: #f5f9fc; padding: 2mm 3mm; margin: 3mm 0; }
figure { margin: 3mm 0 5mm; break-inside: avoid; }
figure img { display: block; max-width: 100%; max-height: 200mm; width: auto; height: auto; }
figcaption { margin-top: 2mm; }
@page { size: A4; margin: 15mm 14mm 17mm 14mm; }
@media print {
  html { font-size: 10pt; }
  body { padding: 0; max-width: none; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def _page(title: str, body: str, today: dt.date | None = None) -> str:
    today = today or dt.date.today()
    return (
        '<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "img-src data:; style-src 'unsafe-inline'\">\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<style>{PRINT_CSS}</style>\n</head>\n<body>\n"
        f"<h1>{esc(title)}</h1>\n"
        f'<p class="meta">Prepared on {esc(today.strftime("%d %B %Y").lstrip("0"))} with the '
        "employment support benchmarking toolkit.</p>\n"
        f"{body}\n</body>\n</html>\n"
    )


def _figure(chart: RenderedChart) -> str:
    return (
        f"<figure>{chart.img_tag()}<figcaption><strong>In words:</strong> "
        f"{esc(chart.summary)}</figcaption></figure>"
    )


def _text(value: str) -> str:
    return f'<span class="text">{esc(value)}</span>' if value.strip() else "<em>(blank)</em>"


def _table(caption: str, headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in headers)
    body = "".join(
        "<tr>" + "".join(f'<td class="text">{esc(cell)}</td>' for cell in row) + "</tr>"
        for row in rows
    )
    return (
        f"<table><caption>{esc(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )


def _kept_aside_html(lines: Sequence[str]) -> str:
    if not lines:
        return ""
    items = "".join(f"<li>{esc(line)}</li>" for line in lines)
    return f'<h2>Kept aside when the questions changed</h2><div class="box"><ul>{items}</ul></div>'


def workbook_html(
    workbook: Workbook,
    answers: Mapping[str, Answer],
    charts: Sequence[RenderedChart] = (),
    kept_aside: Sequence[str] = (),
    title: str = WORKBOOK_TITLE,
    today: dt.date | None = None,
) -> str:
    """The workbook as one printable page: summary, charts, action plan, then every answer."""
    numbers = question_numbers(workbook)
    done = progress(workbook, answers)
    fidelity = fidelity_total(workbook, answers)
    checklist = stage_checklist(workbook, answers)
    checklist_html = (
        f"<p>Supported employment stage checklist: {esc(checklist.text())} "
        f"{esc(checklist.caveat())}</p>"
        if checklist.items
        else ""
    )
    parts = [
        '<div class="box">'
        f"<p><strong>{esc(done.text())}</strong> across {len(workbook.sections)} sections.</p>"
        f"<p>IPS-25 fidelity total: {esc(fidelity.text())}</p>{checklist_html}</div>"
    ]
    parts.append("<h2>Summary</h2>")
    parts += [_figure(chart) for chart in charts]
    score_rows = [
        (
            score.title,
            f"{score.answered} of {score.total}",
            f"{score.percent:.0f}%" if score.percent is not None else "no scored answer",
        )
        for score in section_scores(workbook, answers)
    ]
    parts.append(
        _table("Progress and scores by section", ("Section", "Answered", "Score"), score_rows)
    )
    plan = action_plan(workbook, answers)
    parts.append("<h2>Action plan</h2>")
    if plan:
        parts.append(
            _table(
                "Actions from the answers, soonest first",
                ("By when", "Action", "Who", "Question"),
                (
                    (
                        item.by.isoformat() if item.by else "no date",
                        item.what,
                        item.who,
                        f"{numbers[item.question_id]} {item.question_text}",
                    )
                    for item in plan
                ),
            )
        )
    else:
        parts.append("<p>No actions yet.</p>")
    parts.append(_kept_aside_html(kept_aside))
    for section in workbook.sections:
        section_done = done.section(section.id)
        parts.append(f"<h2>{esc(section.title)}</h2>")
        parts.append(f'<p class="meta">{esc(section_done.text())}</p>')
        for question in section.questions:
            answer = answers.get(question.id)
            lines = [
                f"<h3>{esc(numbers[question.id])} {esc(question.text)}</h3>",
                f"<p><strong>Answer:</strong> {esc(answer_label(workbook, question, answer))}</p>",
            ]
            if answer and answer.evidence.strip():
                lines.append(f"<p><strong>Evidence:</strong> {_text(answer.evidence)}</p>")
            if answer and answer.has_action:
                by = answer.action_by.isoformat() if answer.action_by else "no date"
                lines.append(
                    f"<p><strong>Action:</strong> {_text(answer.action_what)} "
                    f"(<strong>who:</strong> {esc(answer.action_who or 'not given')}; "
                    f"<strong>by:</strong> {esc(by)})</p>"
                )
            parts.append(f'<div class="answer">{"".join(lines)}</div>')
    return _page(title, "\n".join(parts), today)


def worksheet_html(
    worksheet: Worksheet,
    fields: Mapping[str, str],
    actions: Sequence[Mapping[str, str]],
    analysis: CurveAnalysis,
    charts: Sequence[RenderedChart] = (),
    kept_aside: Sequence[str] = (),
    today: dt.date | None = None,
) -> str:
    """The worksheet as one printable page, step by step, with the chart after the baseline."""
    parts = []
    indicator_step = next(
        (step.id for step, item in worksheet.iter_fields() if item.id == "baseline"), None
    )
    for step in worksheet.steps:
        parts.append(f"<h2>{esc(step.title)}</h2>")
        for item in step.fields:
            text = fields.get(item.id, "")
            if item.kind == "choice":
                text = worksheet.option_label(item.id, text) if text else ""
            parts.append(f"<h3>{esc(item.label)}</h3><p>{_text(text)}</p>")
        if step.id == indicator_step:
            parts += [_figure(chart) for chart in charts]
            parts.append(_curve_table(analysis))
            sentences = "".join(f"<li>{esc(s)}</li>" for s in analysis.sentences())
            problems = "".join(f"<li>{esc(p)}</li>" for p in analysis.problems)
            parts.append(f'<div class="box"><ul>{sentences}</ul></div>')
            if problems:
                parts.append(f"<p><strong>Could not be read:</strong></p><ul>{problems}</ul>")
        if step.evidence:
            items = "".join(
                f"<li><strong>{esc(point.title)}.</strong> {esc(point.text)} "
                f'<span class="note">(Source: {esc(point.source.document)}, '
                f"{esc(point.source.section)})</span></li>"
                for point in step.evidence
            )
            parts.append(f"<h3>The evidence</h3><ul>{items}</ul>")
        if step.action_columns:
            filled = _filled(actions)
            if filled:
                parts.append(
                    _table(
                        "Action plan",
                        [c.label for c in step.action_columns],
                        ([row.get(c.id, "") for c in step.action_columns] for row in filled),
                    )
                )
            else:
                parts.append("<p>No actions yet.</p>")
    if kept_aside:
        items = "".join(f"<li>{esc(line)}</li>" for line in kept_aside)
        parts.append(
            f'<h2>Kept aside when the worksheet changed</h2><div class="box"><ul>{items}</ul></div>'
        )
    title = f"{WORKSHEET_TITLE}: {analysis.indicator}" if analysis.indicator else WORKSHEET_TITLE
    return _page(title, "\n".join(parts), today)


def _curve_table(analysis: CurveAnalysis) -> str:
    rows = [
        (p.label, "Your figure", show(p.value, analysis.kind)) for p in analysis.baseline.points
    ]
    if analysis.forecast is not None:
        rows += [
            (p.label, "Forecast if nothing changes", show(p.value, analysis.kind))
            for p in analysis.forecast.points
        ]
    if analysis.target is not None:
        rows.append((analysis.target.label, "Target", show(analysis.target.value, analysis.kind)))
    if not rows:
        return ""
    return _table(
        f"Baseline, forecast and target: {kind_words(analysis.kind).words}",
        ("Year", "What", "Figure"),
        rows,
    )
