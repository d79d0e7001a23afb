"""The commissioning-questions workbook in a real browser: answer by label, resume, download."""

from __future__ import annotations

import io
import re
from pathlib import Path

import openpyxl
import pytest

from tests.e2e.conftest import OfflinePage, axe_violations
from tests.e2e.private_link import LINK, copied_link
from toolkit.present.workbook_export import question_numbers
from toolkit.worksheets.commissioning_questions import load_workbook

pytestmark = pytest.mark.e2e

APP = "/voila/render/commissioning_questions.ipynb"
WORKBOOK = load_workbook()
NUMBERS = question_numbers(WORKBOOK)
TOTAL = WORKBOOK.question_count
FIRST = WORKBOOK.question("culture.champion")
SECOND = WORKBOOK.question("culture.beyond_one_person")


def open_app(holder: OfflinePage, base: str, query: str = ""):
    page = holder.page
    page.goto(f"{base}{APP}{query}")
    page.get_by_text(re.compile(r"Overall: \d+ of \d+ answered")).wait_for(timeout=60_000)
    return page


def question(page, question):
    """The answer control, found by its accessible name: the question's number and text."""
    return page.get_by_role("combobox", name=f"{NUMBERS[question.id]} {question.text}", exact=True)


def test_every_question_is_a_control_named_by_its_text(voila_server, offline_page):
    page = open_app(offline_page, voila_server)
    for section_number in (1, 8):  # a conditions section and the 25 fidelity items
        section = WORKBOOK.sections[section_number - 1]
        page.get_by_label("Section", exact=True).select_option(
            label=f"{section_number}. {section.title}"
        )
        for item in section.questions:
            control = page.get_by_role("combobox", name=item.text)
            control.first.wait_for(timeout=20_000)
            assert control.count() == 1, item.id
            assert page.get_by_text(item.text).first.is_visible()
            number = NUMBERS[item.id]
            for label in (
                f"Evidence notes ({number})",
                f"Action: what ({number})",
                f"Action: who ({number})",
            ):
                assert page.get_by_role("textbox", name=label, exact=True).count() == 1
            assert page.get_by_label(f"Action: by when ({number})", exact=True).count() == 1
            assert (
                page.get_by_role("checkbox", name=f"Show help with {number}", exact=True).count()
                == 1
            )
    assert offline_page.external == []


def test_answering_by_label_moves_the_progress_line(voila_server, offline_page):
    page = open_app(offline_page, voila_server)
    page.get_by_text(f"Overall: 0 of {TOTAL} answered").wait_for()
    question(page, FIRST).select_option(label="Yes")
    page.get_by_text(f"Overall: 1 of {TOTAL} answered \u00b7 This section: 1 of 5").wait_for()
    question(page, SECOND).select_option(label="3 - Partly in place")
    page.get_by_text(f"Overall: 2 of {TOTAL} answered").wait_for()
    page.get_by_label("Evidence notes (1.1)", exact=True).fill("Named in the 2024 jobs plan")
    page.get_by_label("Action: what (1.1)", exact=True).fill("Appoint a deputy champion")
    page.get_by_label("Action: who (1.1)", exact=True).fill("Director of adult care")
    page.get_by_label("Action: by when (1.1)", exact=True).fill("2026-03-31")
    plan = page.locator("table", has_text="Actions gathered from your answers")
    plan.get_by_text("Appoint a deputy champion").wait_for()
    plan.get_by_text("31 Mar 2026").wait_for()
    page.get_by_role("checkbox", name="Show help with 1.1").check()
    page.get_by_text(FIRST.help[:50]).wait_for()
    page.get_by_role("button", name="Next section").click()
    question(page, WORKBOOK.sections[1].questions[0]).wait_for()
    page.get_by_text(f"Overall: 2 of {TOTAL} answered \u00b7 This section: 0 of 5").wait_for()
    page.get_by_role("button", name="Previous section").click()
    assert question(page, FIRST).input_value() == "Yes"  # the option shown
    page.locator("img.toolkit-chart").first.wait_for(timeout=20_000)
    alts = page.locator("img.toolkit-chart").evaluate_all("els => els.map(e => e.alt)")
    assert alts[0].startswith("Answers by section.")
    assert "Score 75% from the 2 answers given \u00b7 2 of 5 answered" in alts[0]
    assert offline_page.external == []


def test_reopening_the_resume_link_finds_the_answers(voila_server, offline_page, browser):
    page = open_app(offline_page, voila_server)
    question(page, FIRST).select_option(label="Partly")
    page.get_by_label("Evidence notes (1.1)", exact=True).fill("Only on paper so far")
    page.get_by_label("Action: by when (1.1)", exact=True).fill("2026-06-30")
    href = copied_link(page)
    assert LINK.match(href), href
    # The action plan shows the date once the kernel has taken it in (and saved it).
    page.locator("table", has_text="Actions gathered from your answers").get_by_text(
        "30 Jun 2026"
    ).wait_for()
    again = OfflinePage(browser)
    try:
        other = open_app(again, voila_server, "?" + href.split("?", 1)[1])
        other.get_by_text("Your saved answers have been restored").wait_for()
        other.get_by_text(f"Overall: 1 of {TOTAL} answered").wait_for()
        assert question(other, FIRST).input_value() == "Partly"
        assert (
            other.get_by_label("Evidence notes (1.1)", exact=True).input_value()
            == "Only on paper so far"
        )
        assert other.get_by_label("Action: by when (1.1)", exact=True).input_value() == (
            "2026-06-30"
        )
        assert again.external == []
    finally:
        again.close()


def test_downloads_hold_the_answers_safely(voila_server, offline_page):
    page = open_app(offline_page, voila_server)
    question(page, FIRST).select_option(label="No")
    page.get_by_text(f"Overall: 1 of {TOTAL} answered").wait_for()
    page.get_by_label("Evidence notes (1.1)", exact=True).fill("=1+1 <script>alert(1)</script>")
    page.get_by_label("Action: what (1.1)", exact=True).fill("Find a champion")
    # The links are redrawn once typing pauses; this line says what they hold.
    page.get_by_text(f"These copies hold 1 of {TOTAL} answered and 1 action,").wait_for(
        timeout=20_000
    )
    link = page.get_by_role("link", name=re.compile(r"answers, evidence, actions and scores"))
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == "commissioning-questions.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
    assert book.sheetnames == ["Answers", "Action plan", "Scores"]
    row = next(
        r for r in book["Answers"].iter_rows(min_row=2, values_only=True) if r[8] == FIRST.id
    )
    assert row[3] == "No" and row[4] == "'=1+1 <script>alert(1)</script>"
    assert book["Action plan"]["B2"].value == "Find a champion"
    printable = page.get_by_role("link", name=re.compile("Printable copy"))
    with page.expect_download() as info:
        printable.click()
    text = Path(info.value.path()).read_text(encoding="utf-8")
    assert "<script" not in text.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert offline_page.external == []


def test_workbook_has_no_serious_axe_violations(voila_server, offline_page):
    page = open_app(offline_page, voila_server)
    question(page, FIRST).select_option(label="Yes")
    page.get_by_label("Action: what (1.1)", exact=True).fill("Write it down")
    page.get_by_role("checkbox", name="Show help with 1.1").check()
    page.locator("img.toolkit-chart").first.wait_for(timeout=20_000)
    violations = axe_violations(page)
    assert violations == [], violations


def test_the_supported_employment_checklist_says_which_stages_are_in_place(
    voila_server, offline_page
):
    page = open_app(offline_page, voila_server)
    index = next(
        i for i, s in enumerate(WORKBOOK.sections) if s.id == "supported_employment_stages"
    )
    section = WORKBOOK.sections[index]
    page.get_by_label("Section", exact=True).select_option(label=f"{index + 1}. {section.title}")
    matching = WORKBOOK.question("stages_check.preference_match")
    question(page, matching).select_option(label="Partly")
    page.get_by_text("partly in place: Job matching").wait_for(timeout=20_000)
    page.get_by_text("This is a checklist, not a score.").wait_for()
    assert page.get_by_text("Supported Employment Quality Framework (SEQF)").count() >= 1
    assert offline_page.external == []
