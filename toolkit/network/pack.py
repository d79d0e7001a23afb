"""The session pack: a session's disclosure-checked summary as an Excel workbook or a CSV file.

Earlier packs are copies: a pack downloaded before a withdrawal still holds the
withdrawn service's (disclosure-checked) figures (see ``docs/sessions.md``).
"""

from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from toolkit.content.rules import DisclosureRules, rules
from toolkit.network.disclosure import COUNT_KEYS
from toolkit.network.summary import SessionSummary
from toolkit.present.sheets.cells import inert

NOT_SHOWN = "not shown"
NOT_DEFINED = "not defined"
POOLED_ROW = "All services (pooled)"

#: Columns of the pack's figures table: (heading, dotted path, kind).
PACK_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("Total annual cost (£)", "total_cost", "money"),
    ("People supported", "people_supported", "count"),
    ("Job outcomes", "job_outcomes", "count"),
    ("Gained a new job", "new_jobs", "count"),
    ("Retained a job", "jobs_retained", "count"),
    ("Became self-employed", "self_employed", "count"),
    ("Cost per person supported (£)", "cost_per_person", "money"),
    ("Cost per job outcome (£)", "cost_per_job_outcome", "money"),
    ("Job outcome rate (%)", "job_outcome_rate", "percent"),
    ("New jobs per 100 supported", "per_100_supported.new_jobs", "number"),
    ("Retained jobs per 100 supported", "per_100_supported.jobs_retained", "number"),
    ("Self-employed per 100 supported", "per_100_supported.self_employed", "number"),
    ("Support Level Index", "support_level_index", "number"),
)


def _cell(measures: dict[str, Any], reasons: dict[str, str], path: str, kind: str) -> Any:
    value = measures.get(path)
    if value is None:
        return NOT_SHOWN if path in reasons else NOT_DEFINED
    if kind == "percent":
        return round(100 * value, 1)
    return value


def pack_figures(summary: SessionSummary) -> tuple[list[str], list[list[Any]]]:
    """The pack's figures table: a pooled row (when shown), then one row per service."""
    header = ["Service"] + [heading for heading, _, _ in PACK_COLUMNS] + ["Notes"]
    rows = []
    sources = []
    if summary.pooled is not None:
        sources.append((POOLED_ROW, summary.pooled, summary.pooled_suppressed))
    sources.extend(
        (entry.shown_as, entry.measures, entry.suppressed) for entry in summary.submissions
    )
    for name, measures, reasons in sources:
        notes = " ".join(reason for path, reason in reasons.items() if path in COUNT_KEYS)
        rows.append(
            [name]
            + [_cell(measures, reasons, path, kind) for _, path, kind in PACK_COLUMNS]
            + [notes]
        )
    return header, rows


def pack_about(
    summary: SessionSummary, disclosure: DisclosureRules | None = None
) -> list[list[Any]]:
    """The pack's first sheet: what the session is and what was left out, as (item, value) rows."""
    disclosure = disclosure or rules().disclosure
    session = summary.session
    rows: list[list[Any]] = [
        ["Session", session.title],
        ["Session code", session.code],
        ["Date", session.date or "not given"],
        ["Services that shared figures", summary.services],
        ["Pooled figures", "shown" if summary.pooled is not None else NOT_SHOWN],
        ["Rounding", summary.pooled_note],
        ["Prices", summary.prices_note or "no figures yet"],
        [
            "Consent",
            "Every service here agreed to share these figures with the session. Figures "
            "withdrawn by the service that sent them are not included.",
        ],
        [
            "Disclosure control",
            f"Pooled figures are shown only for {disclosure.min_services_for_pooled} or more "
            f"services. Counts of people or job outcomes under {disclosure.min_count_shown} are "
            f"shown as '{NOT_SHOWN}', and so are figures that would let them be worked out. "
            "Services that chose not to be named are shown as Service A, B, C... "
            f"'{NOT_DEFINED}' means the figure has no value (for example, no job outcomes).",
        ],
    ]
    rows.extend(["Not shown", reason] for reason in summary.suppressed)
    return rows


_NUMBER_FORMATS = {"money": '"£"#,##0', "count": "#,##0", "percent": "0.0", "number": "0.##"}


def session_pack_bytes(summary: SessionSummary, fmt: str) -> bytes:
    """The session pack as ``xlsx`` or ``csv`` bytes, from a (suppressed) summary."""
    header, rows = pack_figures(summary)
    if fmt == "csv":
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow(["Session code", "Session title", *header])
        session = summary.session
        for row in rows:
            writer.writerow([inert(v) for v in [session.code, session.title, *row]])
        return text.getvalue().encode("utf-8-sig")
    if fmt != "xlsx":
        raise ValueError(f"format: '{fmt}' is not one of xlsx, csv")

    book = Workbook()
    about = book.active
    about.title = "Session"
    for row in pack_about(summary):
        about.append([inert(value) for value in row])
    about.column_dimensions["A"].width = 30
    about.column_dimensions["B"].width = 100
    for cell in about["B"]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for cell in about["A"]:
        cell.font = Font(bold=True)

    figures = book.create_sheet("Figures")
    figures.append([inert(value) for value in header])
    for cell in figures[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        figures.append([inert(value) for value in row])
    for column, (_, _, kind) in enumerate(PACK_COLUMNS, start=2):
        for (cell,) in figures.iter_rows(min_row=2, min_col=column, max_col=column):
            if isinstance(cell.value, int | float):
                cell.number_format = _NUMBER_FORMATS[kind]
    figures.column_dimensions["A"].width = 28
    figures.freeze_panes = "B2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
