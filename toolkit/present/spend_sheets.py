"""The spend map in and out of spreadsheets: the template, the import and the Excel export.

The template is laid out like the Stage One questionnaire: one sheet of provision
lines (the 'counting'), one of budget streams over three years (2a), one of
delivery organisations (2c), one of the factors behind investment (question 3)
and one of the other answers (2d to 2g). A plain CSV of provision lines is read
too. Problems are reported by sheet, row and column, as the services import
does, and whole-file checks (type, size, macros) are the services import's own
(:func:`toolkit.present.sheets.read.load_sheet`). Every text cell written out
passes through :func:`toolkit.present.spreadsheets.inert`.
"""

from __future__ import annotations

import csv
import io
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from toolkit.domain.parsing import is_blank, parse_count, parse_money
from toolkit.present.sheets.columns import inert
from toolkit.present.sheets.read import (
    CellProblem,
    SpreadsheetRefused,
    is_example,
    load_sheet,
    undo_inert_prefix,
)
from toolkit.worksheets.spend_map import national
from toolkit.worksheets.spend_map.model import (
    ChangeArea,
    Eligibility,
    Factor,
    KnownUse,
    ProvisionLine,
    SpendMap,
    StreamSpend,
    parse_year,
)
from toolkit.worksheets.spend_map.vocab import (
    CLIENT_GROUP_LABELS,
    STANDARD_STREAMS,
    SUPPORT_TYPE_LABELS,
    ClientGroup,
    Organisation,
    SupportType,
    normalise,
    parse_client_group,
    parse_five_year,
    parse_flag,
    parse_support_type,
)

LINES_SHEET = "Provision"
STREAMS_SHEET = "Budget streams"
ORGS_SHEET = "Delivery organisations"
FACTORS_SHEET = "Factors"
ABOUT_SHEET = "About the map"
#: Rows of a sheet read (the services import allows 500 services).
_MAX_ROWS = 1000
EXAMPLE_PROVIDER = "EXAMPLE \u2013 fictional provider, delete this row"

#: Provision-line columns: field, header, required.
LINE_COLUMNS: tuple[tuple[str, str, bool], ...] = (
    ("provider", "provider", True),
    ("funding_stream", "funding_stream", True),
    ("support_type", "support_type", True),
    ("client_group", "client_group", True),
    ("annual_spend", "annual_spend", True),
    ("people_supported", "people_supported", False),
    ("job_outcomes", "job_outcomes", False),
)
_LINE_HEADERS = {
    "provider": "provider", "provider name": "provider", "organisation": "provider",
    "funding stream": "funding_stream", "budget stream": "funding_stream", "stream": "funding_stream",
    "support type": "support_type", "type of support": "support_type",
    "client group": "client_group",
    "annual spend": "annual_spend", "spend": "annual_spend", "annual spend (£)": "annual_spend",
    "people supported": "people_supported", "job outcomes": "job_outcomes",
}

#: The other answers (2d to 2g and the map's own details): field, question, how to answer.
ABOUT_QUESTIONS: tuple[tuple[str, str, str], ...] = (
    ("area", "Area (council or partnership)", "text"),
    ("year", "Year the figures cover", "e.g. 2025-26"),
    ("lines_flag", "Are the provision figures rough estimates or calculated?",
     "rough estimate / calculated"),
    ("other_groups_named", "Which client groups does 'other' cover?", "text"),
    ("collects_numbers_into_work",
     "Do you collect the numbers supported into work for each investment?", "yes / no"),
    ("five_year", "Spend this year against five years ago", "more / same / less"),
    ("eligibility", "Are the services you fund for eligible people only, or open to others?",
     "eligible people only / open to others"),
    ("personal_budgets_allowed", "May people spend a personal budget on employment support?",
     "yes / no"),
    ("personal_budgets_use", "Do you know whether people are doing so?",
     "we know they are / we know they are not / we do not know"),
    ("personal_budgets_amount_known", "Do you know how much of their budgets goes on it?",
     "yes / no"),
    ("under_18_options", "Employment support for disabled people under 18", "text"),
    ("under_18_spend", "Spend on that support for under-18s (£ a year)", "amount"),
    ("expected_change", "Expected change in spend over the next year or beyond",
     "more / same / less"),
    ("expected_change_areas", "What is expected to change?",
     "any of: types of support; delivery organisations; client groups; total spend"),
    ("expected_change_notes", "Describe the expected changes", "text"),
    ("price_year", "Prices of which year are the money figures in?",
     "e.g. 2025-26 (blank: the year they cover)"),
)
_YES = {"yes", "y", "true"}
_NO = {"no", "n", "false"}


@dataclass(frozen=True)
class SheetProblem(CellProblem):
    """A bad cell, with the sheet it is on."""

    sheet: str | None = None

    def __str__(self) -> str:
        text = CellProblem.__str__(self)
        return f"sheet '{self.sheet}', {text}" if self.sheet else text


@dataclass
class SpendImport:
    """The map read from a file, the problems found and notes on what was done."""

    filename: str
    spend_map: SpendMap
    problems: list[CellProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


# --------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(str(error["msg"]).removeprefix("Value error, ") for error in exc.errors())
    return str(exc)


def _line_headers(header: list[Any]) -> dict[str, tuple[int, str]]:
    found: dict[str, tuple[int, str]] = {}
    for index, value in enumerate(header):
        if is_blank(value):
            continue
        text = " ".join(str(value).split())
        key = normalise(text.replace("_", " "))
        name = _LINE_HEADERS.get(key) or _LINE_HEADERS.get(key.replace(" (£)", ""))
        if name and name not in found:
            found[name] = (index, text)
    return found


def _required_text(what: str):
    def parse(value: Any) -> str:
        if is_blank(value):
            raise ValueError(f"give the {what}")
        return " ".join(str(undo_inert_prefix(value)[0]).split())

    return parse


def _spend(value: Any) -> float:
    if is_blank(value):
        raise ValueError("give the annual spend in £ (0 if none)")
    return parse_money(value)


def _optional_count(value: Any) -> int | None:
    return None if is_blank(value) else parse_count(value)


#: How each provision-line cell is read (each raises ValueError with a sentence to act on).
_LINE_PARSERS = {
    "provider": _required_text("provider"),
    "funding_stream": _required_text("funding stream"),
    "support_type": parse_support_type,
    "client_group": parse_client_group,
    "annual_spend": _spend,
    "people_supported": _optional_count,
    "job_outcomes": _optional_count,
}


def _read_lines(rows, bad_cells, sheet_name: str | None, result: SpendImport) -> list[ProvisionLine]:
    if not rows:
        result.notes.append("No provision lines were found.")
        return []
    header_number, header = rows[0]
    columns = _line_headers(header)
    missing = [header_text for name, header_text, required in LINE_COLUMNS
               if required and name not in columns]
    if missing:
        where = f"sheet '{sheet_name}'" if sheet_name else "the file"
        raise SpreadsheetRefused(
            f"{result.filename}: {where} is missing the column(s) {', '.join(missing)}. The first "
            "filled row must hold the headers provider, funding_stream, support_type, "
            "client_group, annual_spend (python -m toolkit spend template)."
        )
    lines = []
    for number, values in rows[1:]:
        cells = {name: values[index] if index < len(values) else None
                 for name, (index, _) in columns.items()}
        if is_example(cells.get("provider")):
            result.notes.append(f"Left out the example row {number}.")
            continue
        raw: dict[str, Any] = {}
        problems = []
        for name, (index, header_text) in columns.items():
            value = cells[name]
            problem = bad_cells.get((number, index))
            try:
                if problem:
                    raise ValueError(problem)
                raw[name] = _LINE_PARSERS[name](value)
            except ValueError as exc:
                problems.append(SheetProblem(number, header_text, str(exc), sheet_name))
        if not problems:
            try:
                lines.append(ProvisionLine(**raw))
                continue
            except ValidationError as exc:
                for error in exc.errors():
                    name = str(error["loc"][0]) if error["loc"] else ""
                    header_text = columns.get(name, (0, name))[1]
                    problems.append(SheetProblem(
                        number, header_text,
                        str(error["msg"]).removeprefix("Value error, "), sheet_name))
        result.problems.extend(problems)
    return lines


def _yes_no(value: Any) -> bool:
    text = normalise(value)
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValueError(f"answer yes or no (not '{value}')")


def _choice(value: Any, choices) -> Any:
    text = normalise(value)
    for choice in choices:
        if normalise(choice.value) == text:
            return choice
    allowed = " / ".join(choice.value for choice in choices)
    raise ValueError(f"'{value}' is not one of: {allowed}")


def _about_value(name: str, value: Any) -> Any:
    if name in ("collects_numbers_into_work", "personal_budgets_allowed",
                "personal_budgets_amount_known"):
        return _yes_no(value)
    if name in ("year", "price_year"):
        return parse_year(value)
    if name in ("five_year", "expected_change"):
        return parse_five_year(value)
    if name == "lines_flag":
        return parse_flag(value)
    if name == "eligibility":
        return _choice(value, Eligibility)
    if name == "personal_budgets_use":
        return _choice(value, KnownUse)
    if name == "under_18_spend":
        return parse_money(value)
    if name == "expected_change_areas":
        parts = [part for part in str(value).replace(",", ";").split(";") if part.strip()]
        return [_choice(part, ChangeArea) for part in parts]
    return " ".join(str(value).split())


def _sheet_rows(book, title: str) -> tuple[list[tuple[int, list[Any]]], dict] | None:
    sheet = next((ws for ws in book.worksheets if ws.title.strip().lower() == title.lower()), None)
    if sheet is None:
        return None
    rows, bad = [], {}
    sheet.reset_dimensions()  # do not trust the saved size
    for number, cells in enumerate(
        sheet.iter_rows(min_row=1, max_row=_MAX_ROWS, max_col=8), start=1
    ):
        values = [cell.value for cell in cells]
        if all(is_blank(value) for value in values):
            continue
        for index, cell in enumerate(cells):
            if getattr(cell, "data_type", None) == "e":
                bad[(number, index)] = f"shows the Excel error {cell.value}; type the value"
        rows.append((number, values))
    return rows, bad


def _cell(values: list[Any], index: int) -> Any:
    return values[index] if index < len(values) else None


def _read_about(found, result: SpendImport, data: dict[str, Any]) -> None:
    rows, bad = found
    labels = {normalise(label): name for name, label, _ in ABOUT_QUESTIONS}
    for number, values in rows:
        name = labels.get(normalise(_cell(values, 0) or ""))
        if name is None:
            continue
        value = _cell(values, 1)
        if is_blank(value):
            continue
        try:
            if (number, 1) in bad:
                raise ValueError(bad[(number, 1)])
            data[name] = _about_value(name, value)
        except ValueError as exc:
            result.problems.append(SheetProblem(number, "Answer", str(exc), ABOUT_SHEET))


def _read_streams(found, result: SpendImport, data: dict[str, Any]) -> None:
    rows, bad = found
    streams = []
    for number, values in rows[1:]:
        name = _cell(values, 0)
        amounts = [_cell(values, i) for i in (1, 2, 3)]
        flag = _cell(values, 4)
        if is_blank(name) or all(is_blank(a) for a in amounts):
            continue
        parsed, problems = [], []
        for index, amount in zip((1, 2, 3), amounts, strict=True):
            header = str(_cell(rows[0][1], index) or f"year {index}")
            try:
                if (number, index) in bad:
                    raise ValueError(bad[(number, index)])
                parsed.append(None if is_blank(amount) else parse_money(amount))
            except ValueError as exc:
                problems.append(SheetProblem(number, header, str(exc), STREAMS_SHEET))
        try:
            flag_value = None if is_blank(flag) else parse_flag(flag)
        except ValueError as exc:
            problems.append(SheetProblem(number, "Rough estimate or calculated", str(exc),
                                         STREAMS_SHEET))
        if problems:
            result.problems.extend(problems)
            continue
        streams.append(StreamSpend(stream=str(name), amounts=tuple(parsed), flag=flag_value))
    data["streams"] = streams


def _share(value: Any) -> float:
    if isinstance(value, str):
        text = value.strip().rstrip("%").strip()
        number = float(text) if text else 0.0
        return number / 100
    number = float(value)
    return number if number <= 1 else number / 100


def _read_organisations(found, result: SpendImport, data: dict[str, Any]) -> None:
    rows, bad = found
    shares: dict[Organisation, float] = {}
    for number, values in rows[1:]:
        label, value = _cell(values, 0), _cell(values, 1)
        if is_blank(label) or is_blank(value):
            continue
        if normalise(label).startswith("how firm"):
            try:
                data["organisations_flag"] = parse_flag(value)
            except ValueError as exc:
                result.problems.append(SheetProblem(number, "Share", str(exc), ORGS_SHEET))
            continue
        try:
            organisation = _choice(label, Organisation)
            share = _share(value)
            if not 0 <= share <= 1:
                raise ValueError("give a share between 0% and 100%")
            shares[organisation] = share
        except ValueError as exc:
            result.problems.append(SheetProblem(number, "Share", str(exc), ORGS_SHEET))
    if shares:
        data["organisations"] = shares


def _read_factors(found, result: SpendImport, data: dict[str, Any]) -> None:
    rows, bad = found
    ranks: dict[Factor, int] = {}
    for number, values in rows[1:]:
        label, rank = _cell(values, 0), _cell(values, 1)
        if is_blank(label):
            continue
        try:
            factor = _choice(label, Factor)
        except ValueError:
            continue
        if factor is Factor.other and not is_blank(_cell(values, 2)):
            data["other_factor"] = " ".join(str(_cell(values, 2)).split())
        if is_blank(rank):
            continue
        try:
            number_rank = parse_count(rank)
            if not 1 <= number_rank <= len(Factor):
                raise ValueError(f"give a rank from 1 to {len(Factor)}")
            if number_rank in ranks.values():
                raise ValueError(f"rank {number_rank} is given to two factors; give each its own")
            ranks[factor] = number_rank
        except ValueError as exc:
            result.problems.append(SheetProblem(number, "Rank", str(exc), FACTORS_SHEET))
    data["factor_ranks"] = ranks


def read_spend(
    source: str | Path | bytes, filename: str | None = None, year: str | None = None,
    price_year: str | None = None,
) -> SpendImport:
    """Read a spend map from the template (.xlsx) or a CSV of provision lines.

    Raises :class:`SpreadsheetRefused` when the whole file cannot be read; bad cells are
    in ``problems`` (their rows left out), the rest of the map is read.
    """
    sheet, name, data = load_sheet(source, filename)
    result = SpendImport(name, SpendMap())
    result.notes.extend(n for n in sheet.notes if not n.startswith("Read the first sheet"))
    answers: dict[str, Any] = {}
    if not name.lower().endswith(".xlsx"):
        lines = _read_lines(sheet.rows, sheet.bad_cells, None, result)
    else:
        import openpyxl  # only when a workbook is read, as in the services import

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            found = _sheet_rows(book, LINES_SHEET)
            if found is None:  # a plain workbook of lines: its first sheet, as read above
                found = (sheet.rows, sheet.bad_cells)
            lines = _read_lines(found[0], found[1], LINES_SHEET, result)
            readers = ((ABOUT_SHEET, _read_about), (STREAMS_SHEET, _read_streams),
                       (ORGS_SHEET, _read_organisations), (FACTORS_SHEET, _read_factors))
            for title, reader in readers:
                found = _sheet_rows(book, title)
                if found is not None:
                    reader(found, result, answers)
        finally:
            book.close()
    if year is not None:
        answers["year"] = parse_year(year)
    if price_year is not None:
        answers["price_year"] = parse_year(price_year)
    if lines and all(line.provider.casefold().startswith("example") for line in lines):
        answers["example"] = True
        result.notes.append("Every provider is marked EXAMPLE, so the map is labelled fictional.")
    try:
        result.spend_map = SpendMap(lines=lines, **answers)
    except ValidationError as exc:
        result.problems.append(SheetProblem(None, None, _message(exc), None))
        result.spend_map = SpendMap(lines=lines, year=answers.get("year"))
    return result


# --------------------------------------------------------------------------------------------
# Writing: the template and the export
# --------------------------------------------------------------------------------------------


def template_csv() -> bytes:
    """The plain CSV of provision lines: headers and one example row to delete."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([header for _, header, _ in LINE_COLUMNS])
    writer.writerow([EXAMPLE_PROVIDER, "social care", SupportType.paid_work.value,
                     ClientGroup.learning_disability.value, 50000, 20, 6])
    return out.getvalue().encode("utf-8")


def _book(spend_map: SpendMap | None):
    """The questionnaire workbook, blank (with an example row) or filled from a map."""
    from openpyxl import Workbook  # only when a workbook is written
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    bold = Font(bold=True)
    lines = book.active
    lines.title = LINES_SHEET
    lines.append([header for _, header, _ in LINE_COLUMNS])
    if spend_map is None:
        lines.append([EXAMPLE_PROVIDER, "social care", SupportType.paid_work.value,
                      ClientGroup.learning_disability.value, 50000, 20, 6])
    else:
        for line in spend_map.lines:
            lines.append([inert(line.provider), inert(line.funding_stream), line.support_type.value,
                          line.client_group.value, line.annual_spend, line.people_supported,
                          line.job_outcomes])
    types = DataValidation(type="list", formula1='"' + ",".join(t.value for t in SupportType) + '"',
                           allow_blank=True)
    groups = DataValidation(type="list", formula1='"' + ",".join(g.value for g in ClientGroup) + '"',
                            allow_blank=True)
    lines.add_data_validation(types)
    lines.add_data_validation(groups)
    types.add("C2:C500")
    groups.add("D2:D500")
    for column, width in zip("ABCDEFG", (40, 18, 40, 22, 14, 16, 14), strict=True):
        lines.column_dimensions[column].width = width
    for cell in lines[1]:
        cell.font = bold

    years = spend_map.stream_years if spend_map and spend_map.stream_years else (
        "last year", "this year", "next year")
    streams = book.create_sheet(STREAMS_SHEET)
    streams.append(["Budget stream", *[f"{y} (£)" for y in years], "Rough estimate or calculated"])
    if spend_map is not None and spend_map.streams:
        for stream in spend_map.streams:
            streams.append([inert(stream.stream), *stream.amounts,
                            stream.flag.value if stream.flag else None])
    else:
        for name in STANDARD_STREAMS:
            streams.append([name, None, None, None, None])
    streams.column_dimensions["A"].width = 30
    for column in "BCDE":
        streams.column_dimensions[column].width = 22

    orgs = book.create_sheet(ORGS_SHEET)
    orgs.append(["Delivery organisation", "Share of this year's spend (%)"])
    for organisation in Organisation:
        share = spend_map.organisations.get(organisation) if spend_map else None
        orgs.append([organisation.value, share])
        orgs.cell(orgs.max_row, 2).number_format = "0%"
    flag = spend_map.organisations_flag.value if spend_map and spend_map.organisations_flag else None
    orgs.append(["How firm are these shares? (rough estimate / calculated)", flag])
    orgs.column_dimensions["A"].width = 55
    orgs.column_dimensions["B"].width = 30

    factors = book.create_sheet(FACTORS_SHEET)
    factors.append(["Factor", "Rank (1 = most important; blank if it does not apply)",
                    "Other: please say"])
    for factor in Factor:
        rank = spend_map.factor_ranks.get(factor) if spend_map else None
        other = inert(spend_map.other_factor) if (spend_map and factor is Factor.other) else None
        factors.append([factor.value, rank, other or None])
    factors.column_dimensions["A"].width = 55
    factors.column_dimensions["B"].width = 30

    about = book.create_sheet(ABOUT_SHEET)
    about.append(["Question", "Answer", "How to answer"])
    for name, label, hint in ABOUT_QUESTIONS:
        value = getattr(spend_map, name) if spend_map else None
        if isinstance(value, list):
            value = "; ".join(item.value for item in value) or None
        elif isinstance(value, bool):
            value = "yes" if value else "no"
        elif value is not None and hasattr(value, "value"):
            value = value.value
        elif value == "":
            value = None
        about.append([label, inert(value), hint])
    about.column_dimensions["A"].width = 70
    about.column_dimensions["B"].width = 40
    about.column_dimensions["C"].width = 50
    for sheet in (streams, orgs, factors, about):
        for cell in sheet[1]:
            cell.font = bold
    return book


def _to_bytes(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_xlsx() -> bytes:
    """The blank questionnaire workbook (one example row, labelled fictional)."""
    return _to_bytes(_book(None))


def write_template(path: str | Path) -> Path:
    """Write the template as .xlsx or as the plain CSV of provision lines."""
    target = Path(path)
    data = template_csv() if target.suffix.lower() == ".csv" else template_xlsx()
    target.write_bytes(data)
    return target


def export_xlsx(spend_map: SpendMap, result: dict[str, Any]) -> bytes:
    """The filled questionnaire (it imports again) with a summary, gaps and sources added."""
    from openpyxl.styles import Font  # only when a workbook is written

    book = _book(spend_map)
    summary = book.create_sheet("Summary", 0)
    bold = Font(bold=True)
    title = "Map of spend on employment support"
    if spend_map.example:
        title += " (EXAMPLE: fictional figures)"
    summary.append([title])
    summary["A1"].font = Font(bold=True, size=14)
    summary.append(["Area", inert(result["area"]) or "not given"])
    summary.append(["Year", result["year"] or "not given"])
    summary.append(["Prices", f"as entered, {result['year'] or 'year not given'}"])
    summary.append(["Total spend (£)", result["total"]])
    summary.append([])
    summary.append(["Type of support", "Spend (£)", "Share", "Study (national)"])
    study = {label: share for label, share, _ in national.study_mix()}
    shares = result["shares_by_support_type"] or {}
    for support_type in SupportType:
        summary.append([SUPPORT_TYPE_LABELS[support_type],
                        result["by_support_type"].get(support_type.value, 0),
                        shares.get(support_type.value), study.get(support_type.value)])
        summary.cell(summary.max_row, 3).number_format = "0.0%"
        summary.cell(summary.max_row, 4).number_format = "0%"
    summary.append([])
    summary.append(["Client group", "Spend (£)", "Share"])
    group_shares = result["shares_by_client_group"] or {}
    for group in ClientGroup:
        summary.append([CLIENT_GROUP_LABELS[group], result["by_client_group"].get(group.value, 0),
                        group_shares.get(group.value)])
        summary.cell(summary.max_row, 3).number_format = "0.0%"
    summary.append([])
    summary.append(["What the map shows"])
    summary.cell(summary.max_row, 1).font = bold
    for sentence in result["findings"]:
        summary.append([sentence])
    summary.append([])
    summary.append(["Gaps (no spend recorded)", "Client group"])
    for gap in result["gaps"]:
        summary.append([SUPPORT_TYPE_LABELS[SupportType(gap["support_type"])],
                        CLIENT_GROUP_LABELS[ClientGroup(gap["client_group"])]])
    summary.append([])
    summary.append(["Possible duplication (worth checking, not a finding)", "Client group",
                    "Funding streams", "Providers"])
    for item in result["possible_duplication"]:
        summary.append([SUPPORT_TYPE_LABELS[SupportType(item["support_type"])],
                        CLIENT_GROUP_LABELS[ClientGroup(item["client_group"])],
                        inert(", ".join(item["streams"])), inert(", ".join(item["providers"]))])
    summary.append([])
    summary.append(["Sources"])
    summary.cell(summary.max_row, 1).font = bold
    sources = sorted({national.paid_work_share().source, national.other_share_upper().source,
                      *(source for _, _, source in national.study_mix())})
    for source in sources:
        summary.append([source])
    summary.column_dimensions["A"].width = 60
    for column in "BCD":
        summary.column_dimensions[column].width = 22
    return _to_bytes(book)
