"""The commissioning-questions app's glue and its exports, driven as a user would, no browser."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

import openpyxl
import pytest
import yaml

from tests.unit.test_ui_self_benchmark import MemoryStore
from toolkit.content.paths import workbook_dir
from toolkit.present.workbook_export import question_numbers, workbook_html, workbook_xlsx
from toolkit.ui.commissioning_questions import (
    APP,
    NOT_ANSWERED,
    CommissioningQuestionsApp,
    restore_answers,
)
from toolkit.worksheets.commissioning_questions import (
    Answer,
    Workbook,
    answers_to_json,
    load_workbook,
)

FIRST = "culture.champion"
SECOND = "culture.beyond_one_person"
FIDELITY_FIRST = "fidelity.caseload_size"


@pytest.fixture(scope="module")
def workbook() -> Workbook:
    return load_workbook(workbook_dir(), cached=False)


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


@pytest.fixture
def app(store: MemoryStore, workbook: Workbook) -> CommissioningQuestionsApp:
    return CommissioningQuestionsApp(store=store, workbook=workbook)


def without_question(tmp_path: Path, question_id: str) -> Workbook:
    """A copy of the shipped content with one question removed."""
    folder = tmp_path / "workbook"
    shutil.copytree(workbook_dir(), folder)
    for path in folder.glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        questions = data.get("questions") if isinstance(data, dict) else None
        if questions and any(q["id"] == question_id for q in questions):
            data["questions"] = [q for q in questions if q["id"] != question_id]
            path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
            return load_workbook(folder, cached=False)
    raise AssertionError(question_id)


def saved_state(store: MemoryStore, token: str) -> dict:
    return store.saved[(APP, token)]


# --------------------------------------------------------------------------------------------
# Answering, progress, navigation
# --------------------------------------------------------------------------------------------


def test_the_workbook_has_the_ids_these_tests_use(workbook: Workbook) -> None:
    for qid in (FIRST, SECOND):
        assert workbook.section_of(qid).id == "culture_and_leadership"
    assert workbook.fidelity_section.questions[0].id == FIDELITY_FIRST


def test_answering_updates_the_progress_line(app, workbook) -> None:
    total = workbook.question_count
    assert f"Overall: 0 of {total} answered" in app.progress_line.value
    app.answer(FIRST, value="yes")
    assert f"Overall: 1 of {total} answered" in app.progress_line.value
    assert "This section: 1 of 5 answered" in app.progress_line.value
    assert "1 of 5 answered" in app.progress_table.value
    app.answer(SECOND, value="dont_know")  # Don't know counts as answered
    assert f"2 of {total} answered" in app.progress_line.value
    app.answer(FIRST, value=None)  # back to "Not answered"
    assert f"1 of {total} answered" in app.progress_line.value
    assert app.controls[FIRST]["value"].options[0] == (NOT_ANSWERED, "")


def test_each_question_is_labelled_by_its_own_text(app, workbook) -> None:
    numbers = question_numbers(workbook)
    for question in workbook.sections[0].questions:
        controls = app.controls[question.id]
        assert controls["value"].description == f"{numbers[question.id]} {question.text}"
        for name in ("evidence", "action_what", "action_who", "action_by", "help"):
            assert numbers[question.id] in controls[name].description


def test_help_is_shown_on_demand(app, workbook) -> None:
    help_box = app.controls[FIRST]["help"]
    help_text = app.controls[FIRST]["help_text"]
    assert help_box.description == "Show help with 1.1"
    assert help_text.value == ""
    help_box.value = True
    assert workbook.question(FIRST).help[:40] in help_text.value
    assert "Don&#x27;t know" in help_text.value  # the scale's meanings
    help_box.value = False
    assert help_text.value == ""


def test_sections_are_built_when_opened_and_navigation_is_bounded(app, workbook) -> None:
    assert set(app.panels) == {workbook.sections[0].id}
    assert app.previous_button.disabled and not app.next_button.disabled
    app.move(1)
    assert app.section_id == workbook.sections[1].id
    assert app.section_picker.value == workbook.sections[1].id
    app.section_picker.value = workbook.sections[-1].id
    assert app.next_button.disabled
    app.move(1)
    assert app.section_id == workbook.sections[-1].id
    assert len(app.panels) == 3


def test_evidence_and_action_feed_the_action_plan(app, workbook) -> None:
    app.answer(
        FIRST,
        value="partly",
        evidence="Named in the 2024 plan",
        action_what="Appoint a champion",
        action_who="Director of adult care",
        action_by=dt.date(2026, 3, 31),
    )
    app.answer(SECOND, action_what="Put employment in the NHS plan")
    plan = app.plan_box.value
    assert "Appoint a champion" in plan and "Director of adult care" in plan
    assert "31 Mar 2026" in plan and "No date" in plan
    assert plan.index("Appoint a champion") < plan.index("Put employment in the NHS plan")
    assert "1.1 " in plan and "Partly" in plan


def test_fidelity_total_and_band_when_all_25_items_rated(app, workbook) -> None:
    assert "0 of 25 items rated" in app.fidelity_line.value
    for question in workbook.fidelity_section.questions:
        app.answer(question.id, value="4")
    assert "100 out of 125: Good fidelity" in app.fidelity_line.value
    app._charts_later.flush()
    assert 'alt="IPS fidelity: total score against its bands.' in app.charts_box.value
    assert "Your IPS-25 total is 100" in app.charts_box.value


def test_charts_have_text_summaries(app) -> None:
    app.answer(FIRST, value="yes")
    app._charts_later.flush()
    value = app.charts_box.value
    assert value.count("<img") == 2
    assert (
        "Condition 1: Shifting culture and leadership: Score 100% from the 1 answer given "
        "\u00b7 1 of 5 answered (4 questions still to answer)"
    ) in value
    assert "<strong>In words:</strong>" in value


# --------------------------------------------------------------------------------------------
# Saving and resuming
# --------------------------------------------------------------------------------------------


def test_autosave_and_resume_restore_everything(store, workbook) -> None:
    first = CommissioningQuestionsApp(store=store, workbook=workbook)
    assert first.token is None and not store.saved
    first.answer(
        FIRST,
        value="no",
        evidence="Nobody yet",
        action_what="Ask the DASS",
        action_who="Lead commissioner",
        action_by=dt.date(2026, 1, 15),
    )
    first.answer(FIDELITY_FIRST, value="3")
    token = first.token
    assert token and token in first.resume.value
    state = saved_state(store, token)
    assert state["answers"][FIRST]["action_by"] == "2026-01-15"
    assert state["section"] == "ips_fidelity"

    again = CommissioningQuestionsApp(store=store, token=token, workbook=workbook)
    assert "Your saved answers have been restored" in again.notice.value
    assert again.section_id == "ips_fidelity"
    assert again.answers == first.answers
    again.show_section("culture_and_leadership")
    controls = again.controls[FIRST]
    assert controls["value"].value == "no"
    assert controls["evidence"].value == "Nobody yet"
    assert controls["action_who"].value == "Lead commissioner"
    assert controls["action_by"].value == dt.date(2026, 1, 15)
    assert f"2 of {workbook.question_count} answered" in again.progress_line.value


def test_unknown_resume_id_opens_blank_and_says_so(workbook) -> None:
    app = CommissioningQuestionsApp(store=MemoryStore(), token="x" * 43, workbook=workbook)
    assert app.token is None
    assert "not recognised" in app.notice.value
    assert app.answers == {}


def test_moving_between_sections_alone_creates_no_saved_state(store, workbook) -> None:
    app = CommissioningQuestionsApp(store=store, workbook=workbook)
    app.move(1)
    assert store.saved == {} and app.token is None


def test_a_removed_question_is_reported_and_kept(store, workbook, tmp_path) -> None:
    first = CommissioningQuestionsApp(store=store, workbook=workbook)
    first.answer(FIRST, value="yes", evidence="Named in the plan")
    first.answer(SECOND, value="4", action_what="Write it into the NHS plan")
    token = first.token

    reduced = without_question(tmp_path, SECOND)
    later = CommissioningQuestionsApp(store=store, token=token, workbook=reduced)
    shown = later.aside_box.value
    assert "Answers kept aside" in shown
    assert f"id &#x27;{SECOND}&#x27;" in shown and "Write it into the NHS plan" in shown
    assert later.answers[FIRST].evidence == "Named in the plan"  # unchanged question kept
    assert SECOND not in later.answers
    assert f"1 of {reduced.question_count} answered" in later.progress_line.value

    later.answer(FIRST, value="partly")  # a new save must not drop what was kept aside
    state = saved_state(store, token)
    assert state["kept_aside"][SECOND]["action_what"] == "Write it into the NHS plan"
    assert SECOND not in state["answers"]
    later._charts_later.flush()
    book = openpyxl.load_workbook(io.BytesIO(workbook_xlsx(reduced, later.answers, later.report)))
    assert "Kept aside" in book.sheetnames
    assert "Write it into the NHS plan" in book["Kept aside"]["A2"].value

    # Still reported on the next visit, and back in place once the question returns.
    still = CommissioningQuestionsApp(store=store, token=token, workbook=reduced)
    assert "Kept aside on an earlier visit" in still.aside_box.value
    back = CommissioningQuestionsApp(store=store, token=token, workbook=workbook)
    assert back.answers[SECOND].value == "4"
    assert "is back in place" in back.aside_box.value


def test_a_value_no_longer_on_the_scale_is_cleared_reported_and_kept(workbook) -> None:
    saved = {
        "answers": {
            FIRST: {"value": "3", "evidence": "kept note"},  # yes/partly/no has no '3'
            "gone.question": {"value": "yes"},
            "gone.empty": {"value": None, "evidence": ""},
            SECOND: {"value": "4", "colour": "blue"},  # an extra part, set aside
            "culture.whole_council": "not a record",
            "culture.frontline_voice": {"value": "yes", "evidence": "fits"},
        }
    }
    answers, kept, report = restore_answers(workbook, saved)
    assert answers[FIRST].value is None and answers[FIRST].evidence == "kept note"
    assert answers[SECOND].value == "4"
    assert answers["culture.frontline_voice"].evidence == "fits"
    assert kept == {
        FIRST: {"value": "3", "evidence": "kept note"},
        "gone.question": {"value": "yes"},
        SECOND: {"value": "4", "colour": "blue"},
        "culture.whole_council": "not a record",
    }
    assert len(report) == 4
    assert any("no longer one of its choices" in line for line in report)
    assert any("'colour' ('blue') was set aside" in line for line in report)

    # On the next visit everything kept aside is still listed, once each.
    later = {"answers": answers_to_json(answers), "kept_aside": kept}
    answers_again, kept_again, report_again = restore_answers(workbook, later)
    assert kept_again == kept and answers_again == answers
    assert len(report_again) == 4
    assert all(line.startswith("Kept aside on an earlier visit") for line in report_again)


def test_restore_tolerates_junk(workbook) -> None:
    assert restore_answers(workbook, None) == ({}, {}, [])
    answers, kept, report = restore_answers(workbook, {"answers": "junk", "kept_aside": 3})
    assert answers == {} and kept == {} and report == []


def test_content_errors_are_shown_not_raised(tmp_path, monkeypatch) -> None:
    folder = tmp_path / "workbook"
    shutil.copytree(workbook_dir(), folder)
    (folder / "01_culture_and_leadership.yaml").write_text("id: [broken\n", encoding="utf-8")
    monkeypatch.setenv("TOOLKIT_WORKBOOK_DIR", str(folder))
    app = CommissioningQuestionsApp(store=MemoryStore())
    assert app.content_error is not None
    html_text = app.widget.children[0].value
    assert "could not be loaded" in html_text and "01_culture_and_leadership.yaml" in html_text


# --------------------------------------------------------------------------------------------
# Exports
# --------------------------------------------------------------------------------------------


def answered(workbook: Workbook) -> dict[str, Answer]:
    return {
        FIRST: Answer(
            question_id=FIRST,
            value="partly",
            evidence='=HYPERLINK("http://example.invalid")',
            action_what="+Appoint a champion",
            action_who="@lead",
            action_by=dt.date(2026, 3, 31),
        ),
        SECOND: Answer(question_id=SECOND, value="4", evidence="Plan <script>alert(1)</script>"),
    }


def test_excel_export_holds_answers_plan_and_scores_with_inert_text(workbook) -> None:
    data = workbook_xlsx(workbook, answered(workbook))
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Answers", "Action plan", "Scores"]
    answers = book["Answers"]
    rows = {row[8]: row for row in answers.iter_rows(min_row=2, values_only=True)}
    assert len(rows) == workbook.question_count
    first = rows[FIRST]
    assert first[1] == "1.1" and first[3] == "Partly"
    assert first[4] == '\'=HYPERLINK("http://example.invalid")'
    assert first[5] == "'+Appoint a champion" and first[6] == "'@lead"
    assert first[7] == dt.datetime(2026, 3, 31)
    assert rows[SECOND][3] == "4 - Mostly in place"
    assert rows["culture.whole_council"][3] == "Not answered"
    for row in answers.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f"
    plan = list(book["Action plan"].iter_rows(min_row=2, values_only=True))
    assert plan == [
        (
            dt.datetime(2026, 3, 31),
            "'+Appoint a champion",
            "'@lead",
            "Condition 1: Shifting culture and leadership",
            "1.1",
            workbook.question(FIRST).text,
            "Partly",
        )
    ]
    scores = {row[0]: row for row in book["Scores"].iter_rows(min_row=2, values_only=True)}
    culture = scores["Condition 1: Shifting culture and leadership"]
    assert culture[1:4] == (2, 5, 2)
    assert culture[5] == pytest.approx((50 + 75) / 2)
    assert scores["Overall"][1:3] == (2, workbook.question_count)
    assert scores["IPS-25 fidelity total"][1] is None


def test_printable_html_escapes_text_and_has_no_scripts(app, workbook) -> None:
    answers = answered(workbook)
    for qid, answer in answers.items():
        app.answer(qid, value=answer.value, evidence=answer.evidence)
    app._charts_later.flush()
    page = workbook_html(workbook, answers, app.rendered, ["Kept <b>aside</b>"])
    assert "<script" not in page.lower()
    assert "Plan &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Kept &lt;b&gt;aside&lt;/b&gt;" in page
    assert "size: A4" in page
    assert "default-src 'none'" in page  # the page may fetch nothing
    assert page.count('<img class="toolkit-chart" src="data:image/svg+xml;base64,') == 2
    assert f"2 of {workbook.question_count} answered" in page
    assert "1.1 " in page and "Partly" in page


def test_app_offers_both_downloads_as_data_links(app) -> None:
    app.answer(FIRST, value="yes", evidence="<script>x</script>")
    app._charts_later.flush()
    links = app.downloads.value
    assert 'download="commissioning-questions.xlsx"' in links
    assert 'download="commissioning-questions.html"' in links
    assert "data:application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;base64," in links
    assert "<script" not in links


def test_saved_state_is_plain_json(app, store) -> None:
    import json

    app.answer(FIRST, value="yes", action_by=dt.date(2026, 2, 1))
    state = saved_state(store, app.token)
    assert json.loads(json.dumps(state)) == state
    assert state["answers"] == answers_to_json(app.answers)
