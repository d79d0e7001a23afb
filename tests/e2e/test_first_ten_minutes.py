"""A new commissioner's first minutes in the self-benchmark app (issue 18), in a real browser."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from tests.e2e.test_self_benchmark import GOOD, body_text, open_app, type_figures

pytestmark = pytest.mark.e2e

FIGURES = {label: value for label, value in GOOD.items() if label != "Service name"}


def test_results_before_a_name_then_template_and_undo(voila_server, offline_page):
    page = open_app(offline_page, voila_server)
    # the template can be had on a blank form, and nothing sends anyone to a command line
    with page.expect_download() as info:
        page.get_by_role("link", name="Download the blank data request template (Excel)").click()
    assert info.value.suggested_filename == "data-request-template.xlsx"
    openpyxl.load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))  # it opens
    assert "python -m" not in body_text(page)
    # results as soon as the figures are valid, before the service has a name
    type_figures(page, FIGURES)
    page.get_by_text("Key figures for Your service").wait_for()
    page.get_by_text("Your service costs").first.wait_for()  # the headline sentence leads
    assert "enter the service's name" not in body_text(page)
    # a half-typed figure clears the verdicts and names the field
    page.get_by_label("Total annual cost (£)", exact=True).fill("240k")
    page.get_by_text("Results hidden").wait_for()
    assert page.locator(".toolkit-badge").count() == 0
    page.get_by_label("Total annual cost (£)", exact=True).fill("£150,000")
    page.get_by_text("Key figures for Your service").wait_for()
    # the name is asked for only to make the files
    page.get_by_role("button", name="Prepare spreadsheets and the board report").click()
    page.get_by_text("Type the service's name").wait_for()
    # removing the service can be undone
    page.get_by_label("Service name", exact=True).fill("Fictional undo service")
    page.get_by_text("Key figures for Fictional undo service").wait_for()
    page.get_by_role("button", name="Remove this service").click()
    page.get_by_text("Removed \u201cFictional undo service\u201d").wait_for()
    assert page.get_by_label("Service name", exact=True).input_value() == ""
    page.get_by_role("button", name="Undo the removal").click()
    page.get_by_text("Key figures for Fictional undo service").wait_for()
    assert page.get_by_label("Service name", exact=True).input_value() == "Fictional undo service"
    assert offline_page.external == []
