"""The spend map's price base: the user states the year their figures are in, and the JSON,
the summary, the chart and the template all say so."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pytest

from toolkit.charts.spend import job_request, mix_summary
from toolkit.cli.main import main
from toolkit.present.spend_sheets import ABOUT_SHEET, export_xlsx, read_spend
from toolkit.present.spend_summary import render_summary
from toolkit.worksheets.spend_map.entries import blank_entries, read_entries
from toolkit.worksheets.spend_map.model import ProvisionLine, SpendMap
from toolkit.worksheets.spend_map.result import map_result

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "examples"


def a_map(**extra) -> SpendMap:
    line = ProvisionLine(provider="P", funding_stream="health", support_type="other",
                         client_group="combined", annual_spend=1000)
    return SpendMap(year="2025-26", lines=[line], **extra)


def test_price_base_defaults_to_the_year_covered_and_takes_a_stated_year() -> None:
    assert map_result(a_map())["price_base"]["year"] == "2025-26"
    stated = map_result(a_map(price_year="2024/25"))["price_base"]
    assert stated["year"] == "2024-25" and stated["method"] == "stated"
    assert stated["label"] == "amounts in 2024-25 prices, as stated"
    assert map_result(SpendMap())["price_base"]["year"] is None


def test_a_bad_price_year_is_a_problem_naming_the_field_and_keeps_the_entry() -> None:
    entries = blank_entries() | {"year": "2025-26", "price_year": "last year"}
    spend_map, problems = read_entries(entries)
    assert spend_map.price_year is None
    assert any(p.startswith("Prices of which year:") and "2025-26" in p for p in problems)
    assert entries["price_year"] == "last year"


def test_summary_and_chart_say_the_prices() -> None:
    result = map_result(a_map(price_year="2024-25"))
    page = render_summary(result)
    assert "Prices: amounts in 2024-25 prices, as stated" in page
    label = result["price_base"]["label"]
    assert label in mix_summary({"other": 1.0}, "Fictional", label)
    assert job_request({"other": 1.0}, "Fictional", prices=label)["prices"] == label


def test_the_price_year_round_trips_through_excel() -> None:
    spend_map = a_map(price_year="2023-24")
    data = export_xlsx(spend_map, map_result(spend_map))
    book = openpyxl.load_workbook(io.BytesIO(data))
    answers = [row[1] for row in book[ABOUT_SHEET].iter_rows(values_only=True)]
    assert "2023-24" in answers
    assert read_spend(data, "map.xlsx").spend_map.price_year == "2023-24"


def test_cli_price_year(capsys: pytest.CaptureFixture[str]) -> None:
    example = next(EXAMPLE.glob("*spend*.csv"))
    assert main(["spend", "--file", str(example), "--format", "json", "--year", "2025-26",
                 "--price-year", "2024-25"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["price_base"]["year"] == "2024-25"
    assert main(["spend", "--file", str(example), "--price-year", "soon"]) == 2
    assert "--price-year" in capsys.readouterr().err
