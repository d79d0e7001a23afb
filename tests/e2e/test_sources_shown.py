"""Every app page in a real browser cites sources by title, never by a repository file name."""

from __future__ import annotations

import re

import pytest

from toolkit.content.sources import file_names_in

pytestmark = pytest.mark.e2e

#: Each app page and a piece of text that shows it has finished building.
PAGES = {
    "self_benchmark.ipynb": re.compile("Is our employment support good value"),
    "commissioning_questions.ipynb": re.compile(r"Overall: \d+ of \d+ answered"),
    "turning_the_curve.ipynb": re.compile("Population: who is this about"),
    "learning_network.ipynb": re.compile("facilitator.s dashboard"),
}

#: All the text a user could read, including panels that are folded away (no scripts, styles).
READABLE_TEXT = """() => {
  const copy = document.body.cloneNode(true);
  copy.querySelectorAll('script, style, template').forEach((node) => node.remove());
  return copy.textContent;
}"""


@pytest.mark.parametrize("notebook", list(PAGES))
def test_page_shows_no_repository_file_name(voila_server, offline_page, notebook):
    page = offline_page.page
    # A page renders its notebook before it loads: allow for a busy shared machine.
    page.goto(f"{voila_server}/voila/render/{notebook}", timeout=120_000)
    page.get_by_text(PAGES[notebook]).first.wait_for(timeout=120_000)
    if notebook == "self_benchmark.ipynb":
        for label, value in {
            "Service name": "Fictional service",
            "Year the figures cover": "2024-25",
            "Total annual cost (£)": "150000",
            "People supported": "120",
            "Gained a new job": "30",
            "Retained a job": "18",
        }.items():
            page.get_by_label(label, exact=True).fill(value)
        page.get_by_text("bands in 2024-25 prices").first.wait_for(timeout=30_000)
    text = page.evaluate(READABLE_TEXT)
    assert file_names_in(text) == []
    assert "seed 0" not in text.lower()
