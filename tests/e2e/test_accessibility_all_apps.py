"""axe-core over every app in notebooks/ and over the landing page, as each first opens.

Each app's own tests audit it further along (results shown, optional parts open);
this one makes sure no app, including one added later, ships with a serious or
critical WCAG 2.2 A/AA violation on its first screen, or asks anything of the internet.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.conftest import ROOT, axe_violations

pytestmark = pytest.mark.e2e

NOTEBOOKS = sorted(path.name for path in Path(ROOT / "notebooks").glob("*.ipynb"))
CONTROLS = "#rendered_cells :is(input, button, select, textarea, a[href])"


def test_there_are_apps_to_audit():
    assert "self_benchmark.ipynb" in NOTEBOOKS


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_app_first_screen_has_no_serious_axe_violations(voila_server, offline_page, notebook):
    page = offline_page.page
    page.set_default_navigation_timeout(90_000)
    page.goto(f"{voila_server}/voila/render/{notebook}")
    page.locator(CONTROLS).first.wait_for(timeout=60_000)
    page.wait_for_timeout(1000)  # the widgets finish drawing
    assert "Traceback" not in page.locator("body").inner_text()
    violations = axe_violations(page)
    assert violations == [], violations
    assert offline_page.external == []


def test_landing_page_has_no_axe_violations_and_links_every_app(voila_server, offline_page):
    page = offline_page.page
    page.goto(f"{voila_server}/")
    links = page.get_by_role("link")
    links.first.wait_for()
    hrefs = links.evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert set(hrefs) == {f"/voila/render/{name}" for name in NOTEBOOKS}
    assert page.evaluate("() => document.documentElement.lang") == "en-GB"
    # every impact, not only serious ones: the page is small and entirely ours
    assert axe_violations(page, ("minor", "moderate", "serious", "critical")) == []
    assert offline_page.external == []
