"""Services with their results to CSV or Excel, text made inert so it never runs as a formula.

Rows are built once by :func:`export_table` from typed
:class:`~toolkit.domain.results.ServiceResult`, with words from the vocabulary.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit.domain.bands import BANDED_MEASURES, BandSet, load_bands
from toolkit.domain.record import CLIENT_GROUP_LABELS, FIELD_LABELS, ClientGroup
from toolkit.domain.results import ServiceResult
from toolkit.present.sheets.columns import TEMPLATE_FIELDS, inert
from toolkit.present.vocabulary import band_set_label, judgement_word, measure_label, position_label


@dataclass(frozen=True)
class ExportColumn:
    header: str
    kind: str  # text, money, count, percent, number


def _percent(value: float | None, places: int = 2) -> float | None:
    return None if value is None else round(100 * value, places)


def _band_sets_in(results: Sequence[ServiceResult]) -> list[BandSet]:
    present = {band_set for result in results for band_set in result.band_sets}
    return [band_set for band_set in BandSet if band_set in present]


def _export_columns(band_sets: Sequence[BandSet]) -> list[ExportColumn]:
    """The export's columns: the record's fields, the measures, then each comparison."""
    columns: list[ExportColumn] = []
    kinds = {
        "name": "text",
        "total_cost": "money",
        "client_group": "text",
        "support_model": "text",
        "year": "text",
        "uprating_factor": "number",
        "hours_of_paid_work": "number",
        "average_weekly_hours": "number",
    }
    for name in TEMPLATE_FIELDS:
        columns.append(ExportColumn(FIELD_LABELS[name], kinds.get(name, "count")))
    columns += [
        ExportColumn("All job outcomes (people)", "count"),
        ExportColumn("Cost per person supported (\u00a3)", "money"),
        ExportColumn("Cost per job outcome (\u00a3)", "money"),
        ExportColumn("Job outcome rate (%)", "percent"),
        ExportColumn("Job outcome rate, likely range from (%)", "percent"),
        ExportColumn("Job outcome rate, likely range to (%)", "percent"),
        ExportColumn("New jobs (% of job outcomes)", "percent"),
        ExportColumn("Retained jobs (% of job outcomes)", "percent"),
        ExportColumn("Self-employed (% of job outcomes)", "percent"),
        ExportColumn("New jobs per 100 people supported", "number"),
        ExportColumn("Retained jobs per 100 people supported", "number"),
        ExportColumn("Self-employed per 100 people supported", "number"),
        ExportColumn("Support Level Index (1 to 10)", "number"),
        ExportColumn("Prices the bands are in", "text"),
    ]
    for band_set in band_sets:
        group = band_set_label(band_set)
        for measure in BANDED_MEASURES:
            label = measure_label(measure)
            columns += [
                ExportColumn(f"{label} against {group}: position", "text"),
                ExportColumn(f"{label} against {group}: judgement", "text"),
                ExportColumn(f"{label} against {group}: what it means", "text"),
            ]
    columns.append(ExportColumn("Notes", "text"))

    return columns


def _export_row(result: ServiceResult, band_sets: Sequence[BandSet]) -> list[Any]:
    """One service's row, in the order of :func:`_export_columns`."""
    service = result.service.model_dump(mode="json")
    m = result.measures
    row: list[Any] = []
    for name in TEMPLATE_FIELDS:
        value = service.get(name)
        if name == "client_group" and value:
            value = CLIENT_GROUP_LABELS[ClientGroup(value)]
        row.append(value)
    rate = result.rate_interval()
    split, per_100 = m.outcome_split, m.per_100_supported
    row += [
        m.job_outcomes,
        m.cost_per_person,
        m.cost_per_job_outcome,
        _percent(m.job_outcome_rate),
        _percent(rate.low) if rate else None,
        _percent(rate.high) if rate and rate.high is not None else None,
        _percent(split.new_jobs),
        _percent(split.jobs_retained),
        _percent(split.self_employed),
        per_100.new_jobs,
        per_100.jobs_retained,
        per_100.self_employed,
        m.support_level_index,
        result.price_base.label,
    ]
    for band_set in band_sets:
        for measure in BANDED_MEASURES:
            comparison = result.comparison(band_set, measure)
            if comparison is None:
                row += [None, None, None]
                continue
            row += [
                position_label(comparison.position),
                judgement_word(comparison.judgement),
                comparison.text,
            ]
    row.append(" ".join(result.notes) or None)
    return row


def export_table(
    results: Sequence[ServiceResult],
) -> tuple[list[ExportColumn], list[list[Any]]]:
    """Columns (header with unit, kind) and one row per service, before inerting."""
    band_sets = _band_sets_in(results)
    return _export_columns(band_sets), [_export_row(result, band_sets) for result in results]


def _export_csv(results: Sequence[ServiceResult]) -> bytes:
    columns, rows = export_table(results)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([column.header for column in columns])
    for row in rows:
        writer.writerow(["" if value is None else inert(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


_NUMBER_FORMATS = {"money": '"\u00a3"#,##0', "percent": "0.0", "count": "#,##0", "number": "0.##"}


def _export_xlsx(results: Sequence[ServiceResult]) -> bytes:
    # Imported here, not at the top: openpyxl (with numpy) costs every app kernel about
    # 20 MB, and only this export (on a click) needs it.
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    columns, rows = export_table(results)
    book = Workbook()
    sheet = book.active
    sheet.title = "Results"
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        wide = column.header.endswith(("what it means", "Notes")) or index == 1
        sheet.column_dimensions[get_column_letter(index)].width = 60 if wide else 16
    for row_number, row in enumerate(rows, start=2):
        for index, (column, value) in enumerate(zip(columns, row, strict=True), start=1):
            if isinstance(value, str):
                value = inert(ILLEGAL_CHARACTERS_RE.sub("", value))
            cell = sheet.cell(row=row_number, column=index)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # text, whatever it begins with: never a formula
                if column.header.endswith(("what it means", "Notes")):
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
            elif value is not None and column.kind in _NUMBER_FORMATS:
                cell.number_format = _NUMBER_FORMATS[column.kind]
    sheet.freeze_panes = "B2"
    about = book.create_sheet("About")
    lines = [
        "About these figures",
        "Each row is one service: the figures as given, the measures worked out from them, and "
        "each measure against the NDTi study's bands (mean \u00b1 one standard deviation; a "
        "band is not the range from lowest to highest).",
        "Judgements allow for chance (95% Wilson interval of the job outcome rate). Cost per "
        "person is never judged: on its own it does not say whether money buys jobs.",
        "Blank measure cells are not defined (for example cost per job outcome with no job "
        "outcomes); the Notes column says why.",
        "Money bands are in the prices of the year each service's figures cover (GDP deflator) "
        "or the service's own uprating factor; the column 'Prices the bands are in' says which. "
        "Rates and shares are not uprated.",
        "Text that begins with = + - @ has a leading apostrophe so it cannot run as a formula.",
        "",
        "Sources of the bands:",
    ]
    sources = sorted({band.source for band in load_bands().values()})
    for line_number, text in enumerate(lines + sources, start=1):
        about.cell(row=line_number, column=1, value=text)
    about["A1"].font = Font(bold=True, size=14)
    about.column_dimensions["A"].width = 120
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def export_bytes(results: Sequence[ServiceResult], fmt: str) -> bytes:
    """Services and their results as ``csv`` or ``xlsx`` bytes (for a download link)."""
    fmt = fmt.lower().lstrip(".")
    if fmt == "csv":
        return _export_csv(results)
    if fmt == "xlsx":
        return _export_xlsx(results)
    raise ValueError(f"fmt: expected 'csv' or 'xlsx', not '{fmt}'")


def export_results(results: Sequence[ServiceResult], path: str | Path) -> Path:
    """Write services and their results to ``path`` (.csv or .xlsx, by its extension)."""
    path = Path(path)
    extension = path.suffix.lower()
    if extension not in (".csv", ".xlsx"):
        raise ValueError(f"{path.name}: results can be written as .csv or .xlsx")
    path.write_bytes(export_bytes(results, extension))
    return path
