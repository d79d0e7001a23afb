"""axe-core audit and a keyboard-only walk through the self-benchmark app."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import axe_violations
from tests.e2e.test_self_benchmark import GOOD, open_app, type_figures

pytestmark = pytest.mark.e2e


def test_self_benchmark_has_no_serious_axe_violations(voila_server, offline_page):
    page = open_app(offline_page, voila_server)
    type_figures(page, GOOD)
    page.locator("img.toolkit-chart").first.wait_for(timeout=20_000)
    page.get_by_text("More detail").click()  # audit the optional fields too
    violations = axe_violations(page)
    assert violations == [], violations


def test_every_input_has_its_visible_label_as_accessible_name(voila_server, offline_page):
    page = open_app(offline_page, voila_server)
    for label in GOOD:
        field = page.get_by_role("textbox", name=label, exact=True)
        assert field.count() == 1, label
        assert page.get_by_text(label, exact=True).first.is_visible()


def test_keyboard_only_reaches_every_field_in_order_with_focus_visible(voila_server, offline_page):
    page = open_app(offline_page, voila_server)
    page.get_by_label("Service name", exact=True).focus()
    reached = []
    for _ in range(40):
        info = page.evaluate(
            """() => {
                const el = document.activeElement;
                const label = el.labels && el.labels.length ? el.labels[0].innerText : (el.getAttribute('aria-label') || el.innerText || '');
                const style = getComputedStyle(el);
                return {label: label.trim(), outline: style.outlineStyle + ' ' + style.outlineWidth, tag: el.tagName};
            }"""
        )
        reached.append(info)
        page.keyboard.press("Tab")
    labels = [item["label"] for item in reached]
    expected = list(GOOD)
    positions = [labels.index(label) for label in expected]
    assert positions == sorted(positions), labels
    for item in reached:
        if item["label"] in expected:
            assert item["outline"] not in ("none 0px", "none"), item
    # the controls after the main fields are reachable too
    for name in ("More detail", "Both"):
        assert any(name in label for label in labels), labels
