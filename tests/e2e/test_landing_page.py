"""The landing page a new commissioner meets first (issue 18)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.e2e.conftest import axe_violations

pytestmark = pytest.mark.e2e

ORDER = [
    "/voila/render/self_benchmark.ipynb",
    "/voila/render/commissioning_questions.ipynb",
    "/voila/render/spend_map.ipynb",
    "/voila/render/turning_the_curve.ipynb",
    "/voila/render/learning_network.ipynb",
    "/voila/render/learning_network_programme.ipynb",
]


@pytest.mark.parametrize("width", [1366, 400])
def test_landing_page_says_what_each_app_is_for_and_where_to_start(
    voila_server, offline_page, width, tmp_path
):
    page = offline_page.page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{voila_server}/")
    start = page.get_by_role("region", name="Start here")
    start.wait_for()
    # the self-benchmark app is the obvious start: first, and in its own box
    assert start.get_by_role("link").get_attribute("href") == ORDER[0]
    apps = page.locator("a.toolkit-app-link").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))"
    )
    assert apps == ORDER  # in the order a learning network uses them
    text = page.locator("main").inner_text()
    for who in ("For commissioners", "For a commissioning team", "For the facilitator"):
        assert who in text
    assert "data request template" in text
    page.get_by_role("heading", name="What the measures mean").wait_for()
    assert "Cost per job outcome" in text and "Job outcome rate" in text
    # nothing sideways-scrolls or is cut at a phone's width
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    shots = Path(os.environ.get("TOOLKIT_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / f"landing-{width}.png"), full_page=True)
    assert axe_violations(page, ("minor", "moderate", "serious", "critical")) == []
    assert offline_page.external == []
