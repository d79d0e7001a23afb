"""Spreadsheets in and out: template, import (good files, variations, bad files), export, CLI."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from toolkit.cli.main import main
from toolkit.content.rules import rules
from toolkit.domain.record import FIELD_LABELS, REQUIRED_FIELDS, parse_service
from toolkit.domain.results import service_result
from toolkit.present.spreadsheets import (
    AMBIGUOUS_HEADERS,
    COLUMN_NOTES,
    EXAMPLE_NAME,
    HEADER_INDEX,
    HEADER_SYNONYMS,
    TEMPLATE_FIELDS,
    CellProblem,
    SpreadsheetRefused,
    export_bytes,
    export_results,
    export_table,
    inert,
    normalise_header,
    read_services,
    template_csv,
    template_xlsx,
)

#: Fictional services used throughout (not study figures).
SERVICES: list[dict[str, Any]] = [
    {
        "name": "Northside IPS",
        "total_cost": 150000,
        "people_supported": 120,
        "new_jobs": 30,
        "jobs_retained": 18,
        "self_employed": 2,
        "client_group": "Mental health",
        "support_model": "Individual Placement and Support (IPS)",
        "year": "2012/13",
        "support_under_7_hours": 57,
        "support_7_to_40_hours": 39,
        "support_over_40_hours": 4,
    },
    {
        "name": "Riverside supported employment",
        "total_cost": "£210,500",
        "people_supported": 64,
        "new_jobs": 12,
        "jobs_retained": 3,
        "client_group": "Learning disability",
        "year": "2023/24",
        "hours_of_paid_work": 310.5,
        "average_weekly_hours": 16.5,
    },
    {
        "name": "+Plus Work Club",
        "total_cost": 98000.5,
        "people_supported": 200,
        "new_jobs": 0,
        "jobs_retained": 0,
    },
    {
        "name": "@Home & Co \u2013 Caf\u00e9 <b>",
        "total_cost": 50000,
        "people_supported": 12,
        "new_jobs": 3,
        "jobs_retained": 1,
        "self_employed": 1,
        "client_group": "Other or mixed",
    },
]

INJECTIONS = [
    '=HYPERLINK("http://example.invalid/steal","Click me")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\tTabbed service",
    "\rCarriage service",
    "<script>alert(1)</script>",
]


def expected_records(services=SERVICES):
    return [parse_service(service) for service in services]


def fill_template(path: Path, services=SERVICES, first_row: int = 3) -> Path:
    """The template with services typed from ``first_row`` (row 2 keeps the example)."""
    book = openpyxl.load_workbook(io.BytesIO(template_xlsx()))
    sheet = book["Services"]
    for row_number, service in enumerate(services, start=first_row):
        for column, field in enumerate(TEMPLATE_FIELDS, start=1):
            cell = sheet.cell(row=row_number, column=column)
            cell.value = service.get(field)
            if isinstance(cell.value, str):
                cell.data_type = "s"  # as typed text, even if it starts with '='
    book.save(path)
    return path


def write_csv(path: Path, rows: list[list[Any]], encoding: str = "utf-8", delimiter=",") -> Path:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, rows: list[list[Any]]) -> Path:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


GOOD_HEADER = ["Service name", "Total annual cost (£)", "People supported", "Gained a new job"]
GOOD_HEADER += ["Retained a job"]


def refused(path: Path) -> str:
    with pytest.raises(SpreadsheetRefused) as caught:
        read_services(path)
    return str(caught.value)


# --------------------------------------------------------------------------------------------
# The template
# --------------------------------------------------------------------------------------------


def test_template_workbook_has_headers_notes_example_and_validation():
    book = openpyxl.load_workbook(io.BytesIO(template_xlsx()))
    sheet = book["Services"]
    headers = [cell.value for cell in sheet[1]]
    assert headers == [FIELD_LABELS[field] for field in TEMPLATE_FIELDS]
    assert "Total annual cost (\u00a3)" in headers
    for cell in sheet[1]:
        assert cell.comment is not None, cell.value
        assert "Unit:" in cell.comment.text and "Source:" in cell.comment.text
    assert sheet["A2"].value == EXAMPLE_NAME
    assert "EXAMPLE" in sheet["A2"].value and "delete this row" in sheet["A2"].value
    validations = sheet.data_validations.dataValidation
    kinds = {dv.type for dv in validations}
    assert {"whole", "decimal", "list"} <= kinds
    whole = [dv for dv in validations if dv.type == "whole"]
    assert all(dv.operator == "greaterThanOrEqual" and dv.formula1 == "0" for dv in whole)
    client = next(dv for dv in validations if dv.type == "list" and "$A$" in dv.formula1)
    assert client.formula1.startswith("Lists!")
    lists = book["Lists"]
    assert [lists.cell(row=r, column=1).value for r in (2, 3, 4)] == [
        "Learning disability",
        "Mental health",
        "Other or mixed",
    ]
    notes = book["Notes"]
    text = "\n".join(str(cell.value) for row in notes.iter_rows() for cell in row if cell.value)
    for field in TEMPLATE_FIELDS:
        assert FIELD_LABELS[field] in text
        assert COLUMN_NOTES[field].source in text
    assert "Appendix 5" in text


def test_template_csv_is_the_header_and_the_example():
    text = template_csv().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [FIELD_LABELS[field] for field in TEMPLATE_FIELDS]
    assert rows[1][0] == EXAMPLE_NAME
    assert len(rows) == 2


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_an_untouched_template_is_refused_because_it_holds_only_the_example(tmp_path, suffix):
    path = tmp_path / f"template{suffix}"
    path.write_bytes(template_xlsx() if suffix == ".xlsx" else template_csv())
    assert "only the template's fictional example" in refused(path)


def test_every_column_has_a_note_and_the_header_tables_are_consistent():
    assert set(COLUMN_NOTES) == set(FIELD_LABELS)
    assert {f for f, note in COLUMN_NOTES.items() if note.required} == set(REQUIRED_FIELDS)
    for field, synonyms in HEADER_SYNONYMS.items():
        for header in synonyms:
            assert HEADER_INDEX[normalise_header(header)] == field, header
    for header in AMBIGUOUS_HEADERS:
        assert normalise_header(header) not in HEADER_INDEX


# --------------------------------------------------------------------------------------------
# Import: good files and reasonable variations
# --------------------------------------------------------------------------------------------


def test_filled_template_imports_and_skips_the_example(tmp_path):
    result = read_services(fill_template(tmp_path / "services.xlsx"))
    assert result.problems == []
    assert [number for number, _ in result.records] == [3, 4, 5, 6]
    assert [record for _, record in result.records] == expected_records()
    assert any("Skipped row 2" in note and "example" in note for note in result.notes)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_round_trip_template_import_export_import(tmp_path, fmt):
    first = read_services(fill_template(tmp_path / "services.xlsx"))
    results = [service_result(record) for _, record in first.records]
    exported = export_results(results, tmp_path / f"results.{fmt}")
    second = read_services(exported)
    assert second.problems == []
    assert [record for _, record in second.records] == [r for _, r in first.records]
    assert any("Ignored" in note for note in second.notes)  # the measure columns


def test_round_trip_keeps_names_that_look_like_formulas(tmp_path):
    services = [{**SERVICES[0], "name": name} for name in INJECTIONS if name.strip()]
    services = [s for s in services if s["name"] == s["name"].strip()]  # names keep no whitespace
    results = [service_result(parse_service(s)) for s in services]
    for fmt in ("csv", "xlsx"):
        path = tmp_path / f"results.{fmt}"
        path.write_bytes(export_bytes(results, fmt))
        again = read_services(path)
        assert [r.name for _, r in again.records] == [s["name"] for s in services]


def test_csv_with_reordered_columns_synonyms_extras_and_pound_signs(tmp_path):
    path = write_csv(
        tmp_path / "variation.csv",
        [
            ["New jobs", "Service", "Commissioner", "Cost (£)", "People supported in the year"]
            + ["Jobs retained", "  CLIENT group ", ""],
            ["4", "Alpha", "Some council", "£12,500", "20", "1", "mh", ""],
            ["0", "Beta", "", "8000", "15", "0", "", ""],
        ],
    )
    result = read_services(path)
    assert result.problems == []
    alpha, beta = (record for _, record in result.records)
    assert (alpha.name, alpha.total_cost, alpha.people_supported) == ("Alpha", 12500.0, 20)
    assert (alpha.new_jobs, alpha.jobs_retained, alpha.self_employed) == (4, 1, 0)
    assert alpha.client_group.value == "mental_health"
    assert beta.client_group is None
    assert result.columns["total_cost"] == "Cost (£)"
    assert any("Ignored 1 column" in n and "'Commissioner'" in n for n in result.notes)


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Total cost", "total_cost"),
        ("Cost (£)", "total_cost"),
        ("total_cost", "total_cost"),
        ("TOTAL ANNUAL COST (GBP)", "total_cost"),
        ("People supported in the year", "people_supported"),
        ("People-Supported", "people_supported"),
        ("New jobs", "new_jobs"),
        ("Gained new job", "new_jobs"),
        ("Retained existing job", "jobs_retained"),
        ("Became self employed", "self_employed"),
        ("Less than 7 hrs/wk", "support_under_7_hours"),
        ("7-40 hrs/wk", "support_7_to_40_hours"),
    ],
)
def test_header_synonyms_match_ignoring_case_spaces_and_punctuation(header, field):
    assert HEADER_INDEX[normalise_header(header)] == field


def test_csv_encodings_bom_and_windows_1252_and_semicolons(tmp_path):
    rows = [GOOD_HEADER, ["Café £ service", "£1,000", "10", "1", "1"]]
    bom = read_services(write_csv(tmp_path / "bom.csv", rows, "utf-8-sig"))
    assert bom.records[0][1].name == "Café £ service" and not bom.notes
    legacy = read_services(write_csv(tmp_path / "legacy.csv", rows, "cp1252"))
    assert legacy.records[0][1].name == "Café £ service"
    assert any("Windows-1252" in note for note in legacy.notes)
    semi = read_services(write_csv(tmp_path / "semi.csv", rows, delimiter=";"))
    assert semi.records[0][1].total_cost == 1000.0
    assert any("semicolons" in note for note in semi.notes)


def test_good_rows_import_and_each_bad_cell_is_reported_by_row_and_header(tmp_path):
    path = write_csv(
        tmp_path / "mixed.csv",
        [
            ["Service", "Total cost", "People supported", "New jobs", "Retained a job"],
            ["Good one", "1000", "10", "2", "1"],
            ["Bad one", "lots", "-4", "2.5", ""],
            ["", "", "", "", ""],
            ["Good two", "2000", "20", "3", "0"],
        ],
    )
    result = read_services(path)
    assert [(n, r.name) for n, r in result.records] == [(2, "Good one"), (5, "Good two")]
    messages = [str(problem) for problem in result.problems]
    assert messages[0].startswith("row 3, column 'Total cost': could not read 'lots'")
    assert messages[1] == "row 3, column 'People supported': cannot be negative (you typed '-4')"
    assert messages[2].startswith("row 3, column 'New jobs': must be a whole number")
    assert messages[3].startswith("row 3, column 'Retained a job': enter a whole number")
    assert result.rows_with_problems == [3]


def test_cross_field_problem_names_the_users_column(tmp_path):
    path = write_csv(
        tmp_path / "too-many.csv",
        [
            ["Service", "Cost", "People supported", "New jobs", "Jobs retained"],
            ["X", "10", "3", "2", "2"],
        ],
    )
    (problem,) = read_services(path).problems
    assert problem.row == 2 and problem.column == "People supported"
    assert "more than the 3 people supported" in problem.message


def test_cell_problem_text():
    assert str(CellProblem(4, "People supported", "cannot be negative")) == (
        "row 4, column 'People supported': cannot be negative"
    )
    assert str(CellProblem(None, None, "whole file")) == "whole file"


# --------------------------------------------------------------------------------------------
# Import: the bad-file battery
# --------------------------------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64


def macro_workbook(path: Path) -> Path:
    """A real workbook with a VBA project part added (as Excel saves an .xlsm)."""
    buffer = io.BytesIO()
    write_xlsx(path.with_suffix(".tmp.xlsx"), [GOOD_HEADER, ["A", 1000, 10, 1, 1]])
    with (
        zipfile.ZipFile(path.with_suffix(".tmp.xlsx")) as source,
        zipfile.ZipFile(buffer, "w") as target,
    ):
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 fake VBA project")
    path.write_bytes(buffer.getvalue())
    return path


@pytest.mark.parametrize(
    ("name", "make", "says"),
    [
        ("picture.xlsx", lambda p: p.write_bytes(PNG), "its content looks like a PNG image"),
        ("empty.xlsx", lambda p: p.write_bytes(b""), "the file is empty"),
        ("empty.csv", lambda p: p.write_bytes(b""), "the file is empty"),
        ("blank.csv", lambda p: p.write_bytes(b"\r\n ,,\r\n"), "every row is blank"),
        (
            "huge.csv",
            lambda p: p.write_bytes(b"x" * 2_000_001),
            "over the limit of 2,000,000 bytes (2 MB)",
        ),
        ("macro.xlsm", macro_workbook, "macro-enabled Excel workbook (.xlsm)"),
        ("disguised.xlsx", macro_workbook, "contains macros (a VBA project)"),
        ("old.xls", lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), "Excel 97-2003"),
        (
            "locked.xlsx",
            lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600),
            "password-protected",
        ),
        (
            "archive.xlsx",
            lambda p: zipfile.ZipFile(p, "w").writestr("readme.txt", "hi"),
            "zip archive, not an Excel workbook",
        ),
        ("truncated.xlsx", lambda p: p.write_bytes(b"PK\x03\x04broken"), "damaged"),
        (
            "workbook.csv",
            lambda p: p.write_bytes(template_xlsx()),
            "is named .csv but is an Excel workbook",
        ),
        ("image.png", lambda p: p.write_bytes(PNG), "only .xlsx and .csv files"),
        ("services", lambda p: p.write_bytes(b"a,b\n"), "has no file type"),
        ("sheet.ods", lambda p: p.write_bytes(b"PK\x03\x04"), "OpenDocument"),
        (
            "headers-only.csv",
            lambda p: p.write_bytes(",".join(GOOD_HEADER).encode() + b"\r\n"),
            "no services below them",
        ),
        (
            "binary.csv",
            lambda p: p.write_bytes(b"name,cost\x00\x01\x02\n"),
            "not a text file",
        ),
    ],
)
def test_bad_files_are_refused_with_a_clear_reason(tmp_path, name, make, says):
    path = tmp_path / name
    make(path)
    message = refused(path)
    assert says in message
    assert message.startswith(name)


def test_missing_required_columns_are_all_named(tmp_path):
    path = write_csv(tmp_path / "partial.csv", [["Service name", "Cost", "Notes"], ["A", "1", ""]])
    message = refused(path)
    for field in ("people_supported", "new_jobs", "jobs_retained"):
        assert f"'{FIELD_LABELS[field]}'" in message
    assert "missing 3 required column(s)" in message


def test_ambiguous_header_is_a_problem_never_a_guess(tmp_path):
    path = write_csv(
        tmp_path / "jobs.csv",
        [
            ["Service", "Cost", "People supported", "Jobs", "Retained a job"],
            ["A", "1", "2", "1", "1"],
        ],
    )
    message = refused(path)
    assert "'Gained a new job'" in message
    assert "could mean 'Gained a new job' or 'Retained a job'" in message
    extra = write_csv(
        tmp_path / "hours.csv",
        [GOOD_HEADER + ["Hours"], ["A", "1000", "10", "1", "1", "16"]],
    )
    result = read_services(extra)
    assert len(result.records) == 1
    (problem,) = result.problems
    assert (problem.row, problem.column) == (1, "Hours")


def test_two_columns_for_one_field_are_a_problem(tmp_path):
    path = write_csv(
        tmp_path / "twice.csv",
        [GOOD_HEADER + ["Total cost"], ["A", "1000", "10", "1", "1", "900"]],
    )
    message = refused(path)
    assert "both look like 'Total annual cost (£)'" in message


def test_text_and_negative_numbers_in_a_workbook(tmp_path):
    path = write_xlsx(
        tmp_path / "typed.xlsx",
        [GOOD_HEADER, ["Good", 1000, 10, 1, 1], ["Bad", "ten thousand", -5, "two", 1]],
    )
    result = read_services(path)
    assert [n for n, _ in result.records] == [2]
    assert [(p.row, p.column) for p in result.problems] == [
        (3, "Total annual cost (£)"),
        (3, "People supported"),
        (3, "Gained a new job"),
    ]
    assert "cannot be negative (you gave -5)" in result.problems[1].message


def test_formulas_without_saved_values_errors_and_dates_are_problems(tmp_path):
    from datetime import datetime

    path = tmp_path / "formulas.xlsx"
    write_xlsx(
        path,
        [
            GOOD_HEADER + ["Year the figures cover"],
            ["Formula", "=1000*2", 10, 1, 1, "2012/13"],
            ["Error", 1000, "#DIV/0!", 1, 1, None],
            ["Date", 1000, 10, 1, 1, datetime(2011, 12, 1)],
            ["Fine", 1000, 10, 1, 1, "2012/13"],
        ],
    )
    result = read_services(path)
    assert [r.name for _, r in result.records] == ["Fine"]
    by_row = {p.row: p for p in result.problems}
    assert by_row[2].column == "Total annual cost (£)"
    assert "contains a formula" in by_row[2].message and "type the value" in by_row[2].message
    assert by_row[3].column == "People supported" and "#DIV/0!" in by_row[3].message
    assert by_row[4].column == "Year the figures cover" and "date" in by_row[4].message


def test_a_formula_with_a_saved_value_is_used_and_noted(tmp_path):
    path = write_xlsx(tmp_path / "cached.xlsx", [GOOD_HEADER, ["A", "=500*2", 10, 1, 1]])
    # Put in the value Excel would have saved with the formula.
    buffer = io.BytesIO()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb"<f>500\*2</f><v\s*/>", b"<f>500*2</f><v>1000</v>", data)
                assert b"<v>1000</v>" in data
            target.writestr(item, data)
    path.write_bytes(buffer.getvalue())
    result = read_services(path)
    assert result.problems == []
    assert result.records[0][1].total_cost == 1000.0
    assert any("formulas" in note for note in result.notes)


def test_too_many_rows_is_refused(tmp_path):
    limit = rules().import_.max_rows
    rows = [GOOD_HEADER] + [[f"S{i}", "1000", "10", "1", "1"] for i in range(limit + 1)]
    assert f"the limit is {limit}" in refused(write_csv(tmp_path / "many.csv", rows))
    ok = read_services(write_csv(tmp_path / "enough.csv", rows[: limit + 1]))
    assert len(ok.records) == limit


def test_bytes_need_a_filename():
    with pytest.raises(ValueError, match="filename"):
        read_services(b"a,b")
    result = read_services(",".join(GOOD_HEADER).encode() + b"\r\nA,1000,10,1,1\r\n", "upload.csv")
    assert result.filename == "upload.csv" and len(result.records) == 1


# --------------------------------------------------------------------------------------------
# Export
# --------------------------------------------------------------------------------------------


def results_for(services=SERVICES, bands=None):
    records = expected_records(services)
    return [service_result(r) if bands is None else service_result(r, bands) for r in records]


def test_export_headers_carry_units_and_judgement_text_per_band_set():
    columns, rows = export_table(results_for())
    headers = [c.header for c in columns]
    for header in (
        "Total annual cost (£)",
        "Cost per person supported (£)",
        "Cost per job outcome (£)",
        "Job outcome rate (%)",
        "Cost per job outcome against evidence-based services: what it means",
        "Job outcome rate against all services in the study: judgement",
    ):
        assert header in headers
    first = dict(zip(headers, rows[0], strict=True))
    assert first["Cost per job outcome (£)"] == 3000.0
    assert first["Job outcome rate (%)"] == 41.67
    assert first["Client group"] == "Mental health"
    assert first["Cost per job outcome against evidence-based services: judgement"] == "Similar"
    assert first["Cost per person supported against evidence-based services: judgement"] == (
        "Not judged"
    )
    assert first["Cost per job outcome against evidence-based services: what it means"].startswith(
        "Cost per job outcome of £3,000 is within the range"
    )
    zero = dict(zip(headers, rows[2], strict=True))
    assert zero["Cost per job outcome (£)"] is None
    assert "not defined" in zero["Notes"]
    for header in headers:  # export columns that are not inputs are never read back as inputs
        if header not in FIELD_LABELS.values():
            key = normalise_header(header)
            assert key not in HEADER_INDEX and key not in map(normalise_header, AMBIGUOUS_HEADERS)


def test_export_with_one_band_set_has_only_its_columns():
    columns, _ = export_table(results_for(bands=["evidence_based"]))
    headers = " ".join(c.header for c in columns)
    assert "evidence-based services" in headers and "all services in the study" not in headers


def test_inert_prefixes_text_only():
    for text in INJECTIONS[:6]:
        assert inert(text) == "'" + text
    assert inert("<script>alert(1)</script>") == "<script>alert(1)</script>"
    assert inert("Plain name") == "Plain name"
    assert inert(-5) == -5 and inert(-2.5) == -2.5 and inert(None) is None


def injection_results():
    return [
        service_result(parse_service({**SERVICES[0], "name": name.strip() or name}))
        for name in INJECTIONS
    ]


def test_csv_export_makes_every_formula_looking_cell_inert():
    data = export_bytes(injection_results(), "csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(data)))
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    names = [row[0] for row in rows[1:]]
    assert names[0] == "'" + INJECTIONS[0]
    assert names[1] == "'" + INJECTIONS[1]
    assert names[3] == "'" + INJECTIONS[3]
    assert "<script>alert(1)</script>" in names


def test_xlsx_export_has_no_formulas_and_numbers_stay_numbers(tmp_path):
    path = tmp_path / "results.xlsx"
    path.write_bytes(export_bytes(injection_results(), "xlsx"))
    book = openpyxl.load_workbook(path)  # formulas would show as data_type "f"
    sheet = book["Results"]
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f", cell.coordinate
            if isinstance(cell.value, str):
                assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert sheet["A2"].value == "'" + INJECTIONS[0]
    headers = [cell.value for cell in sheet[1]]
    cost = sheet.cell(row=2, column=headers.index("Cost per job outcome (£)") + 1)
    assert isinstance(cost.value, int | float) and cost.number_format.startswith('"£"')
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in xml
    assert "About" in book.sheetnames


def test_export_bytes_and_export_results_refuse_unknown_formats(tmp_path):
    with pytest.raises(ValueError, match="csv"):
        export_bytes([], "pdf")
    with pytest.raises(ValueError, match="csv"):
        export_results([], tmp_path / "out.txt")
    header = export_bytes([], "csv").decode("utf-8-sig").splitlines()
    assert len(header) == 1


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------


def test_cli_template_writes_xlsx_and_csv_and_will_not_overwrite(tmp_path, capsys):
    xlsx, text = tmp_path / "request.xlsx", tmp_path / "request.csv"
    assert main(["template", "--out", str(xlsx)]) == 0
    assert main(["template", "--out", str(text)]) == 0
    assert openpyxl.load_workbook(xlsx).sheetnames == ["Services", "Lists", "Notes"]
    assert text.read_bytes() == template_csv()
    assert main(["template", "--out", str(xlsx)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert main(["template", "--out", str(xlsx), "--force"]) == 0
    assert main(["template", "--out", str(tmp_path / "request.txt")]) == 2
    assert "must end .xlsx or .csv" in capsys.readouterr().err


def test_cli_measure_file_prints_one_result_per_service(tmp_path, capsys):
    path = fill_template(tmp_path / "services.xlsx")
    assert main(["measure", "--file", str(path), "--format", "json"]) == 0
    captured = capsys.readouterr()
    results = json.loads(captured.out)
    assert results == [
        service_result(record).model_dump(mode="json") for record in expected_records()
    ]
    assert "note: Skipped row 2" in captured.err


def test_cli_measure_file_with_a_bad_row_exits_2_but_prints_the_good_rows(tmp_path, capsys):
    path = write_csv(
        tmp_path / "mixed.csv",
        [GOOD_HEADER, ["Good", "1000", "10", "1", "1"], ["Bad", "1000", "ten", "1", "1"]],
    )
    assert main(["measure", "--file", str(path), "--format", "json"]) == 2
    captured = capsys.readouterr()
    assert [r["service"]["name"] for r in json.loads(captured.out)] == ["Good"]
    lines = captured.err.splitlines()
    assert lines[0].startswith("row 3, column 'People supported': could not read 'ten'")
    assert "problems in row(s) 3" in lines[-1]
    assert main(["measure", "--file", str(path)]) == 2  # text output too
    assert "Good" in capsys.readouterr().out


def test_cli_measure_refused_file_and_mixed_flags(tmp_path, capsys):
    png = tmp_path / "picture.xlsx"
    png.write_bytes(PNG)
    assert main(["measure", "--file", str(png)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --file picture.xlsx: ") and "PNG" in err
    assert len(err.strip().splitlines()) == 1
    good = write_csv(tmp_path / "good.csv", [GOOD_HEADER, ["A", "1000", "10", "1", "1"]])
    assert main(["measure", "--file", str(good), "--name", "X"]) == 2
    assert "not both" in capsys.readouterr().err
    assert main(["measure", "--file", str(tmp_path / "missing.csv")]) == 2
    assert "could not be opened" in capsys.readouterr().err


def test_cli_export_writes_csv_and_xlsx(tmp_path, capsys):
    source = fill_template(tmp_path / "services.xlsx")
    for name in ("out.csv", "out.xlsx"):
        assert main(["export", "--file", str(source), "--out", str(tmp_path / name)]) == 0
        assert [r for _, r in read_services(tmp_path / name).records] == expected_records()
    assert "Wrote 4 service(s)" in capsys.readouterr().out
    assert main(["export", "--file", str(source), "--out", str(source)]) == 2
    assert "must not be the --file" in capsys.readouterr().err
    bad = write_csv(tmp_path / "bad.csv", [GOOD_HEADER, ["A", "x", "10", "1", "1"]])
    assert main(["export", "--file", str(bad), "--out", str(tmp_path / "none.csv")]) == 2
    assert not (tmp_path / "none.csv").exists()
    assert "nothing was written" in capsys.readouterr().err
