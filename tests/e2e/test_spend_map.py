"""The spend map in a real browser: fill the map, see the gap and the share against 32%,
download the printable summary."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.e2e.conftest import axe_violations

pytestmark = pytest.mark.e2e

APP = "/voila/render/spend_map.ipynb"


def open_with_first_line(page, base: str, year: str, spend: str) -> None:
    """Open the app and type one provision line: a fictional provider's paid-work support."""
    page.set_default_navigation_timeout(180_000)  # a cold server on a busy machine
    page.goto(f"{base}{APP}")
    page.get_by_label("Provider (line 1)", exact=True).wait_for(timeout=60_000)
    page.get_by_label("Year the figures cover", exact=True).fill(year)
    page.get_by_label("Provider (line 1)", exact=True).fill("Brightwater Job Coaching (fictional)")
    page.get_by_label("Funding stream (line 1)", exact=True).fill("social care")
    page.get_by_label("Type of support (line 1)", exact=True).select_option(
        label="Support into paid work (minimum wage or more)"
    )
    page.get_by_label("Client group (line 1)", exact=True).select_option(label="Mental health")
    page.get_by_label("Annual spend (£) (line 1)", exact=True).fill(spend)


def test_fill_the_map_see_gap_and_share_download_summary(voila_server, offline_page):
    page = offline_page.page
    open_with_first_line(page, voila_server, year="2025-26", spend="30000")
    page.get_by_role("button", name="Add a provision line").click()
    page.get_by_label("Provider (line 2)", exact=True).fill("Millbank Day Centre (fictional)")
    page.get_by_label("Funding stream (line 2)", exact=True).fill("health")
    page.get_by_label("Type of support (line 2)", exact=True).select_option(
        label="Work preparation in day services")
    page.get_by_label("Client group (line 2)", exact=True).select_option(
        label="Learning disability")
    page.get_by_label("Annual spend (£) (line 2)", exact=True).fill("70000")
    page.get_by_label("Annual spend (£) (line 2)", exact=True).press("Tab")

    page.get_by_text("Share of spend on support into paid work: 30%").wait_for(timeout=30_000)
    page.get_by_text(re.compile(r"the study: 32%")).wait_for()
    page.get_by_text("Gap: Support into paid work (minimum wage or more) for learning "
                     "disability").wait_for()
    # The chart (and then the links) follow once typing pauses: wait for the one of both lines.
    chart = page.locator('img.toolkit-chart[alt*="Your area: paid work 30%"]')
    chart.wait_for(timeout=90_000)
    page.wait_for_timeout(2000)

    link = page.get_by_role("link", name=re.compile("Printable summary of the map"))
    link.wait_for(timeout=30_000)
    with page.expect_download() as info:
        link.click()
    assert info.value.suggested_filename == "spend-map-summary.html"
    summary = Path(info.value.path()).read_text(encoding="utf-8")
    assert "Where the money goes" in summary
    assert "Brightwater Job Coaching (fictional)" in summary
    assert "Millbank Day Centre (fictional)" in summary
    assert "32%" in summary and "learning disability" in summary

    assert axe_violations(page) == []
    assert offline_page.external == []


def test_line_with_figures_opens_in_the_self_benchmark_app(voila_server, offline_page):
    page = offline_page.page
    page.set_default_navigation_timeout(180_000)  # a cold server on a busy machine
    page.goto(f"{voila_server}{APP}")
    page.get_by_label("Provider (line 1)", exact=True).wait_for(timeout=60_000)
    page.get_by_label("Provider (line 1)", exact=True).fill("Riverside IPS (fictional)")
    page.get_by_label("Funding stream (line 1)", exact=True).fill("health")
    page.get_by_label("Type of support (line 1)", exact=True).select_option(
        label="Support into paid work (minimum wage or more)")
    page.get_by_label("Client group (line 1)", exact=True).select_option(label="Mental health")
    page.get_by_label("Annual spend (£) (line 1)", exact=True).fill("120000")
    page.get_by_label("People supported (line 1)", exact=True).fill("90")
    page.get_by_label("Job outcomes (line 1)", exact=True).fill("28")
    page.get_by_label("Job outcomes (line 1)", exact=True).press("Tab")
    page.get_by_text("1 provision line has both an annual spend").wait_for(timeout=30_000)
    page.get_by_role("button", name="Make links to the self-benchmark app").click()
    link = page.get_by_role("link", name=re.compile("Open Riverside IPS"))
    link.wait_for(timeout=30_000)
    href = link.get_attribute("href")
    assert href.startswith("self_benchmark.ipynb?id=")
    page.goto(f"{voila_server}/voila/render/{href}")
    page.get_by_label("Total annual cost (£)", exact=True).wait_for(timeout=60_000)
    assert page.get_by_label("Total annual cost (£)", exact=True).input_value() == "120000"
    assert page.get_by_label("People supported", exact=True).input_value() == "90"
    assert offline_page.external == []
