"""The self-benchmark app in a real browser: type figures, read judgements, offline."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.e2e.private_link import LINK, copied_link

pytestmark = pytest.mark.e2e

APP = "/voila/render/self_benchmark.ipynb"
GOOD = {
    "Service name": "Fictional IPS service",
    "Total annual cost (£)": "£150,000",
    "People supported": "120",
    "Gained a new job": "30",
    "Retained a job": "18",
    "Became self-employed": "2",
}


def open_app(holder, base: str, query: str = ""):
    page = holder.page
    page.goto(f"{base}{APP}{query}", timeout=90_000)  # a loaded machine can be slow
    page.get_by_label("Service name").wait_for(timeout=60_000)
    return page


def type_figures(page, figures: dict[str, str]) -> None:
    for label, value in figures.items():
        page.get_by_label(label, exact=True).fill(value)


def body_text(page) -> str:
    return page.locator("body").inner_text()


def test_good_service_judged_against_both_bands(voila_server, offline_page):
    page = open_app(offline_page, voila_server)
    type_figures(page, GOOD)
    page.get_by_text("Cost per job outcome of £3,000").first.wait_for()
    page.get_by_text("similar to the average for evidence-based services").first.wait_for()
    text = body_text(page)
    assert "£1,250" in text and "£3,000" in text and "41.7%" in text
    assert "lower (better) than the average for all services in the study" in text
    page.locator("img.toolkit-chart").first.wait_for(timeout=20_000)
    alts = page.locator("img.toolkit-chart").evaluate_all("els => els.map(e => e.alt)")
    assert len(alts) == 3 and all(len(a) > 40 for a in alts)
    for bad in ("NaN", "nan%", "inf", "None", "Traceback"):
        assert bad not in body_text(page)
    assert offline_page.external == []


def test_poor_service_is_called_worse(voila_server, offline_page):
    page = open_app(offline_page, voila_server)
    type_figures(
        page,
        {
            **GOOD,
            "Service name": "Fictional poor service",
            "Total annual cost (£)": "400000",
            "People supported": "200",
            "Gained a new job": "10",
            "Retained a job": "5",
            "Became self-employed": "0",
        },
    )
    page.get_by_text("higher (worse) than the average for evidence-based services").first.wait_for()
    assert "£26,667" in body_text(page)
    assert offline_page.external == []


def test_zero_outcomes_says_not_defined(voila_server, offline_page):
    page = open_app(offline_page, voila_server)
    type_figures(
        page, {**GOOD, "Gained a new job": "0", "Retained a job": "0", "Became self-employed": "0"}
    )
    page.get_by_text("there were no job outcomes").first.wait_for()
    text = body_text(page)
    assert "not defined" in text
    assert not re.search(r"\b(nan|inf|None)\b", text)


@pytest.mark.parametrize(
    ("label", "typed", "message"),
    [
        ("Total annual cost (£)", "-500", "Total annual cost (£): cannot be negative"),
        ("Total annual cost (£)", "lots", "could not read 'lots' as an amount of money"),
        ("People supported", "0", "People supported: must be at least 1"),
        ("People supported", "40", "are more than the 40 people supported"),
        ("Retained a job", "2.5", "Retained a job: must be a whole number"),
    ],
)
def test_bad_input_shows_error_keeps_entries_and_hides_stale_results(
    voila_server, offline_page, label, typed, message
):
    page = open_app(offline_page, voila_server)
    type_figures(page, GOOD)
    page.get_by_text("Cost per job outcome of £3,000").first.wait_for()
    page.get_by_label(label, exact=True).fill(typed)
    page.get_by_text(message).first.wait_for()
    page.get_by_text("Results hidden").wait_for()
    # no verdict from the earlier figures stays on screen (issue 18)
    assert "£3,000" not in body_text(page)
    assert page.locator(".toolkit-badge").count() == 0
    for other, value in GOOD.items():
        if other != label:
            assert page.get_by_label(other, exact=True).input_value() == value
    assert page.get_by_label(label, exact=True).input_value() == typed


def test_resume_link_restores_every_field(voila_server, offline_page, browser):
    page = open_app(offline_page, voila_server)
    type_figures(page, {**GOOD, "Total annual cost (£)": "£150,000 oops"})
    href = copied_link(page)
    assert LINK.match(href), href
    page.wait_for_timeout(300)
    from tests.e2e.conftest import OfflinePage

    again = OfflinePage(browser)
    try:
        other = open_app(again, voila_server, "?" + href.split("?", 1)[1])
        other.get_by_text("Your saved entries have been restored").wait_for()
        for label, value in {**GOOD, "Total annual cost (£)": "£150,000 oops"}.items():
            assert other.get_by_label(label, exact=True).input_value() == value
        assert again.external == []
    finally:
        again.close()


def test_chart_download(voila_server, offline_page):
    page = open_app(offline_page, voila_server)
    type_figures(page, GOOD)
    link = page.get_by_role("link", name=re.compile("Chart as SVG: Where the service sits"))
    link.wait_for(timeout=20_000)
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == "bands.svg"
    content = Path(download.path()).read_text(encoding="utf-8")
    assert content.lstrip().startswith("<svg") and "Fictional IPS service" in content


def test_several_services_side_by_side_with_pooled_total(voila_server, offline_page):
    page = open_app(offline_page, voila_server)
    type_figures(page, GOOD)
    page.get_by_role("button", name="Add a service").click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('input')].some(i => i.value === '') "
    )
    type_figures(
        page,
        {
            "Service name": "Fictional LD supported employment",
            "Total annual cost (£)": "220000",
            "People supported": "80",
            "Gained a new job": "10",
            "Retained a job": "12",
            "Became self-employed": "0",
        },
    )
    page.get_by_text("All services together (pooled from totals)").wait_for()
    table = page.locator("table", has_text="Your services side by side").inner_text()
    assert "Fictional IPS service" in table and "Fictional LD supported employment" in table
    assert "£5,139" in table  # (150,000 + 220,000) / (50 + 22)
