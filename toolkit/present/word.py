"""Word (.docx) versions of the learning network's papers (summary and action paper, briefing pack), written with python-docx.

Headings use Word's own heading styles (so the navigation pane and a table of contents
work), tables use the built-in "Table Grid" style with a repeated header row, and the
page is A4 with 2 cm margins.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document
from docx.document import Document as DocumentType
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import _Row

from toolkit.network.programme.models import Briefing
from toolkit.network.programme.paper import Paper, long_date
from toolkit.present.programme_paper import pooled_rows

A4_WIDTH_CM, A4_HEIGHT_CM, MARGIN_CM = 21.0, 29.7, 2.0


def _new_document(title: str) -> DocumentType:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(A4_WIDTH_CM), Cm(A4_HEIGHT_CM)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(MARGIN_CM))
    document.styles["Normal"].font.name = "Arial"
    document.styles["Normal"].font.size = Pt(11)
    document.core_properties.title = title
    document.core_properties.author = "Employment support benchmarking toolkit"
    return document


def _repeat_header(row: _Row) -> None:
    properties = row._tr.get_or_add_trPr()  # python-docx has no API for "repeat header row"
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    properties.append(flag)


def _table(document: DocumentType, headings: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    table = document.add_table(rows=1, cols=len(headings))
    table.style = "Table Grid"
    for cell, heading in zip(table.rows[0].cells, headings, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(heading).bold = True
    _repeat_header(table.rows[0])
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = str(value)
    document.add_paragraph()


def paper_docx(paper: Paper) -> bytes:
    """The summary and action paper as a Word document."""
    document = _new_document(paper.title)
    document.add_heading(paper.title, level=0)
    document.add_paragraph(paper.date)

    document.add_heading("About the programme", level=1)
    document.add_paragraph(paper.introduction.text)

    document.add_heading("Priority issues", level=1)
    document.add_paragraph(paper.priorities_paragraph.text)
    _table(
        document,
        ["Rank", "Issue", "Mean score (1–5)", "Ratings", "Spread", "Theme for the sets"],
        [
            [str(r.rank), r.issue, r.mean, str(r.ratings), r.spread, "Yes" if r.chosen else "No"]
            for r in paper.priorities
        ],
    )

    document.add_heading("What the sets found", level=1)
    if not paper.findings:
        document.add_paragraph("No meetings have been held yet.")
    for finding in paper.findings:
        document.add_heading(finding.theme, level=2)
        document.add_paragraph(finding.where).runs[0].italic = True
        document.add_paragraph(finding.paragraph.text)
        for heading, items in finding.lists:
            document.add_heading(heading, level=3)
            for item in items:
                document.add_paragraph(item, style="List Bullet")

    document.add_heading("Actions, by who needs to act", level=1)
    for group in paper.actions:
        document.add_heading(group.heading, level=2)
        document.add_paragraph(group.paragraph.text)
        if group.actions:
            _table(
                document,
                ["Action", "Who", "Due", "Status"],
                [[a.what, a.who, a.due, a.status] for a in group.actions],
            )

    document.add_heading("What members said about the programme", level=1)
    document.add_paragraph(paper.feedback.text)
    document.add_paragraph(paper.closing.text)

    document.add_heading("Sources", level=1)
    document.add_paragraph("The way this network ran follows practice described in:")
    for source in paper.sources:
        document.add_paragraph(source, style="List Bullet")

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def briefing_docx(briefing: Briefing) -> bytes:
    """A meeting's briefing pack as a Word document (the same content as the HTML pack)."""
    meeting = briefing.meeting
    title = f"Briefing: {meeting.theme}"
    document = _new_document(title)
    document.add_heading(title, level=0)
    document.add_paragraph(
        f"{briefing.network_title} · {meeting.set_name or 'Whole network'} · {long_date(meeting.date)}"
    )
    document.add_paragraph("For: " + (", ".join(briefing.readers) or "no members yet"))

    document.add_heading("The network's pooled figures", level=1)
    rows = pooled_rows(briefing.pooled)
    if rows:
        document.add_paragraph(
            f"Pooled from {briefing.pooled_services} member service(s)' shared figures."
        )
        _table(document, ["Measure", "Pooled figure"], [list(row) for row in rows])
    else:
        document.add_paragraph(
            "No pooled figures yet: members share their figures with the network's session code "
            "in the self-benchmark app, and the pooled benchmark appears here once enough have."
        )
    for reason in briefing.pooled_not_shown:
        document.add_paragraph(reason, style="List Bullet")

    document.add_heading("The network's figures over time", level=1)
    if briefing.trend:
        _table(
            document,
            ["Year", "Members sharing", "People supported", "Job outcomes", "Job outcome rate"],
            [
                [str(t.year), str(t.members), "not shown", "not shown", "not shown"]
                if t.people_supported is None
                else [
                    str(t.year),
                    str(t.members),
                    f"{t.people_supported:,}",
                    f"{t.job_outcomes:,}",
                    "not defined" if t.job_outcome_rate is None else f"{t.job_outcome_rate:.1%}",
                ]
                for t in briefing.trend
            ],
        )
    else:
        document.add_paragraph("No member has shared yearly figures yet.")

    document.add_heading("Evidence for this theme", level=1)
    if not briefing.evidence:
        document.add_paragraph("No evidence cards match this theme.")
    for card in briefing.evidence:
        document.add_heading(card.title, level=2)
        document.add_paragraph(card.summary)
        document.add_paragraph("Questions to consider:")
        for prompt in card.prompts:
            document.add_paragraph(prompt, style="List Bullet")
        document.add_paragraph(f"Source: {card.source}").runs[0].italic = True

    document.add_heading("Actions due by this meeting", level=1)
    if not briefing.due:
        document.add_paragraph("No open actions are due from this set's members.")
    for name, actions in briefing.due.items():
        document.add_heading(name, level=2)
        for action in actions:
            document.add_paragraph(
                f"{action.what} (due {long_date(action.due)})", style="List Bullet"
            )

    since = long_date(briefing.previous_meeting) if briefing.previous_meeting else "the start"
    document.add_heading(f"What moved since {since}", level=1)
    if briefing.moved:
        _table(
            document,
            ["Action", "Who", "Now", "Changed"],
            [
                [
                    a.what,
                    a.who,
                    a.status.value
                    + (
                        f", due {long_date(a.due)} (was {long_date(a.previous_due)})"
                        if a.previous_due
                        else ""
                    ),
                    long_date(a.status_changed) if a.status_changed else "",
                ]
                for a in briefing.moved
            ],
        )
    else:
        document.add_paragraph("No action has changed since then.")

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
