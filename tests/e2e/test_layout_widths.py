"""Every control has room for its full text at 1366 px and at 400 px (a phone) (issue 18).

Set TOOLKIT_SCREENSHOTS to a folder to keep a screenshot of each app at each width.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

APPS = {
    "self_benchmark": "Service name",
    "commissioning_questions": "Evidence notes (1.1)",
    "turning_the_curve": "Population: who is this about?",
}
#: Text-bearing parts of widgets that must never be cut: labels, buttons, radio options.
CUT = """() => [...document.querySelectorAll(
    '#rendered_cells :is(.widget-label, .widget-label-basic, button, .jupyter-button, label)')]
  .filter(e => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1)
  .map(e => (e.innerText || e.textContent || '').trim().slice(0, 60))"""
RADIOS = """() => [...document.querySelectorAll('#rendered_cells .widget-radio-box label')]
  .filter(l => l.offsetParent !== null)
  .map(l => { const r = l.querySelector('input').getBoundingClientRect();
              const range = document.createRange(); range.selectNodeContents(l);
              const t = [...range.getClientRects()].filter(x => x.width > 0 && x.left > r.left);
              return {radio: r.left, label: l.getBoundingClientRect().left,
                      text: t.length ? Math.min(...t.map(x => x.left)) : null}; })"""


@pytest.mark.parametrize("width", [1366, 400])
@pytest.mark.parametrize("app", list(APPS))
def test_nothing_is_cut_or_wider_than_the_screen(voila_server, offline_page, app, width):
    page = offline_page.page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{voila_server}/voila/render/{app}.ipynb", timeout=90_000)
    page.get_by_label(APPS[app], exact=True).wait_for(timeout=90_000)
    if app == "self_benchmark":
        page.get_by_text("More detail", exact=True).click()  # its long labels too
        page.get_by_label("People needing under 7 hours support a week", exact=True).wait_for()
    assert page.evaluate(CUT) == []
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    for radio in page.evaluate(RADIOS):
        assert radio["radio"] <= radio["label"] + 1  # the button comes first, at the left
    shots = os.environ.get("TOOLKIT_SCREENSHOTS")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(shots) / f"{app}-{width}.png"), full_page=True)
    assert offline_page.external == []
