"""The commissioning-questions workbook app: widgets (view) and glue.

The questions, scales and scoring come from :mod:`toolkit.worksheets.commissioning_questions`; the charts from
:mod:`toolkit.charts.specs`; the take-away copies from :mod:`toolkit.present.workbook_export`. State is what the
user gave: the answers (as :func:`toolkit.worksheets.commissioning_questions.answers_to_json`), anything kept aside when the
questions changed, and the section on screen. Each change is saved under a private resume id.

Each answer is a drop-down list whose label is the question itself, so the question is the
control's accessible name (ipywidgets' radio buttons have no group name for assistive technology,
so they are not used). Sections are built when first opened, so the page stays light.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Mapping
from typing import Any

import ipywidgets as w
from ipywidgets.widgets.widget_description import DescriptionStyle
from ipywidgets.widgets.widget_string import TextStyle

from toolkit.charts import specs as charts
from toolkit.present.workbook_export import question_numbers, workbook_html, workbook_xlsx
from toolkit.ui import views
from toolkit.ui.form_app import FORM_CSS, XLSX_MIME, FormApp
from toolkit.worksheets.commissioning_questions import (
    Answer,
    Question,
    Section,
    Workbook,
    WorkbookContentError,
    action_plan,
    answers_to_json,
    fidelity_total,
    load_workbook,
    progress,
    reconcile,
    section_scores,
)
from toolkit.worksheets.stage_checklist import stage_checklist

APP = "commissioning_questions"
PAGE = "commissioning_questions.ipynb"
NOT_ANSWERED = "Not answered"
COMPLETE = "\u2714 Complete"
ANSWER_FIELDS = ("value", "evidence", "action_what", "action_who", "action_by")


def restore_answers(
    workbook: Workbook, saved: Mapping[str, Any] | None
) -> tuple[dict[str, Answer], dict[str, Any], list[str]]:
    """Saved answers against the current questions: (answers, kept aside, lines to show).

    Uses :func:`toolkit.worksheets.commissioning_questions.reconcile`. Anything that does not fit the current questions
    (an answer to a removed question, a value no longer on a question's scale, a part that could
    not be read) is kept aside as it was saved, and stays kept aside in later saves. A kept-aside
    answer whose question has come back, and has no answer yet, is put back.
    """
    if not isinstance(saved, Mapping):
        return {}, {}, []
    raw = saved.get("answers")
    raw = dict(raw) if isinstance(raw, Mapping) else {}
    answers, report = reconcile(workbook, raw)
    kept: dict[str, Any] = {}
    for qid, entry in raw.items():
        answer = answers.get(qid)
        if answer is None and not _has_content(entry):
            continue  # an empty record for a removed question: nothing to keep
        if answer is None or not _restored_in_full(answer, entry):
            kept[qid] = entry
    reported_now = set(kept)
    old = saved.get("kept_aside")
    for qid, entry in old.items() if isinstance(old, Mapping) else []:
        question = workbook.question(qid)
        if question is not None and qid not in answers and qid not in kept:
            back, problems = reconcile(workbook, {qid: entry})
            if qid in back and not problems:
                answers[qid] = back[qid]
                report.append(
                    f"Your earlier answer to \"{question.text}\" (id '{qid}'), kept aside when "
                    "the question was removed, is back in place now that the question has "
                    "returned."
                )
                continue
        kept.setdefault(qid, entry)
        if qid not in reported_now:
            report.append(_earlier_line(workbook, qid, entry))
    return answers, kept, report


def _restored_in_full(answer: Answer, entry: Any) -> bool:
    """True when every part of the saved record came back unchanged in ``answer``."""
    if not isinstance(entry, Mapping):
        return False
    restored = answer.model_dump(mode="json")
    return all(
        value in (None, "") or restored.get(key) == value
        for key, value in entry.items()
        if key != "question_id"
    )


def _has_content(entry: Any) -> bool:
    if not isinstance(entry, Mapping):
        return entry not in (None, "")
    return any(value not in (None, "") for key, value in entry.items() if key != "question_id")


def _earlier_line(workbook: Workbook, qid: str, entry: Any) -> str:
    question = workbook.question(qid)
    shown = ", ".join(
        f"{key}: '{value}'"
        for key, value in (entry.items() if isinstance(entry, Mapping) else [("record", entry)])
        if value not in (None, "") and key != "question_id"
    )
    about = f'to "{question.text}"' if question else "to a question that has been removed"
    return f"Kept aside on an earlier visit: your answer {about} (id '{qid}'): {shown}."


def blank_state(workbook: Workbook) -> dict[str, Any]:
    return {"answers": {}, "kept_aside": {}, "section": workbook.sections[0].id}


class CommissioningQuestionsApp(FormApp):
    """Answer the commissioning questions section by section; see progress, scores and actions."""

    APP = APP
    PAGE = PAGE
    SAVED_WHAT = "answers"

    def __init__(
        self,
        store: Any | None = None,
        token: str | None = None,
        workbook: Workbook | None = None,
        chart_delay: float = 0.3,
    ):
        self._start_form(store, chart_delay)
        self.token = token
        self.content_error: WorkbookContentError | None = None
        try:
            self.workbook = workbook if workbook is not None else load_workbook()
        except WorkbookContentError as exc:
            self.content_error = exc
            self._build_error(
                "Commissioning questions", "The questions could not be loaded.", exc.problems
            )
            return
        saved = self.open_token(token)
        self.answers, self.kept_aside, self.report = restore_answers(self.workbook, saved)
        section = saved.get("section") if isinstance(saved, Mapping) else None
        self.section_id: str = (
            str(section) if self.workbook.section(str(section)) else self.workbook.sections[0].id
        )
        self.numbers = question_numbers(self.workbook)
        self.controls: dict[str, dict[str, w.Widget]] = {}
        self.panels: dict[str, w.Widget] = {}
        self.rendered: list[charts.RenderedChart] = []
        self._chart_key: Any = None
        self._build()
        self.show_section(self.section_id, save=False)
        self.refresh()

    # ---------- view ----------
    def _build(self) -> None:
        self._layout_wide = w.Layout(width="46em", max_width="100%")
        self._layout_auto = w.Layout(width="auto")
        self._text_style = TextStyle(description_width="initial")
        self._desc_style = DescriptionStyle(description_width="initial")
        header = w.HTML(
            views.CSS + FORM_CSS + "<h1>Commissioning questions</h1>"
            "<p>Work through the questions with colleagues. For each one choose the answer that "
            "fits your area best, note the evidence behind it, and say what you will do about it: "
            "what, who and by when. Your answers are saved as you go, and the summary below "
            "gathers your scores and an action plan.</p>"
        )
        self.notice = w.HTML()
        self.progress_line = w.HTML()
        self.section_picker = w.Dropdown(
            description="Section",
            options=[
                (f"{index}. {section.title}", section.id)
                for index, section in enumerate(self.workbook.sections, start=1)
            ],
            style=self._desc_style,
            layout=w.Layout(width="40em", max_width="100%"),
        )
        self.section_picker.observe(self._on_pick, names="value")
        self.previous_button = w.Button(
            description="Previous section", icon="arrow-left", tooltip="Go to the previous section"
        )
        self.next_button = w.Button(
            description="Next section", icon="arrow-right", tooltip="Go to the next section"
        )
        self.previous_button.on_click(lambda _: self.move(-1))
        self.next_button.on_click(lambda _: self.move(1))
        self.section_box = w.VBox()
        self.section_progress = w.HTML()
        self.progress_table = w.HTML()
        self.charts_box = w.HTML("<p>The charts appear here once you start answering.</p>")
        self.fidelity_line = w.HTML()
        self.checklist_line = w.HTML()
        self.plan_box = w.HTML()
        self.aside_box = w.HTML()
        self.resume = w.HTML(self.resume_html())
        self.downloads = w.HTML(
            "<p>Download links for your answers appear here once you start answering.</p>"
        )
        self.widget = w.VBox(
            [
                header,
                self.notice,
                self.progress_line,
                w.HBox(
                    [self.section_picker, self.previous_button, self.next_button],
                    layout=w.Layout(flex_flow="row wrap", align_items="center"),
                ),
                self.section_progress,
                self.section_box,
                w.HTML("<h2>Summary of your answers</h2>"),
                self.progress_table,
                self.charts_box,
                self.fidelity_line,
                self.checklist_line,
                w.HTML("<h2>Action plan</h2>"),
                self.plan_box,
                self.aside_box,
                w.HTML("<h2>Keep, share and take away</h2>"),
                self.resume,
                self.downloads,
            ],
            layout=w.Layout(padding="0 1em"),
        )
        self.widget.add_class("toolkit-app")

    def _section_panel(self, section: Section) -> w.Widget:
        boxes: list[w.Widget] = [
            w.HTML(
                f"<h2>{views.esc(section.title)}</h2><p>{views.esc(section.intro)}</p>"
                f'<p class="toolkit-note">Source: {views.esc(section.source.document)}, '
                f"{views.esc(section.source.section)}</p>"
            )
        ]
        group = None
        for question in section.questions:
            if question.group and question.group != group:
                group = question.group
                boxes.append(w.HTML(f"<h3>{views.esc(group)}</h3>"))
            boxes.append(self._question_box(question))
        return w.VBox(boxes)

    def _question_box(self, question: Question) -> w.Widget:
        qid = question.id
        number = self.numbers[qid]
        scale = self.workbook.scale(question.scale)
        answer = self.answers.get(qid) or Answer(question_id=qid)
        value = answer.value if scale.option(answer.value) else ""
        choice = w.Dropdown(
            description=f"{number} {question.text}",
            options=[(NOT_ANSWERED, "")]
            + [(option.label, option.value) for option in scale.options],
            value=value or "",
            style=self._desc_style,
            layout=self._layout_wide,
        )
        choice.add_class("toolkit-stacked")
        choice.add_class("toolkit-question-text")
        help_button = w.Checkbox(
            description=f"Show help with {number}",
            value=False,
            indent=False,
            tooltip="Why this question matters and what the answers mean",
            layout=self._layout_auto,
        )
        help_text = w.HTML()
        help_button.observe(
            lambda change: setattr(
                help_text, "value", self._help_html(question) if change["new"] else ""
            ),
            names="value",
        )
        evidence = w.Textarea(
            description=f"Evidence notes ({number})",
            value=answer.evidence,
            placeholder="What tells you this? e.g. the strategy document, contract terms, data",
            style=self._text_style,
            layout=self._layout_wide,
        )
        evidence.add_class("toolkit-stacked")
        what = w.Text(
            description=f"Action: what ({number})",
            value=answer.action_what,
            placeholder="What will be done",
            style=self._text_style,
            layout=w.Layout(width="24em", max_width="100%"),
        )
        who = w.Text(
            description=f"Action: who ({number})",
            value=answer.action_who,
            placeholder="Who will lead it",
            style=self._text_style,
            layout=w.Layout(width="14em", max_width="100%"),
        )
        by = w.DatePicker(
            description=f"Action: by when ({number})",
            value=answer.action_by,
            style=self._desc_style,
            layout=w.Layout(width="14em", max_width="100%"),
        )
        for control in (what, who, by):
            control.add_class("toolkit-stacked")
        controls = {
            "value": choice,
            "evidence": evidence,
            "action_what": what,
            "action_who": who,
            "action_by": by,
            "help": help_button,
            "help_text": help_text,
        }
        for name, control in controls.items():
            if name in ANSWER_FIELDS:
                control.observe(
                    lambda change, q=qid, f=name: self._on_change(q, f, change["new"]),
                    names="value",
                )
        self.controls[qid] = controls
        box = w.VBox(
            [
                choice,
                w.HBox([help_button]),
                help_text,
                evidence,
                w.HBox([what, who, by], layout=w.Layout(flex_flow="row wrap", grid_gap="0 12px")),
            ]
        )
        box.add_class("toolkit-question")
        return box

    def _help_html(self, question: Question) -> str:
        scale = self.workbook.scale(question.scale)
        meanings = "".join(
            f"<li><strong>{views.esc(option.label)}</strong>"
            + (f": {views.esc(option.meaning)}" if option.meaning else "")
            + "</li>"
            for option in scale.options
        )
        return (
            f'<div class="toolkit-help"><p>{views.esc(question.help)}</p>'
            f"<p>The answers:</p><ul>{meanings}</ul>"
            f'<p class="toolkit-note">Source: {views.esc(question.source.document)}, '
            f"{views.esc(question.source.section)}</p></div>"
        )

    # ---------- glue: user actions ----------
    @property
    def state(self) -> dict[str, Any]:
        """What is saved: the answers, anything kept aside, and the section on screen."""
        return {
            "answers": answers_to_json(self.answers),
            "kept_aside": copy.deepcopy(self.kept_aside),
            "section": self.section_id,
        }

    def _on_change(self, qid: str, field: str, value: Any) -> None:
        if self._loading:
            return
        if field == "value":
            value = value or None
        elif field == "action_by":
            value = value if isinstance(value, dt.date) else None
        else:
            value = "" if value is None else str(value)
        current = self.answers.get(qid) or Answer(question_id=qid)
        updated = Answer.model_validate({**current.model_dump(), field: value})
        if updated.has_content:
            self.answers[qid] = updated
        else:
            self.answers.pop(qid, None)
        self.save()
        self.refresh()

    def _on_pick(self, change: dict[str, Any]) -> None:
        if self._loading or change["new"] is None:
            return
        self.show_section(change["new"])

    def move(self, step: int) -> None:
        """Go to the previous (-1) or next (+1) section."""
        ids = [section.id for section in self.workbook.sections]
        index = min(max(ids.index(self.section_id) + step, 0), len(ids) - 1)
        self.show_section(ids[index])

    def show_section(self, section_id: str, save: bool = True) -> None:
        """Put a section on screen (building its questions the first time)."""
        section = self.workbook.section(section_id)
        if section is None:
            return
        self.section_id = section_id
        if section_id not in self.panels:
            self.panels[section_id] = self._section_panel(section)
        self.section_box.children = (self.panels[section_id],)
        self._loading = True
        try:
            self.section_picker.value = section_id
        finally:
            self._loading = False
        ids = [item.id for item in self.workbook.sections]
        self.previous_button.disabled = ids.index(section_id) == 0
        self.next_button.disabled = ids.index(section_id) == len(ids) - 1
        if save and self.token:
            self.save()  # remember the place, once there is something saved
        self.refresh_progress()

    def answer(self, question_id: str, **fields: Any) -> None:
        """Answer a question as a user would, through its controls (tests and imports).

        ``fields`` may hold value, evidence, action_what, action_who and action_by.
        """
        section = self.workbook.section_of(question_id)
        if section is None:
            raise KeyError(question_id)
        if question_id not in self.controls:
            self.show_section(section.id)
        for name, value in fields.items():
            control = self.controls[question_id][name]
            control.value = "" if (name == "value" and value is None) else value

    # ---------- glue: results ----------
    def refresh_progress(self) -> None:
        done = progress(self.workbook, self.answers)
        here = done.section(self.section_id)
        self.progress_line.value = (
            f'<p class="toolkit-progress" aria-live="polite">Overall: {views.esc(done.text())}'
            f" \u00b7 This section: {views.esc(here.text())}</p>"
        )
        self.section_progress.value = ""
        rows = "".join(
            f'<tr><th scope="row">{views.esc(item.title)}</th>'
            f"<td>{views.esc(item.text())}</td>"
            f"<td>{COMPLETE if item.complete else ''}</td></tr>"
            for item in done.sections
        )
        self.progress_table.value = (
            f"<table><caption>Progress by section ({views.esc(done.text())} overall)</caption>"
            '<tr><th scope="col">Section</th><th scope="col">Answered</th>'
            f'<th scope="col">Complete?</th></tr>{rows}</table>'
        )

    def refresh(self) -> None:
        """Progress, the fidelity total, the action plan and what was kept aside."""
        self.refresh_progress()
        self.notice.value = self.notice_html()
        fidelity = fidelity_total(self.workbook, self.answers)
        band = fidelity.band
        meaning = f" {views.esc(band.meaning)}" if band and band.meaning else ""
        self.fidelity_line.value = (
            "<p><strong>IPS-25 fidelity total:</strong> "
            f"{views.esc(fidelity.text().rstrip('.'))}.{meaning}</p>"
        )
        checklist = stage_checklist(self.workbook, self.answers)
        self.checklist_line.value = (
            "<p><strong>Supported employment stage checklist:</strong> "
            f"{views.esc(checklist.text())}</p>"
            f'<p class="toolkit-note">{views.esc(checklist.caveat())}</p>'
            if checklist.items
            else ""
        )
        self.plan_box.value = self._plan_html()
        if self.report:
            items = "".join(f"<li>{views.esc(line)}</li>" for line in self.report)
            self.aside_box.value = (
                '<div class="toolkit-aside" role="status"><h2>Answers kept aside</h2>'
                "<p>The questions have changed since these answers were saved. Nothing has been "
                "thrown away: these stay saved with your answers and appear in your downloads."
                f"</p><ul>{items}</ul></div>"
            )
        else:
            self.aside_box.value = ""
        self._charts_later()

    def _plan_html(self) -> str:
        plan = action_plan(self.workbook, self.answers)
        if not plan:
            return (
                "<p>No actions yet. Add an action under any question (what, who and by when) "
                "and it appears here.</p>"
            )
        rows = "".join(
            "<tr>"
            f"<td>{views.esc(item.by.strftime('%d %b %Y') if item.by else 'No date')}</td>"
            f"<td>{views.esc(item.what)}</td><td>{views.esc(item.who)}</td>"
            f"<td>{views.esc(self.numbers[item.question_id])} "
            f"{views.esc(item.question_text)}</td><td>{views.esc(item.answer_label)}</td>"
            "</tr>"
            for item in plan
        )
        return (
            "<table><caption>Actions gathered from your answers, soonest first</caption>"
            '<tr><th scope="col">By when</th><th scope="col">What</th><th scope="col">Who</th>'
            f'<th scope="col">Question</th><th scope="col">Answer</th></tr>{rows}</table>'
        )

    def render_charts(self) -> None:
        """Draw the charts (after a pause in answering) and refresh the downloads."""
        scores = section_scores(self.workbook, self.answers)
        fidelity = fidelity_total(self.workbook, self.answers)
        key = (scores, fidelity)
        if key == self._chart_key:  # e.g. only notes changed: the charts are the same
            self.refresh_downloads()
            return
        self._chart_key = key
        figures = [
            (
                "sections",
                "Answers by section",
                charts.section_chart(scores),
                charts.section_chart_summary(scores),
            ),
        ]
        if fidelity.items:
            figures.append(
                (
                    "fidelity",
                    "IPS fidelity: total score against its bands",
                    charts.fidelity_chart(
                        fidelity.total, fidelity.rated, fidelity.items, self.workbook.fidelity_bands
                    ),
                    charts.fidelity_chart_summary(
                        fidelity.total, fidelity.rated, fidelity.items, self.workbook.fidelity_bands
                    ),
                )
            )
        self.rendered = [
            charts.RenderedChart(key, title, charts.chart_svg(chart), summary)
            for key, title, chart, summary in figures
        ]
        self.charts_box.value = "".join(views.chart_html(chart) for chart in self.rendered)
        self.refresh_downloads()

    def refresh_downloads(self) -> None:
        links = [
            views.download_link(
                "Your answers, evidence, actions and scores (Excel)",
                "commissioning-questions.xlsx",
                XLSX_MIME,
                workbook_xlsx(self.workbook, self.answers, self.report),
            ),
            views.download_link(
                "Printable copy of your answers (HTML, prints to A4)",
                "commissioning-questions.html",
                "text/html",
                workbook_html(self.workbook, self.answers, self.rendered, self.report).encode(),
            ),
        ]
        done = progress(self.workbook, self.answers)
        actions = len(action_plan(self.workbook, self.answers))
        self.downloads.value = self.downloads_with_note(
            f"These copies hold {done.text()} and {actions} action{'' if actions == 1 else 's'}, "
            "as things stood when you last paused.",
            links,
        )


def build_app(store: Any | None = None, token: str | None = None) -> CommissioningQuestionsApp:
    """The app for a page request (store defaults to the toolkit's store)."""
    if store is None:
        from toolkit.network.store import default_store

        store = default_store()
    return CommissioningQuestionsApp(store=store, token=token)


def warm_up() -> None:
    """Load the chart renderer and the questions before a page is requested (preheating)."""
    charts.warm_up()
    load_workbook()
