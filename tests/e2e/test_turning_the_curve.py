"""The turning-the-curve worksheet in a real browser: baseline, trend, resume, download."""

from __future__ import annotations

import io
import re
from pathlib import Path

import openpyxl
import pytest

from tests.e2e.conftest import OfflinePage, axe_violations
from tests.e2e.private_link import copied_link

pytestmark = pytest.mark.e2e

APP = "/voila/render/turning_the_curve.ipynb"
FIGURES = {
    "Population: who is this about?": "Adults with a learning disability",
    "Headline indicator (the curve to turn)": "Job outcome rate",
    "Baseline: one year per line, the year then the figure": "2019, 31\n2020, 29\noops\n2021, 33\n2022, 35",
    "Target: the figure you are aiming for": "45",
    "Action (1)": "Commission an IPS service",
    "Who will lead (1)": "Lead commissioner",
    "Target: by which year?": "2027",  # last: its sentence shows everything has been taken in
}


def open_app(holder: OfflinePage, base: str, query: str = ""):
    page = holder.page
    page.goto(f"{base}{APP}{query}")
    page.get_by_label("Population: who is this about?").wait_for(timeout=60_000)
    return page


def fill(page) -> None:
    for label, value in FIGURES.items():
        page.get_by_label(label, exact=True).fill(value)


def test_baseline_trend_target_and_resume(voila_server, offline_page, browser):
    page = open_app(offline_page, voila_server)
    fill(page)
    page.get_by_text("reaches 39.2% by 2025").wait_for()
    page.get_by_text("Line 3 ('oops')").wait_for()
    page.get_by_text("2.6 percentage points above the trend line").wait_for()
    chart = page.locator("img.toolkit-chart")
    chart.first.wait_for(timeout=20_000)
    alt = chart.first.get_attribute("alt")
    assert "Forecast if nothing changes (straight-line trend): 2023 36%" in alt
    assert "The study's evidence-based services ranged from 30% to 56%" in alt
    href = copied_link(page)
    again = OfflinePage(browser)
    try:
        other = open_app(again, voila_server, "?" + href.split("?", 1)[1])
        other.get_by_text("Your saved worksheet has been restored").wait_for()
        for label, value in FIGURES.items():
            assert other.get_by_label(label, exact=True).input_value() == value
        assert again.external == []
    finally:
        again.close()
    assert offline_page.external == []


def test_download_and_accessibility(voila_server, offline_page):
    page = open_app(offline_page, voila_server)
    fill(page)
    page.get_by_role("checkbox", name="Show help with step 3").check()
    page.locator("img.toolkit-chart").first.wait_for(timeout=20_000)
    # The links are redrawn once typing pauses; this line says what they hold.
    page.get_by_text("1 action and 4 baseline years, as things stood").wait_for(timeout=20_000)
    link = page.get_by_role("link", name=re.compile(r"worksheet, action plan and figures"))
    with page.expect_download() as info:
        link.click()
    assert info.value.suggested_filename == "turning-the-curve.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))
    assert book["Action plan"]["A2"].value == "Commission an IPS service"
    assert ("2027", "Target", 45.0) in list(book["Figures"].iter_rows(values_only=True))
    violations = axe_violations(page)
    assert violations == [], violations
    assert offline_page.external == []


def test_a_population_indicator_where_lower_is_better(voila_server, offline_page):
    page = open_app(offline_page, voila_server)
    page.get_by_label("What kind of figure is the headline indicator?").select_option(
        label="Population indicator: a number of people in the area (e.g. people on out-of-work "
        "benefits)"
    )
    page.get_by_label("Which way is better for the headline indicator?").select_option(
        label="Lower is better (e.g. fewer people on out-of-work benefits)"
    )
    page.get_by_label("Headline indicator (the curve to turn)", exact=True).fill(
        "People on out-of-work benefits"
    )
    page.get_by_label("Baseline: one year per line, the year then the figure").fill(
        "2020, 9,700\n2021, 9,600\n2022, 9,500"
    )
    page.get_by_label("Target: the figure you are aiming for").fill("8,200")
    page.get_by_label("Target: by which year?").fill("2026")
    page.get_by_text("900 people below the trend line").wait_for(timeout=20_000)
    page.get_by_text("the study's bands for services do not apply").wait_for()
    chart = page.locator("img.toolkit-chart")
    chart.first.wait_for(timeout=20_000)
    alt = chart.first.get_attribute("alt")
    assert "People on out-of-work benefits, your figures: 2020 9,700" in alt
    assert "study's" not in alt  # no band is drawn for a population indicator
    assert offline_page.external == []
