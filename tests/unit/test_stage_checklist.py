"""Workbook 09's supported-employment stage checklist: stages in place, never a score."""

from __future__ import annotations

import io

import openpyxl
import pytest

from tests.unit.test_ui_self_benchmark import MemoryStore
from toolkit.content.paths import workbook_dir
from toolkit.content.sources import load_sources
from toolkit.present.workbook_export import workbook_html, workbook_xlsx
from toolkit.ui.commissioning_questions import CommissioningQuestionsApp
from toolkit.worksheets.commissioning_questions import Answer, Workbook, load_workbook
from toolkit.worksheets.stage_checklist import CHECKLIST_PREFIX, stage_checklist

STAGES = [
    "Customer engagement",
    "Vocational profiling",
    "Employer engagement",
    "Job matching",
    "In-work support",
    "Career development",
]


@pytest.fixture(scope="module")
def workbook() -> Workbook:
    return load_workbook(workbook_dir(), cached=False)


def _ids(workbook: Workbook) -> list[str]:
    return [q.id for _, q in workbook.iter_questions() if q.id.startswith(CHECKLIST_PREFIX)]


def test_one_yes_partly_no_item_for_each_of_the_six_stages(workbook):
    result = stage_checklist(workbook, {})
    assert [item.stage for item in result.items] == STAGES
    for question_id in _ids(workbook):
        assert workbook.question(question_id).scale == "yes_partly_no"
        assert workbook.section_of(question_id).id == "supported_employment_stages"
    assert result.text() == "None of the 6 stages is ticked yet."


def test_the_result_lists_stages_by_answer_and_gives_no_total(workbook):
    ids = _ids(workbook)
    answers = {
        ids[0]: Answer(question_id=ids[0], value="yes"),
        ids[1]: Answer(question_id=ids[1], value="yes"),
        ids[3]: Answer(question_id=ids[3], value="partly"),
        ids[4]: Answer(question_id=ids[4], value="no"),
        ids[5]: Answer(question_id=ids[5], value="dont_know"),
    }
    text = stage_checklist(workbook, answers).text()
    assert text == (
        "Of the 6 stages, in place: Customer engagement, Vocational profiling; partly in place: "
        "Job matching; not in place: In-work support; not known: Career development; not "
        "answered yet: Employer engagement."
    )
    assert "score" not in text and "/" not in text


def test_the_caveat_says_why_and_cites_the_framework_from_the_register(workbook):
    caveat = stage_checklist(workbook, {}).caveat()
    assert "not a score" in caveat
    assert "Supported Employment Quality Framework (SEQF)" in caveat
    assert "base-seqf" in load_sources()
    assert ".yaml" not in caveat and ".txt" not in caveat


def test_the_app_and_both_exports_show_the_checklist(workbook):
    app = CommissioningQuestionsApp(store=MemoryStore(), workbook=workbook)
    first = _ids(workbook)[0]
    app.answer(first, value="yes")
    assert "in place: Customer engagement" in app.checklist_line.value
    assert "not a score" in app.checklist_line.value
    html = workbook_html(workbook, app.answers)
    assert "Supported employment stage checklist: Of the 6 stages, in place" in html
    book = openpyxl.load_workbook(io.BytesIO(workbook_xlsx(workbook, app.answers)))
    cells = [c for row in book.worksheets[-1].iter_rows(values_only=True) for c in row if c]
    assert any(str(c).startswith("Of the 6 stages, in place: Customer engagement") for c in cells)
