"""Reading services from a spreadsheet (.xlsx or .csv), cell by cell, safely.

:func:`read_services` reads the template, or a reasonable variation of it
(columns in another order, extra columns, a few header synonyms). Every bad
cell is reported by its row number and the user's own column header; good rows
still import; nothing is guessed silently. Whole files that cannot be read
safely are refused with :class:`SpreadsheetRefused`.
"""

from __future__ import annotations

import csv
import io
import warnings
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from toolkit.content.rules import rules
from toolkit.domain.record import (
    FIELD_LABELS,
    REQUIRED_FIELDS,
    ServiceRecord,
    ServiceRecordError,
    parse_service,
)
from toolkit.present.sheets.columns import (
    AMBIGUOUS_INDEX,
    EXAMPLE_NAME,
    HEADER_INDEX,
    TEXT_FIELDS,
    normalise_header,
)


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


def _sheet_index(sheets: list[Any], notes: list[str]) -> int:
    """The sheet called 'Services', else the first (saying which others were not read)."""
    index = next(
        (i for i, sheet in enumerate(sheets) if sheet.title.strip().lower() == "services"), -1
    )
    if index < 0 and len(sheets) > 1:
        others = ", ".join(f"'{s.title}'" for s in sheets[1:])
        notes.append(
            f"Read the first sheet, '{sheets[0].title}' (no sheet is called 'Services'); "
            f"other sheets were not read ({others})."
        )
    return max(index, 0)


def _value_rows(
    sheet: Any, filename: str, limit: int, bad: dict[tuple[int, int], str]
) -> list[tuple[int, list[Any]]]:
    """The rows that hold anything, by row number; Excel error cells are noted in ``bad``."""
    rows: list[tuple[int, list[Any]]] = []
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
    return rows


def _count_formulas(
    formula_sheet: Any,
    rows: list[tuple[int, list[Any]]],
    limit: int,
    bad: dict[tuple[int, int], str],
) -> int:
    """Formulas whose saved result was used; those with none are noted in ``bad``."""
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
    return formulas_used


def _read_xlsx(data: bytes, filename: str) -> _Sheet:
    import openpyxl  # imported here: about 20 MB, only needed when a workbook is read

    _check_xlsx_container(data, filename)
    limit = rules().import_.max_rows
    notes: list[str] = []

    def open_book(data_only: bool) -> Any:
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
        index = _sheet_index(sheets, notes)
        sheet = sheets[index]
        formula_sheet = formulas_book.worksheets[index]
        for ws in (sheet, formula_sheet):
            ws.reset_dimensions()  # do not trust the saved size: read every row there is
        bad: dict[tuple[int, int], str] = {}
        rows = _value_rows(sheet, filename, limit, bad)
        formulas_used = _count_formulas(formula_sheet, rows, limit, bad)
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
    """The spreadsheet's letters for a column counted from 0: A, B, ..., Z, AA, AB, ..."""
    number, letters = index + 1, ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def is_example(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    text = value.strip().casefold().replace("\u2013", "-").replace("\u2014", "-")
    return text == EXAMPLE_NAME.casefold().replace("\u2013", "-") or (
        text.startswith("example") and "delete this row" in text
    )


def undo_inert_prefix(value: Any) -> tuple[Any, bool]:
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
        if key in AMBIGUOUS_INDEX:
            choices = " or ".join(f"'{FIELD_LABELS[f]}'" for f in AMBIGUOUS_INDEX[key])
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
            if name in TEXT_FIELDS:
                raw, removed = undo_inert_prefix(raw)
                unprefixed += removed
            if (number, index) in sheet.bad_cells:
                cell_problems[name] = sheet.bad_cells[(number, index)]
                continue
            value, problem = _cell_value(raw, name)
            if problem:
                cell_problems[name] = problem
            else:  # blanks too, so that the record says what a blank required cell needs
                values[name] = None if _blank(value) else value
        if is_example(values.get("name")):
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
            for field_problem in exc.problems:
                found.setdefault(field_problem.field, field_problem.message)
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
    sheet, name, _ = load_sheet(source, filename)
    return _services(sheet, name)


def load_sheet(
    source: str | Path | bytes, filename: str | None = None
) -> tuple[_Sheet, str, bytes]:
    """The checked rows of an .xlsx or .csv file, its name and its bytes (shared by the imports).

    Raises :class:`SpreadsheetRefused` for a file of the wrong type or size.
    """
    data: bytes | None
    if isinstance(source, bytes | bytearray):
        if not filename:
            raise ValueError("filename: give the file's name with its bytes (for its type)")
        data = bytes(source)
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
    return sheet, name, data


def records_of(result: ImportResult) -> list[ServiceRecord]:
    """Just the services, in file order."""
    return [record for _, record in result.records]
