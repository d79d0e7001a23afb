"""The spend map's template, import (good and bad files), Excel export, summary and CLI."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pytest

from toolkit.cli.main import main
from toolkit.present.spend_sheets import (
    ABOUT_SHEET,
    FACTORS_SHEET,
    LINES_SHEET,
    ORGS_SHEET,
    STREAMS_SHEET,
    SpreadsheetRefused,
    export_xlsx,
    read_spend,
    template_csv,
    template_xlsx,
)
from toolkit.present.spend_summary import render_summary
from toolkit.worksheets.spend_map.result import map_result

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "examples" / "spend_lines_example.csv"
PLAIN = (
    "provider,funding_stream,support_type,client_group,annual_spend\n"
    "Acme,Social Care, Support Into Paid Work ,MENTAL HEALTH,\"£40,000\"\n"
    "Acme,health,volunteering,mental health,10000\n"
    "Beta,social care,volunteering,mental health,5000\n"
    "Gamma,social care,other,  combined ,5000\n"
)


def test_plain_csv_of_lines_imports() -> None:
    imported = read_spend(PLAIN.encode(), "lines.csv")
    assert imported.ok, imported.problems
    result = map_result(imported.spend_map)
    assert result["total"] == 60000
    assert result["share_paid_work"] == pytest.approx(40000 / 60000)
    assert result["by_funding_stream"] == {"health": 10000, "social care": 50000}
    assert result["possible_duplication"][0]["streams"] == ["health", "social care"]
    assert result["possible_duplication"][0]["providers"] == ["Acme", "Beta"]


def test_bad_cells_reported_by_row_and_column() -> None:
    text = PLAIN + "Delta,,job clubs,children,-5\n"
    imported = read_spend(text.encode(), "lines.csv")
    where = {(p.row, p.column) for p in imported.problems}
    assert where == {(6, "funding_stream"), (6, "support_type"), (6, "client_group"),
                     (6, "annual_spend")}
    assert len(imported.spend_map.lines) == 4
    assert "row 6, column 'support_type': 'job clubs' is not a type of support" in str(
        next(p for p in imported.problems if p.column == "support_type"))


def test_missing_column_refuses_the_file() -> None:
    with pytest.raises(SpreadsheetRefused, match="missing the column\\(s\\) annual_spend"):
        read_spend(b"provider,funding_stream,support_type,client_group\nA,b,other,other\n", "x.csv")


@pytest.mark.parametrize("data,name,match", [
    (b"", "x.csv", "empty"), (b"%PDF-1.4", "x.xlsx", "not an Excel workbook"),
    (b"a,b", "x.ods", "OpenDocument"),
])
def test_wrong_files_refused(data: bytes, name: str, match: str) -> None:
    with pytest.raises(SpreadsheetRefused, match=match):
        read_spend(data, name)


def test_template_has_the_questionnaire_sheets_and_imports_blank() -> None:
    book = openpyxl.load_workbook(io.BytesIO(template_xlsx()))
    assert book.sheetnames == [LINES_SHEET, STREAMS_SHEET, ORGS_SHEET, FACTORS_SHEET, ABOUT_SHEET]
    imported = read_spend(template_xlsx(), "spend.xlsx")
    assert imported.ok and imported.spend_map.lines == []
    assert any("example row" in note for note in imported.notes)
    csv_imported = read_spend(template_csv(), "spend.csv")
    assert csv_imported.ok and csv_imported.spend_map.lines == []


def _filled_workbook() -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(template_xlsx()))
    lines = book[LINES_SHEET]
    lines.delete_rows(2)
    lines.append(["@cmd()", "social care", "support into paid work", "learning disability", 1000, 5, 1])
    lines.append(["B", "health", "Volunteering", "Mental Health", "2,000", None, None])
    streams = book[STREAMS_SHEET]
    streams["B2"], streams["C2"], streams["D2"], streams["E2"] = 100, 120, 0, "calculated"
    streams["B3"], streams["C3"] = "lots", 5
    orgs = book[ORGS_SHEET]
    orgs["B2"], orgs["B3"] = 0.25, "75%"
    factors = book[FACTORS_SHEET]
    factors["B2"], factors["B3"] = 1, 1
    about = book[ABOUT_SHEET]
    about["B2"], about["B3"], about["B6"], about["B7"] = "Example Shire", "2025/26", "yes", "perhaps"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_filled_template_reads_every_sheet_and_reports_bad_cells() -> None:
    imported = read_spend(_filled_workbook(), "spend.xlsx")
    problems = {(p.sheet, p.row, p.column) for p in imported.problems}
    assert problems == {(STREAMS_SHEET, 3, "last year (£)"), (FACTORS_SHEET, 3, "Rank"),
                        (ABOUT_SHEET, 7, "Answer")}
    spend_map = imported.spend_map
    assert spend_map.area == "Example Shire" and spend_map.year == "2025-26"
    assert spend_map.collects_numbers_into_work is True
    assert [line.annual_spend for line in spend_map.lines] == [1000, 2000]
    assert spend_map.streams[0].amounts == (100, 120, 0)
    result = map_result(spend_map)
    assert result["streams"][0]["change_to_next_year"] == "cut"
    assert sum(spend_map.organisations.values()) == pytest.approx(1)


def test_export_is_inert_and_imports_again() -> None:
    spend_map = read_spend(_filled_workbook(), "spend.xlsx").spend_map
    data = export_xlsx(spend_map, map_result(spend_map))
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames[0] == "Summary"
    assert book[LINES_SHEET]["A2"].value == "'@cmd()"
    again = read_spend(data, "export.xlsx").spend_map
    assert again.lines == spend_map.lines
    assert map_result(again)["total"] == map_result(spend_map)["total"]
    assert again.year == spend_map.year and again.streams == spend_map.streams


def test_summary_page_is_escaped_and_cites_the_study() -> None:
    imported = read_spend((PLAIN + "<script>x</script>,health,other,other,1\n").encode(), "l.csv")
    page = render_summary(map_result(imported.spend_map), lines=imported.spend_map.lines)
    assert "<script>x" not in page and "&lt;script&gt;" in page
    assert "Section 4" in page and "32%" in page
    assert "nan" not in page.lower().replace("financial", "")


def test_cli_json_keys(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["spend", "--file", str(EXAMPLE), "--format", "json", "--year", "2025-26"])
    assert status == 0
    data = json.loads(capsys.readouterr().out)
    for key in ("year", "total", "by_support_type", "by_client_group", "by_funding_stream",
                "share_paid_work", "share_other", "gaps", "possible_duplication", "price_base"):
        assert key in data
    assert data["price_base"] == {"year": "2025-26", "factor": 1.0, "source": "as entered",
                                  "method": "as_entered",
                                  "label": "amounts in 2025-26 prices (cash terms of the year "
                                  "the figures cover)"}
    assert data["example"] is True
    assert set(data["possible_duplication"][0]) >= {"support_type", "client_group", "streams"}


def test_cli_template_and_bad_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "spend.xlsx"
    assert main(["spend", "template", "--out", str(out)]) == 0
    assert main(["spend", "template", "--out", str(out)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert main(["spend", "template", "--out", str(tmp_path / "x.txt")]) == 2
    bad = tmp_path / "bad.csv"
    bad.write_text(PLAIN + "D,health,job clubs,mental health,1\n")
    assert main(["spend", "--file", str(bad), "--format", "text"]) == 2
    captured = capsys.readouterr()
    assert "row 6, column 'support_type'" in captured.err
    assert "Total: £60,000" in captured.out
    assert main(["spend", "--file", str(bad), "--year", "soon"]) == 2
