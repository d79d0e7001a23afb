"""Spreadsheets in and out: the data request template, import, and safe export.

* :func:`write_template` writes the study's reduced data request (seed 004,
  Appendix 5) as one row per service, with a note on every header, a fictional
  example row, a notes sheet and data validation.
* :func:`read_services` reads that template, or a reasonable variation of it
  (columns in another order, extra columns, a few header synonyms), from .xlsx
  or .csv. Every bad cell is reported by its row number and the user's own
  column header; good rows still import; nothing is guessed silently. Whole
  files that cannot be read safely are refused with :class:`SpreadsheetRefused`.
* :func:`export_results` / :func:`export_bytes` write services with their
  measures and comparisons to CSV or Excel, with text cells made inert so that
  a service name can never run as a formula.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from toolkit.content.paths import data_dir
from toolkit.content.rules import rules
from toolkit.content.sources import cite
from toolkit.domain.bands import (
    BAND_SET_LABELS,
    BANDED_MEASURES,
    MEASURE_LABELS,
    BandSet,
    load_bands,
    read_rows,
)
from toolkit.domain.record import (
    CLIENT_GROUP_LABELS,
    FIELD_LABELS,
    REQUIRED_FIELDS,
    ClientGroup,
    ServiceRecord,
    ServiceRecordError,
    parse_service,
)

# --------------------------------------------------------------------------------------------
# The columns
# --------------------------------------------------------------------------------------------

#: Template columns, in the order of the record's fields.
TEMPLATE_FIELDS: tuple[str, ...] = tuple(FIELD_LABELS)

#: The name that marks the template's example row; the importer skips such a row.
EXAMPLE_NAME = "EXAMPLE \u2013 fictional service, delete this row"

#: The fictional example row (not study figures).
EXAMPLE_ROW: dict[str, Any] = {
    "name": EXAMPLE_NAME,
    "total_cost": 150000,
    "people_supported": 120,
    "new_jobs": 30,
    "jobs_retained": 18,
    "self_employed": 2,
    "client_group": CLIENT_GROUP_LABELS[ClientGroup.mental_health],
    "support_model": "Individual Placement and Support (IPS)",
    "year": "2024-25",
    "uprating_factor": None,
    "support_under_7_hours": 57,
    "support_7_to_40_hours": 39,
    "support_over_40_hours": 4,
    "outcomes_35_plus_hours": None,
    "outcomes_16_to_34_hours": None,
    "outcomes_5_to_15_hours": None,
    "outcomes_1_to_4_hours": None,
    "outcomes_support_under_7_hours": None,
    "outcomes_support_7_to_40_hours": None,
    "outcomes_support_over_40_hours": None,
    "hours_of_paid_work": None,
    "average_weekly_hours": None,
}

_APPENDIX_5 = cite("ndti-2014", "Appendix 5 (the reduced data request)")
_APPENDIX_4 = cite("ndti-2014", "Appendix 4 (the full data request)")


@dataclass(frozen=True)
class ColumnNote:
    """What to enter in one template column, in what unit, and where the study asked for it."""

    what: str
    unit: str
    source: str
    required: bool


COLUMN_NOTES: dict[str, ColumnNote] = {
    "name": ColumnNote(
        "The name of the service as commissioners know it. One row per service.",
        "text",
        f"{_APPENDIX_5}, section 2: 'Name of service'",
        True,
    ),
    "total_cost": ColumnNote(
        "What the service cost to run in the year: the whole contract or budget, including "
        "staff, premises and overheads where they are known.",
        "pounds (\u00a3); whole pounds, with or without \u00a3 and commas",
        f"{_APPENDIX_5}, section 2: 'Total amount that this service cost to run'",
        True,
    ),
    "people_supported": ColumnNote(
        "Everyone who received support from the service during the year.",
        "people (a whole number)",
        f"{_APPENDIX_5}, section 3: 'Overall number who received support'",
        True,
    ),
    "new_jobs": ColumnNote(
        "People who gained a new paid job during the year with the service's help.",
        "people (a whole number; 0 if none)",
        f"{_APPENDIX_5}, section 5: job outcomes split by type, 'Gained new job'",
        True,
    ),
    "jobs_retained": ColumnNote(
        "People the service helped to keep a paid job they already had.",
        "people (a whole number; 0 if none)",
        f"{_APPENDIX_5}, section 5: job outcomes split by type, 'Retained existing job'",
        True,
    ),
    "self_employed": ColumnNote(
        "People who became self-employed with the service's help. Leave blank for none.",
        "people (a whole number)",
        f"{_APPENDIX_5}, section 5: job outcomes split by type, 'Became self employed'",
        False,
    ),
    "client_group": ColumnNote(
        "The group that makes up more than half of the people supported: "
        + ", ".join(CLIENT_GROUP_LABELS.values())
        + ". Leave blank if not known.",
        "one of the list",
        f"{_APPENDIX_5}, section 2: 'Who is the service aimed at'; the study grouped services "
        "by the group making up more than half of those supported (Section 5)",
        False,
    ),
    "support_model": ColumnNote(
        "The employment support model that best describes the service. Pick from the list or "
        "type your own words.",
        "text",
        f"{_APPENDIX_5}, section 2: 'Which of the following models best describes your service?'",
        False,
    ),
    "year": ColumnNote(
        "The financial year the figures cover, for example 2024-25. The study's money bands "
        "are put into that year's prices (GDP deflator) so the comparison is like for like; "
        "leave blank to compare in the study's own prices.",
        "a financial year such as 2024-25 or 2024/25",
        f"{_APPENDIX_5}, section 1: 'which year data / activity relates to'",
        False,
    ),
    "uprating_factor": ColumnNote(
        "Only for a year the toolkit's price series does not reach: the factor that turns the "
        "study's prices into your year's prices, for example 1.45. Leave blank otherwise.",
        "a multiplier such as 1.45",
        "Not in the study: the toolkit's price base (GDP deflator)",
        False,
    ),
    "support_under_7_hours": ColumnNote(
        "People supported who get less than 7 hours a week of other health or social care "
        "support (outside employment support). Give all three support-level counts or leave "
        "all three blank.",
        "people (a whole number)",
        f"{_APPENDIX_5}, section 3: split by level of support needed, 'Less than 7 hrs/wk'",
        False,
    ),
    "support_7_to_40_hours": ColumnNote(
        "People supported who get 7 to 40 hours a week of other health or social care support.",
        "people (a whole number)",
        f"{_APPENDIX_5}, section 3: split by level of support needed, '7-40 hrs/wk'",
        False,
    ),
    "support_over_40_hours": ColumnNote(
        "People supported who get more than 40 hours a week of other health or social care "
        "support.",
        "people (a whole number)",
        f"{_APPENDIX_5}, section 3: split by level of support needed, 'More than 40 hrs/wk'",
        False,
    ),
    "outcomes_35_plus_hours": ColumnNote(
        "People with a job outcome whose job is 35 or more hours a week (full time). Give all four hours counts (0 where "
        "none) or leave all four blank; they show the measures for 16 or more hours a week "
        "beside the study's definition.",
        "people (a whole number)",
        f"Not in the reduced request: {_APPENDIX_4}, section 5, job outcomes split by hours "
        "worked per week",
        False,
    ),
    "outcomes_16_to_34_hours": ColumnNote(
        "People with a job outcome whose job is 16 to 34 hours a week. Give all four hours counts (0 where "
        "none) or leave all four blank; they show the measures for 16 or more hours a week "
        "beside the study's definition.",
        "people (a whole number)",
        f"Not in the reduced request: {_APPENDIX_4}, section 5, job outcomes split by hours "
        "worked per week",
        False,
    ),
    "outcomes_5_to_15_hours": ColumnNote(
        "People with a job outcome whose job is 5 to 15 hours a week. Give all four hours counts (0 where "
        "none) or leave all four blank; they show the measures for 16 or more hours a week "
        "beside the study's definition.",
        "people (a whole number)",
        f"Not in the reduced request: {_APPENDIX_4}, section 5, job outcomes split by hours "
        "worked per week",
        False,
    ),
    "outcomes_1_to_4_hours": ColumnNote(
        "People with a job outcome whose job is 1 to 4 hours a week. Give all four hours counts (0 where "
        "none) or leave all four blank; they show the measures for 16 or more hours a week "
        "beside the study's definition.",
        "people (a whole number)",
        f"Not in the reduced request: {_APPENDIX_4}, section 5, job outcomes split by hours "
        "worked per week",
        False,
    ),
    "outcomes_support_under_7_hours": ColumnNote(
        "People with a job outcome who get under 7 hours a week of other health or social care "
        "support. Give all three or leave all three blank; they give the Support Level Index "
        "of the job outcomes.",
        "people (a whole number)",
        cite("ndti-2014", "Appendix 6 (job outcomes split by support needed)"),
        False,
    ),
    "outcomes_support_7_to_40_hours": ColumnNote(
        "People with a job outcome who get 7 to 40 hours a week of other health or social care "
        "support. Give all three or leave all three blank; they give the Support Level Index "
        "of the job outcomes.",
        "people (a whole number)",
        cite("ndti-2014", "Appendix 6 (job outcomes split by support needed)"),
        False,
    ),
    "outcomes_support_over_40_hours": ColumnNote(
        "People with a job outcome who get over 40 hours a week of other health or social care "
        "support. Give all three or leave all three blank; they give the Support Level Index "
        "of the job outcomes.",
        "people (a whole number)",
        cite("ndti-2014", "Appendix 6 (job outcomes split by support needed)"),
        False,
    ),
    "hours_of_paid_work": ColumnNote(
        "Older column, kept so earlier files still import: total hours of paid work a week. "
        "Prefer the four counts of job outcomes by weekly hours, which the study asked for.",
        "hours a week",
        f"Not in the reduced request: {_APPENDIX_4}, section 5, "
        "job outcomes split by hours worked per week",
        False,
    ),
    "average_weekly_hours": ColumnNote(
        "Older column, kept so earlier files still import: average hours a week worked. "
        "Prefer the four counts of job outcomes by weekly hours, which the study asked for.",
        "hours a week",
        f"Not in the reduced request: {_APPENDIX_4}, section 5, "
        "job outcomes split by hours worked per week",
        False,
    ),
}

#: Other headers accepted for each field (besides its label and its field name).
#: Matched ignoring case, spaces and punctuation; kept small and explicit on purpose.
HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": ("Name of service", "Service", "Name"),
    "total_cost": (
        "Total cost",
        "Cost",
        "Annual cost",
        "Total annual cost",
        "Cost of service",
        "Total amount the service cost to run",
        "Total amount that this service cost to run",
    ),
    "people_supported": (
        "People supported in the year",
        "Number of people supported",
        "Number supported",
        "Overall number who received support",
        "Total number of people who received support",
    ),
    "new_jobs": ("New jobs", "Gained new job", "Gained new jobs", "People gaining a new job"),
    "jobs_retained": ("Jobs retained", "Retained jobs", "Retained existing job", "Kept a job"),
    "self_employed": ("Self-employed", "Self employment", "Became self employed"),
    "client_group": ("Main client group", "Who is the service aimed at"),
    "support_model": ("Model", "Employment support model", "Service model"),
    "year": ("Year", "Financial year", "Reporting year"),
    "uprating_factor": ("Uprating factor", "Own uprating factor", "Price factor"),
    "support_under_7_hours": ("Less than 7 hrs/wk", "Under 7 hours", "Less than 7 hours"),
    "support_7_to_40_hours": ("7-40 hrs/wk", "7 to 40 hours"),
    "support_over_40_hours": ("More than 40 hrs/wk", "Over 40 hours", "More than 40 hours"),
    "hours_of_paid_work": ("Hours of paid work a week", "Total hours of paid work"),
    "average_weekly_hours": ("Average hours worked", "Average weekly hours"),
}

#: Headers that could mean more than one field: reported as a problem, never guessed.
AMBIGUOUS_HEADERS: dict[str, tuple[str, ...]] = {
    "Jobs": ("new_jobs", "jobs_retained"),
    "Job outcomes": ("new_jobs", "jobs_retained", "self_employed"),
    "Outcomes": ("new_jobs", "jobs_retained", "self_employed"),
    "Jobs gained or retained": ("new_jobs", "jobs_retained"),
    "Total": ("total_cost", "people_supported"),
    "Number": ("people_supported", "new_jobs"),
    "Hours": ("hours_of_paid_work", "average_weekly_hours"),
    "Hours worked": ("hours_of_paid_work", "average_weekly_hours"),
    "Support hours": ("support_under_7_hours", "support_7_to_40_hours", "support_over_40_hours"),
    "Support level": ("support_under_7_hours", "support_7_to_40_hours", "support_over_40_hours"),
}

_UNIT_IN_BRACKETS = re.compile(r"\((?:gbp|pounds?|number|no\.?|people|count|#)\)", re.IGNORECASE)


def normalise_header(text: object) -> str:
    """A header reduced to lower-case letters and digits, units in brackets dropped."""
    cleaned = _UNIT_IN_BRACKETS.sub("", str(text).casefold())
    return re.sub(r"[^0-9a-z]", "", cleaned)


def _header_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for name in TEMPLATE_FIELDS:
        for header in (FIELD_LABELS[name], name, *HEADER_SYNONYMS.get(name, ())):
            key = normalise_header(header)
            if index.setdefault(key, name) != name:  # pragma: no cover - guarded by a unit test
                raise RuntimeError(f"header '{header}' is listed for two fields")
    for header in AMBIGUOUS_HEADERS:
        if normalise_header(header) in index:  # pragma: no cover - guarded by a unit test
            raise RuntimeError(f"header '{header}' is both ambiguous and a synonym")
    return index


HEADER_INDEX = _header_index()
_AMBIGUOUS_INDEX = {
    normalise_header(header): fields for header, fields in AMBIGUOUS_HEADERS.items()
}

_TEXT_FIELDS = ("name", "client_group", "support_model", "year")

# --------------------------------------------------------------------------------------------
# Results of an import
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CellProblem:
    """One thing wrong in an uploaded file: the row as the spreadsheet shows it, the column header."""

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass
class ImportResult:
    """The services read from a file, the problems found and notes on what was done."""

    filename: str
    records: list[tuple[int, ServiceRecord]] = field(default_factory=list)
    problems: list[CellProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: Which of the user's headers was read for each field.
    columns: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def rows_with_problems(self) -> list[int]:
        return sorted({p.row for p in self.problems if p.row is not None})


class SpreadsheetRefused(ValueError):
    """The whole file cannot be read: wrong type, empty, too big or missing columns."""


# --------------------------------------------------------------------------------------------
# Reading files: type checks
# --------------------------------------------------------------------------------------------

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole2"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
)

_SAVE_AS = (
    "In Excel use File > Save As and choose 'Excel Workbook (*.xlsx)' or 'CSV UTF-8 "
    "(Comma delimited) (*.csv)', then try that file"
)

_REFUSED_EXTENSIONS = {
    ".xlsm": "is a macro-enabled Excel workbook (.xlsm). The toolkit does not open files "
    f"that can hold macros. {_SAVE_AS}.",
    ".xltm": "is a macro-enabled Excel template (.xltm). The toolkit does not open files "
    f"that can hold macros. {_SAVE_AS}.",
    ".xlam": f"is an Excel add-in (.xlam), which holds macros, not figures. {_SAVE_AS}.",
    ".xls": "is an Excel 97-2003 workbook (.xls), an old format that can hold macros and "
    f"that the toolkit does not open. {_SAVE_AS}.",
    ".xlt": f"is an Excel 97-2003 template (.xlt). {_SAVE_AS}.",
    ".xlsb": f"is an Excel binary workbook (.xlsb), which the toolkit cannot read. {_SAVE_AS}.",
    ".ods": "is an OpenDocument spreadsheet (.ods). Save it as .xlsx or .csv from your "
    "spreadsheet program, then try that file.",
    ".numbers": "is an Apple Numbers file. Use File > Export To > Excel or CSV, then try that file.",
}


def _sniff(data: bytes) -> str:
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    head = data[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return "a web page (HTML)"
    if head.startswith(b"<?xml"):
        return "an XML file"
    return "other"


def _check_size(size: int, filename: str) -> None:
    limit = rules().import_.max_upload_bytes
    if size == 0:
        raise SpreadsheetRefused(
            f"{filename}: the file is empty (0 bytes). Choose the filled-in file."
        )
    if size > limit:
        raise SpreadsheetRefused(
            f"{filename}: the file is {size:,} bytes, over the limit of {limit:,} bytes "
            f"({limit / 1_000_000:g} MB). Remove other sheets, pictures and formatting, or split "
            "the services over several files."
        )


def _check_xlsx_container(data: bytes, filename: str) -> None:
    kind = _sniff(data)
    if kind == "ole2":
        raise SpreadsheetRefused(
            f"{filename}: this is not an .xlsx workbook inside. It is either an old Excel 97-2003 "
            "file renamed .xlsx or a password-protected workbook. Remove the password (File > "
            f"Info > Protect Workbook) and save it again as .xlsx. {_SAVE_AS}."
        )
    if kind != "zip":
        what = "" if kind == "other" else f" (its content looks like {kind})"
        raise SpreadsheetRefused(
            f"{filename}: is named .xlsx but is not an Excel workbook{what}. {_SAVE_AS}."
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
        names = {info.filename.lower() for info in infos}
        content_types = (
            archive.read("[Content_Types].xml").lower() if "[content_types].xml" in names else b""
        )
        mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, NotImplementedError):
        raise SpreadsheetRefused(
            f"{filename}: the workbook is damaged and could not be opened. {_SAVE_AS}."
        ) from None
    if any(name.endswith("vbaproject.bin") for name in names) or b"macroenabled" in content_types:
        raise SpreadsheetRefused(
            f"{filename}: the workbook contains macros (a VBA project), although it is named "
            f".xlsx. The toolkit does not open files that hold macros. {_SAVE_AS}."
        )
    if b"opendocument" in mimetype:
        raise SpreadsheetRefused(f"{filename}: {_REFUSED_EXTENSIONS['.ods']}")
    if not content_types or "xl/workbook.xml" not in names:
        raise SpreadsheetRefused(
            f"{filename}: is a zip archive, not an Excel workbook. {_SAVE_AS}."
        )
    unpacked = sum(info.file_size for info in infos)
    if unpacked > 50 * rules().import_.max_upload_bytes:
        raise SpreadsheetRefused(
            f"{filename}: the workbook unpacks to {unpacked / 1_000_000:.0f} MB, far more than a "
            "sheet of services needs. Copy the services into a new workbook and try that."
        )


# --------------------------------------------------------------------------------------------
# Reading files: cells
# --------------------------------------------------------------------------------------------


@dataclass
class _Sheet:
    """Non-blank rows of one sheet, with the row numbers the spreadsheet shows."""

    rows: list[tuple[int, list[Any]]]
    #: Cells that must not be read as figures, and why: {(row, column index): message}.
    bad_cells: dict[tuple[int, int], str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _too_many_rows(filename: str, count: int) -> SpreadsheetRefused:
    limit = rules().import_.max_rows
    return SpreadsheetRefused(
        f"{filename}: has more than {limit} rows of services (found {count} or more); the limit is "
        f"{limit}. Split the services over several files."
    )


#: Rows of a sheet (blank or not) read before giving up: formatting can leave many empty rows.
_MAX_SCANNED_ROWS = 100_000


def _read_xlsx(data: bytes, filename: str) -> _Sheet:
    import openpyxl  # imported here: only needed when a workbook is read

    _check_xlsx_container(data, filename)
    limit = rules().import_.max_rows
    notes: list[str] = []

    def open_book(data_only: bool):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)

    try:
        values_book = open_book(True)
        formulas_book = open_book(False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise SpreadsheetRefused(
            f"{filename}: the workbook could not be opened ({type(exc).__name__}). {_SAVE_AS}."
        ) from None
    try:
        sheets = values_book.worksheets
        if not sheets:
            raise SpreadsheetRefused(f"{filename}: the workbook has no worksheets.")
        index = next(
            (i for i, sheet in enumerate(sheets) if sheet.title.strip().lower() == "services"), -1
        )
        if index < 0 and len(sheets) > 1:
            others = ", ".join(f"'{s.title}'" for s in sheets[1:])
            notes.append(
                f"Read the first sheet, '{sheets[0].title}' (no sheet is called 'Services'); "
                f"other sheets were not read ({others})."
            )
        index = max(index, 0)
        sheet = sheets[index]
        formula_sheet = formulas_book.worksheets[index]
        for ws in (sheet, formula_sheet):
            ws.reset_dimensions()  # do not trust the saved size: read every row there is
        rows: list[tuple[int, list[Any]]] = []
        bad: dict[tuple[int, int], str] = {}
        for scanned, cells in enumerate(sheet.iter_rows(), start=1):
            if scanned > _MAX_SCANNED_ROWS:
                raise SpreadsheetRefused(
                    f"{filename}: the sheet has more than {_MAX_SCANNED_ROWS:,} rows, nearly all "
                    "blank. Delete the unused rows below the services (or copy the services into "
                    "a new workbook) and try again."
                )
            real = [cell for cell in cells if not _blank(cell.value)]
            if not real:
                continue
            if len(rows) > limit:  # header + limit rows already
                raise _too_many_rows(filename, len(rows))
            width = max(cell.column for cell in real)
            values: list[Any] = [None] * width
            for cell in real:
                values[cell.column - 1] = cell.value
                if cell.data_type == "e":
                    bad[(cell.row, cell.column - 1)] = (
                        f"shows the Excel error {cell.value}; correct the formula or type the value"
                    )
            rows.append((real[0].row, values))
        formulas_used = 0
        by_number = dict(rows)
        for cells in formula_sheet.iter_rows():
            for cell in cells:
                if getattr(cell, "data_type", None) != "f":
                    continue
                position = (cell.row, cell.column - 1)
                values = by_number.get(cell.row, [])
                cached = values[position[1]] if position[1] < len(values) else None
                if cached is None:
                    bad[position] = (
                        "contains a formula with no saved result; type the value instead "
                        "(or open the file in Excel, save it and try again)"
                    )
                else:
                    formulas_used += 1
                if len(bad) > 10 * limit:
                    break
        if formulas_used:
            notes.append(
                f"{formulas_used} cell(s) hold formulas; the values Excel last worked out for them "
                "were used."
            )
        return _Sheet(rows, bad, notes)
    finally:
        values_book.close()
        formulas_book.close()


def _decode(data: bytes, filename: str) -> tuple[str, list[str]]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), ["Read the file as UTF-16 text."]
        except UnicodeDecodeError:
            pass
    else:
        try:
            return data.decode("utf-8-sig"), []
        except UnicodeDecodeError:
            pass
        try:
            return data.decode("cp1252"), [
                "The file is not UTF-8, so it was read as Windows-1252 (what Excel usually saves "
                "as 'CSV'); check that \u00a3 signs and accented letters in names look right."
            ]
        except UnicodeDecodeError:
            pass
    raise SpreadsheetRefused(
        f"{filename}: could not be read as text. Save it from Excel as 'CSV UTF-8 (Comma "
        "delimited) (*.csv)' and try again."
    )


def _read_csv(data: bytes, filename: str) -> _Sheet:
    kind = _sniff(data)
    if kind == "zip" or kind == "ole2":
        raise SpreadsheetRefused(
            f"{filename}: is named .csv but is an Excel workbook. Rename it to .xlsx, or save it "
            "as CSV from Excel."
        )
    if kind != "other":
        raise SpreadsheetRefused(f"{filename}: is named .csv but its content looks like {kind}.")
    text, notes = _decode(data, filename)
    if "\x00" in text:
        raise SpreadsheetRefused(f"{filename}: is not a text file (it holds binary data).")
    first_line = text.lstrip().split("\n", 1)[0]
    delimiter = ","
    for other, name in ((";", "semicolons"), ("\t", "tabs")):
        if first_line.count(other) > first_line.count(","):
            delimiter = other
            notes.append(f"The columns are separated by {name}, not commas; read them that way.")
            break
    limit = rules().import_.max_rows
    rows: list[tuple[int, list[Any]]] = []
    try:
        for number, values in enumerate(
            csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1
        ):
            if all(_blank(value) for value in values):
                continue
            if len(rows) > limit:
                raise _too_many_rows(filename, len(rows))
            rows.append((number, list(values)))
    except csv.Error as exc:
        raise SpreadsheetRefused(f"{filename}: could not be read as CSV ({exc}).") from None
    return _Sheet(rows, {}, notes)


# --------------------------------------------------------------------------------------------
# Reading files: from rows to services
# --------------------------------------------------------------------------------------------


def _header_text(value: Any) -> str:
    return " ".join(str(value).split())


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _is_example(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    text = value.strip().casefold().replace("\u2013", "-").replace("\u2014", "-")
    return text == EXAMPLE_NAME.casefold().replace("\u2013", "-") or (
        text.startswith("example") and "delete this row" in text
    )


_INERT_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _undo_inert_prefix(value: Any) -> tuple[Any, bool]:
    """Remove the apostrophe that :func:`inert` adds, so exported names read back unchanged."""
    if isinstance(value, str) and len(value) > 1 and value[0] == "'" and value[1] in "=+-@\t\r":
        return value[1:], True
    return value, False


_SPREADSHEET_ERRORS = {
    "#DIV/0!",
    "#N/A",
    "#NAME?",
    "#NULL!",
    "#NUM!",
    "#REF!",
    "#VALUE!",
    "#SPILL!",
    "#CALC!",
    "#GETTING_DATA",
}


def _cell_value(value: Any, name: str) -> tuple[Any, str | None]:
    """The value to validate, or a problem with the cell itself."""
    if isinstance(value, datetime | date | time):
        if name == "year":
            return None, (
                "the spreadsheet has turned this into a date; format the column as Text and type "
                "the year, for example 2023/24"
            )
        if name != "name":
            return None, "holds a date or time; type the figure as a plain number"
    if isinstance(value, str) and value.strip().upper() in _SPREADSHEET_ERRORS:
        return None, f"shows the spreadsheet error {value.strip()}; type the value instead"
    return value, None


def _map_headers(
    header_number: int, headers: list[Any], sheet: _Sheet, result: ImportResult
) -> dict[str, int]:
    """Which column holds each field; problems for ambiguous and repeated headers."""
    found: dict[str, list[tuple[int, str]]] = {}
    ignored: list[str] = []
    unnamed: list[str] = []
    for index, value in enumerate(headers):
        if _blank(value):
            filled = sum(
                1 for _, row in sheet.rows[1:] if index < len(row) and not _blank(row[index])
            )
            if filled:
                unnamed.append(f"column {_column_letter(index)} ({filled} filled cell(s))")
            continue
        text = _header_text(value)
        key = normalise_header(text)
        if key in _AMBIGUOUS_INDEX:
            choices = " or ".join(f"'{FIELD_LABELS[f]}'" for f in _AMBIGUOUS_INDEX[key])
            result.problems.append(
                CellProblem(
                    header_number,
                    text,
                    f"this header could mean {choices}, so the column was not read; rename it "
                    "to the one it holds",
                )
            )
        elif key in HEADER_INDEX:
            found.setdefault(HEADER_INDEX[key], []).append((index, text))
        else:
            ignored.append(f"'{text}'")
    mapping: dict[str, int] = {}
    for name, columns in found.items():
        if len(columns) > 1:
            listed = " and ".join(f"'{text}'" for _, text in columns)
            for _, text in columns:
                result.problems.append(
                    CellProblem(
                        header_number,
                        text,
                        f"the columns {listed} both look like '{FIELD_LABELS[name]}', so neither "
                        "was read; keep one of them",
                    )
                )
            continue
        index, text = columns[0]
        mapping[name] = index
        result.columns[name] = text
    if ignored:
        result.notes.append(
            f"Ignored {len(ignored)} column(s) the toolkit does not read: {', '.join(ignored)}."
        )
    if unnamed:
        result.notes.append(
            f"Ignored {len(unnamed)} column(s) with no header: {', '.join(unnamed)}."
        )
    if header_number != 1:
        result.notes.append(f"Read the column headers from row {header_number}.")
    return mapping


def _check_required(mapping: dict[str, int], result: ImportResult, filename: str) -> None:
    missing = [name for name in REQUIRED_FIELDS if name not in mapping]
    if not missing:
        return
    names = ", ".join(f"'{FIELD_LABELS[name]}'" for name in missing)
    header_problems = "".join(f" Also: {problem}." for problem in result.problems)
    raise SpreadsheetRefused(
        f"{filename}: missing {len(missing)} required column(s): {names}. The first filled row "
        "must hold the column headers; use the template's headers (python -m toolkit template)."
        f"{header_problems}"
    )


def _services(sheet: _Sheet, filename: str) -> ImportResult:
    result = ImportResult(filename, notes=list(sheet.notes))
    if not sheet.rows:
        raise SpreadsheetRefused(f"{filename}: there is nothing in the file (every row is blank).")
    header_number, headers = sheet.rows[0]
    mapping = _map_headers(header_number, headers, sheet, result)
    _check_required(mapping, result, filename)
    body = sheet.rows[1:]
    if not body:
        raise SpreadsheetRefused(
            f"{filename}: has the column headers but no services below them. Add one row per "
            "service."
        )
    example_rows: list[int] = []
    unprefixed = 0
    names_seen: dict[str, int] = {}
    for number, row in body:
        values: dict[str, Any] = {}
        cell_problems: dict[str, str] = {}
        for name, index in mapping.items():
            raw = row[index] if index < len(row) else None
            if name in _TEXT_FIELDS:
                raw, removed = _undo_inert_prefix(raw)
                unprefixed += removed
            if (number, index) in sheet.bad_cells:
                cell_problems[name] = sheet.bad_cells[(number, index)]
                continue
            value, problem = _cell_value(raw, name)
            if problem:
                cell_problems[name] = problem
            else:  # blanks too, so that the record says what a blank required cell needs
                values[name] = None if _blank(value) else value
        if _is_example(values.get("name")):
            example_rows.append(number)
            continue
        if all(_blank(value) for value in values.values()) and not cell_problems:
            result.notes.append(
                f"Row {number} has nothing in the columns the toolkit reads, so it was skipped."
            )
            continue
        found = dict(cell_problems)
        record: ServiceRecord | None = None
        try:
            record = parse_service(values)
        except ServiceRecordError as exc:
            for problem in exc.problems:
                found.setdefault(problem.field, problem.message)
        if found or record is None:
            # In the order of the file's columns, as a person reads across the row.
            for name in sorted(found, key=lambda name: mapping.get(name, len(headers))):
                column = result.columns.get(name, FIELD_LABELS.get(name, name))
                result.problems.append(CellProblem(number, column, found[name]))
            continue
        result.records.append((number, record))
        key = record.name.casefold()
        if key in names_seen:
            result.notes.append(
                f"Rows {names_seen[key]} and {number} have the same service name "
                f"('{record.name}'); both were read."
            )
        else:
            names_seen[key] = number
    if example_rows:
        rows_text = ", ".join(str(n) for n in example_rows)
        result.notes.append(
            f"Skipped row {rows_text}: it is the template's fictional example ('{EXAMPLE_NAME}')."
        )
        if not result.records and not result.problems:
            raise SpreadsheetRefused(
                f"{filename}: holds only the template's fictional example row. Type your "
                "services in the rows below it (or over it) and try again."
            )
    if unprefixed:
        result.notes.append(
            f"Removed the protective apostrophe from {unprefixed} text cell(s) (added on export "
            "so that text cannot run as a formula)."
        )
    return result


def read_services(source: str | Path | bytes, filename: str | None = None) -> ImportResult:
    """Read services from an .xlsx or .csv file (a path, or the file's bytes and its name).

    Raises :class:`SpreadsheetRefused` when the whole file cannot be read; otherwise every
    bad cell is in ``problems`` and every good row in ``records``.
    """
    if isinstance(source, bytes | bytearray):
        if not filename:
            raise ValueError("filename: give the file's name with its bytes (for its type)")
        data: bytes | None = bytes(source)
        size = len(data)
    else:
        path = Path(source)
        filename = filename or path.name
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise SpreadsheetRefused(f"{filename}: could not be opened ({exc.strerror}).") from None
        data = None
    name = Path(filename).name or filename
    extension = Path(name).suffix.lower()
    if extension in _REFUSED_EXTENSIONS:
        raise SpreadsheetRefused(f"{name}: {_REFUSED_EXTENSIONS[extension]}")
    if extension not in (".xlsx", ".csv"):
        kind = f"'{extension}'" if extension else "no file type"
        raise SpreadsheetRefused(
            f"{name}: only .xlsx and .csv files can be read (this one has {kind}). {_SAVE_AS}."
        )
    _check_size(size, name)
    if data is None:
        try:
            data = Path(source).read_bytes()  # type: ignore[arg-type]
        except OSError as exc:
            raise SpreadsheetRefused(f"{name}: could not be read ({exc.strerror}).") from None
        _check_size(len(data), name)
    sheet = _read_xlsx(data, name) if extension == ".xlsx" else _read_csv(data, name)
    return _services(sheet, name)


# --------------------------------------------------------------------------------------------
# The template
# --------------------------------------------------------------------------------------------


def support_model_labels() -> list[str]:
    """The support model names offered in the template (data/support_models.csv)."""
    return [row["label"] for row in read_rows(data_dir() / "support_models.csv")]


def _note_text(name: str) -> str:
    note = COLUMN_NOTES[name]
    need = "Required." if note.required else "Optional."
    return f"{need} {note.what}\nUnit: {note.unit}.\nSource: {note.source}."


def template_rows() -> tuple[list[str], list[Any]]:
    """The header row and the example row of the template."""
    headers = [FIELD_LABELS[name] for name in TEMPLATE_FIELDS]
    example = [EXAMPLE_ROW.get(name) for name in TEMPLATE_FIELDS]
    return headers, example


def template_csv() -> bytes:
    """The template as CSV (UTF-8 with a byte order mark, so Excel shows the \u00a3 sign)."""
    headers, example = template_rows()
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerow(["" if value is None else value for value in example])
    return buffer.getvalue().encode("utf-8-sig")


def template_xlsx() -> bytes:
    """The template workbook: Services (headers with notes, example, validation), Notes, Lists."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    limits = rules()
    last_row = limits.import_.max_rows + 1
    book = Workbook()
    sheet = book.active
    sheet.title = "Services"
    headers, example = template_rows()
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    example_fill = PatternFill("solid", fgColor="F2F2F2")
    for column, (name, header) in enumerate(zip(TEMPLATE_FIELDS, headers, strict=True), start=1):
        cell = sheet.cell(row=1, column=column, value=header)
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        comment = Comment(_note_text(name), "Employment support toolkit")
        comment.width, comment.height = 320, 160
        cell.comment = comment
        letter = get_column_letter(column)
        sheet.column_dimensions[letter].width = 34 if name in ("name", "support_model") else 18
        if name in _TEXT_FIELDS:
            for row in range(2, last_row + 1):
                sheet.cell(row=row, column=column).number_format = "@"
        elif name == "total_cost":
            for row in range(2, last_row + 1):
                sheet.cell(row=row, column=column).number_format = '"\u00a3"#,##0'
    for column, value in enumerate(example, start=1):
        cell = sheet.cell(row=2, column=column, value=value)
        cell.font = Font(italic=True, color="595959")
        cell.fill = example_fill
    sheet.row_dimensions[1].height = 48
    sheet.freeze_panes = "B2"

    def validation(name: str, **options: Any) -> None:
        letter = get_column_letter(TEMPLATE_FIELDS.index(name) + 1)
        rule = DataValidation(allow_blank=True, showErrorMessage=True, **options)
        rule.add(f"{letter}2:{letter}{last_row}")
        sheet.add_data_validation(rule)

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

    notes = book.create_sheet("Notes")
    intro = [
        "Employment support benchmarking: data request",
        "One row per service on the 'Services' sheet. Row 2 is a fictional example: delete it "
        "or type over it (the toolkit skips it if it is left in).",
        "Figures are for one year. The columns follow the reduced data request of the NDTi study "
        f"({_APPENDIX_5}). Hover over a header in Excel to see its note.",
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
        cell.fill = header_fill
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
    book.active = 0
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_template(path: str | Path) -> Path:
    """Write the template to ``path`` (.xlsx or .csv, by its extension)."""
    path = Path(path)
    extension = path.suffix.lower()
    if extension == ".xlsx":
        path.write_bytes(template_xlsx())
    elif extension == ".csv":
        path.write_bytes(template_csv())
    else:
        raise ValueError(f"{path.name}: the template can be written as .xlsx or .csv")
    return path


# --------------------------------------------------------------------------------------------
# Export
# --------------------------------------------------------------------------------------------


def inert(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe; numbers pass.

    Cells beginning with = + - @ tab or carriage return are prefixed with ``'`` (the OWASP
    advice for CSV injection). Only text is changed: a negative number stays a number.
    """
    if isinstance(value, str) and value.startswith(_INERT_PREFIXES):
        return "'" + value
    return value


POSITION_TEXT = {
    "below": "Below the band",
    "within": "Within the band",
    "above": "Above the band",
}
JUDGEMENT_TEXT = {
    "better": "Better",
    "similar": "Similar",
    "worse": "Worse",
    "no_judgement": "Not judged",
}


@dataclass(frozen=True)
class ExportColumn:
    header: str
    kind: str  # text, money, count, percent, number


def _percent(value: float | None, places: int = 2) -> float | None:
    return None if value is None else round(100 * value, places)


def _band_sets_in(results: Sequence[dict[str, Any]]) -> list[BandSet]:
    present = {c["bands"] for result in results for c in result["comparisons"]}
    return [band_set for band_set in BandSet if band_set.value in present]


def export_table(
    results: Sequence[dict[str, Any]],
) -> tuple[list[ExportColumn], list[list[Any]]]:
    """Columns (header with unit, kind) and one row per service, before inerting."""
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
    ]
    columns.append(ExportColumn("Prices the bands are in", "text"))
    band_sets = _band_sets_in(results)
    for band_set in band_sets:
        group = BAND_SET_LABELS[band_set]
        for measure in BANDED_MEASURES:
            label = MEASURE_LABELS[measure]
            columns += [
                ExportColumn(f"{label} against {group}: position", "text"),
                ExportColumn(f"{label} against {group}: judgement", "text"),
                ExportColumn(f"{label} against {group}: what it means", "text"),
            ]
    columns.append(ExportColumn("Notes", "text"))

    rows: list[list[Any]] = []
    for result in results:
        service, m = result["service"], result["measures"]
        row: list[Any] = []
        for name in TEMPLATE_FIELDS:
            value = service.get(name)
            if name == "client_group" and value:
                value = CLIENT_GROUP_LABELS[ClientGroup(value)]
            row.append(value)
        rate = next(
            (
                c["interval"]
                for c in result["comparisons"]
                if c["measure"] == "job_outcome_rate" and c["interval"]
            ),
            None,
        )
        split, per_100 = m["outcome_split"], m["per_100_supported"]
        row += [
            m["job_outcomes"],
            m["cost_per_person"],
            m["cost_per_job_outcome"],
            _percent(m["job_outcome_rate"]),
            _percent(rate["low"]) if rate else None,
            _percent(rate["high"]) if rate and rate["high"] is not None else None,
            _percent(split["new_jobs"]),
            _percent(split["jobs_retained"]),
            _percent(split["self_employed"]),
            per_100["new_jobs"],
            per_100["jobs_retained"],
            per_100["self_employed"],
            m["support_level_index"],
            result["price_base"]["label"] if result.get("price_base") else None,
        ]
        for band_set in band_sets:
            for measure in BANDED_MEASURES:
                comparison = next(
                    (
                        c
                        for c in result["comparisons"]
                        if c["bands"] == band_set.value and c["measure"] == measure
                    ),
                    None,
                )
                if comparison is None:
                    row += [None, None, None]
                    continue
                row += [
                    POSITION_TEXT.get(comparison["position"] or "", "Cannot be placed"),
                    JUDGEMENT_TEXT[comparison["judgement"]],
                    comparison["text"],
                ]
        row.append(" ".join(result["notes"]) or None)
        rows.append(row)
    return columns, rows


def _export_csv(results: Sequence[dict[str, Any]]) -> bytes:
    columns, rows = export_table(results)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([column.header for column in columns])
    for row in rows:
        writer.writerow(["" if value is None else inert(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


_NUMBER_FORMATS = {"money": '"\u00a3"#,##0', "percent": "0.0", "count": "#,##0", "number": "0.##"}


def _export_xlsx(results: Sequence[dict[str, Any]]) -> bytes:
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
    for row, text in enumerate(lines + sources, start=1):
        about.cell(row=row, column=1, value=text)
    about["A1"].font = Font(bold=True, size=14)
    about.column_dimensions["A"].width = 120
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def export_bytes(results: Sequence[dict[str, Any]], fmt: str) -> bytes:
    """Services and their results as ``csv`` or ``xlsx`` bytes (for a download link)."""
    fmt = fmt.lower().lstrip(".")
    if fmt == "csv":
        return _export_csv(results)
    if fmt == "xlsx":
        return _export_xlsx(results)
    raise ValueError(f"fmt: expected 'csv' or 'xlsx', not '{fmt}'")


def export_results(results: Sequence[dict[str, Any]], path: str | Path) -> Path:
    """Write services and their results to ``path`` (.csv or .xlsx, by its extension)."""
    path = Path(path)
    extension = path.suffix.lower()
    if extension not in (".csv", ".xlsx"):
        raise ValueError(f"{path.name}: results can be written as .csv or .xlsx")
    path.write_bytes(export_bytes(results, extension))
    return path


def records_of(result: ImportResult) -> list[ServiceRecord]:
    """Just the services, in file order."""
    return [record for _, record in result.records]
