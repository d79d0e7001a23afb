"""The data request template as an Excel workbook (openpyxl), built by :mod:`.template`.

Kept apart so that opening an app does not import openpyxl (and numpy, which openpyxl
loads): :func:`toolkit.present.sheets.template.template_xlsx` reads a cached copy and
imports this module only when there is none.
"""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from toolkit.content.rules import rules
from toolkit.content.sources import cite
from toolkit.domain.record import CLIENT_GROUP_LABELS, FIELD_LABELS
from toolkit.present.sheets.columns import COLUMN_NOTES, TEMPLATE_FIELDS, TEXT_FIELDS
from toolkit.present.sheets.template import support_model_labels, template_rows


def _note_text(name: str) -> str:
    note = COLUMN_NOTES[name]
    need = "Required." if note.required else "Optional."
    return f"{need} {note.what}\nUnit: {note.unit}.\nSource: {note.source}."


HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
EXAMPLE_FILL = PatternFill("solid", fgColor="F2F2F2")


def _services_sheet(book: Workbook, last_row: int) -> Any:
    """The Services sheet: headers with their notes, the example row, number formats."""
    sheet = book.active
    sheet.title = "Services"
    headers, example = template_rows()
    for column, (name, header) in enumerate(zip(TEMPLATE_FIELDS, headers, strict=True), start=1):
        cell = sheet.cell(row=1, column=column, value=header)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        comment = Comment(_note_text(name), "Employment support toolkit")
        comment.width, comment.height = 320, 160
        cell.comment = comment
        letter = get_column_letter(column)
        sheet.column_dimensions[letter].width = 34 if name in ("name", "support_model") else 18
        if name in TEXT_FIELDS:
            for row in range(2, last_row + 1):
                sheet.cell(row=row, column=column).number_format = "@"
        elif name == "total_cost":
            for row in range(2, last_row + 1):
                sheet.cell(row=row, column=column).number_format = '"\u00a3"#,##0'
    for column, value in enumerate(example, start=1):
        cell = sheet.cell(row=2, column=column, value=value)
        cell.font = Font(italic=True, color="595959")
        cell.fill = EXAMPLE_FILL
    sheet.row_dimensions[1].height = 48
    sheet.freeze_panes = "B2"
    return sheet


def _validator(sheet: Any, last_row: int) -> Any:
    """A function adding one data-validation rule to a column of the Services sheet."""

    def validation(name: str, **options: Any) -> None:
        letter = get_column_letter(TEMPLATE_FIELDS.index(name) + 1)
        rule = DataValidation(allow_blank=True, showErrorMessage=True, **options)
        rule.add(f"{letter}2:{letter}{last_row}")
        sheet.add_data_validation(rule)

    return validation


def _number_validations(validation: Any, limits: Any) -> None:
    """Whole numbers of people, an amount in pounds, hours a week."""
    for name in (
        "people_supported",
        "new_jobs",
        "jobs_retained",
        "self_employed",
        "support_under_7_hours",
        "support_7_to_40_hours",
        "support_over_40_hours",
    ):
        validation(
            name,
            type="whole",
            operator="greaterThanOrEqual",
            formula1="0",
            errorTitle="Whole number",
            error="Type a whole number of people, 0 or more.",
        )
    validation(
        "total_cost",
        type="decimal",
        operator="between",
        formula1="0",
        formula2=str(int(limits.validation.max_total_cost_gbp)),
        errorTitle="Amount in pounds",
        error="Type the year's total cost in pounds, for example 150000.",
    )
    validation(
        "hours_of_paid_work",
        type="decimal",
        operator="greaterThanOrEqual",
        formula1="0",
        error="Type a number of hours a week, 0 or more.",
    )
    validation(
        "average_weekly_hours",
        type="decimal",
        operator="between",
        formula1="0",
        formula2=str(limits.validation.max_average_weekly_hours),
        error=f"Type hours a week from 0 to {limits.validation.max_average_weekly_hours:g}.",
    )


def _lists_sheet(book: Workbook) -> tuple[list[str], list[str]]:
    """The Lists sheet the client-group and support-model drop-downs read from."""
    lists = book.create_sheet("Lists")
    lists["A1"], lists["B1"] = "Client group", "Support model"
    lists["A1"].font = lists["B1"].font = Font(bold=True)
    groups = list(CLIENT_GROUP_LABELS.values())
    models = support_model_labels()
    for row, label in enumerate(groups, start=2):
        lists.cell(row=row, column=1, value=label)
    for row, label in enumerate(models, start=2):
        lists.cell(row=row, column=2, value=label)
    lists.column_dimensions["A"].width = 22
    lists.column_dimensions["B"].width = 44
    return groups, models


def _list_validations(validation: Any, groups: list[str], models: list[str]) -> None:
    """Drop-downs: client group must be one of the list; support model may be typed."""
    validation(
        "client_group",
        type="list",
        formula1=f"Lists!$A$2:$A${len(groups) + 1}",
        errorTitle="Client group",
        error="Choose from the list: " + ", ".join(groups) + ".",
    )
    validation(
        "support_model",
        type="list",
        formula1=f"Lists!$B$2:$B${len(models) + 1}",
        errorStyle="information",
        errorTitle="Support model",
        error="Not one of the listed models: it will be kept as you typed it.",
    )


def _notes_sheet(book: Workbook, limits: Any) -> None:
    """The Notes sheet: what the request is, and each column's note, unit and source."""
    notes = book.create_sheet("Notes")
    intro = [
        "Employment support benchmarking: data request",
        "One row per service on the 'Services' sheet. Row 2 is a fictional example: delete it "
        "or type over it (the toolkit skips it if it is left in).",
        "Figures are for one year. The columns follow the reduced data request of the NDTi study "
        f"({cite('ndti-2014', 'Appendix 5 (the reduced data request)')}). Hover over a header "
        "in Excel to see its note.",
        f"Up to {limits.import_.max_rows} services and "
        f"{limits.import_.max_upload_bytes / 1_000_000:g} MB per file. Save as .xlsx or CSV "
        "(not .xlsm or .xls). Type values, not formulas.",
        "",
    ]
    for row, text in enumerate(intro, start=1):
        notes.cell(row=row, column=1, value=text)
    notes["A1"].font = Font(bold=True, size=14)
    table_row = len(intro) + 1
    for column, heading in enumerate(
        ("Column", "Required?", "What to enter", "Unit", "Source in the study"), start=1
    ):
        cell = notes.cell(row=table_row, column=column, value=heading)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for offset, name in enumerate(TEMPLATE_FIELDS, start=1):
        note = COLUMN_NOTES[name]
        cells = (
            FIELD_LABELS[name],
            "Required" if note.required else "Optional",
            note.what,
            note.unit,
            note.source,
        )
        for column, value in enumerate(cells, start=1):
            cell = notes.cell(row=table_row + offset, column=column, value=value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDE", (34, 11, 60, 28, 60), strict=True):
        notes.column_dimensions[letter].width = width


def build_template_xlsx() -> bytes:
    """The template workbook: Services (headers with notes, example, validation), Notes, Lists."""
    limits = rules()
    last_row = limits.import_.max_rows + 1
    book = Workbook()
    sheet = _services_sheet(book, last_row)
    validation = _validator(sheet, last_row)
    _number_validations(validation, limits)
    groups, models = _lists_sheet(book)
    _list_validations(validation, groups, models)
    _notes_sheet(book, limits)
    book.active = 0
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
