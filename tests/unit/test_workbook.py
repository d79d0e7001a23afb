"""The commissioning-questions workbook: shipped content, content checks, progress and scoring."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.content.loader import ContentError
from toolkit.content.paths import workbook_dir
from toolkit.content.sources import full_citation
from toolkit.worksheets.commissioning_questions import (
    FIDELITY_ITEMS,
    NOT_SECTION_FILES,
    Answer,
    Workbook,
    WorkbookContentError,
    action_plan,
    answers_from_json,
    answers_to_json,
    clear_cache,
    fidelity_total,
    load_workbook,
    progress,
    reconcile,
    section_scores,
)

SEED_NAME = re.compile(r"00[0-4]_[0-9a-f]{16}\.txt")
CONDITIONS = (
    "culture_and_leadership",
    "defining_outcomes",
    "strategic_plan",
    "market_development",
    "performance_management",
)


@pytest.fixture(scope="module")
def workbook() -> Workbook:
    return load_workbook(workbook_dir(), cached=False)


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A copy of the shipped content in ``tmp_path/workbook`` that a test may break."""
    folder = tmp_path / "workbook"
    shutil.copytree(workbook_dir(), folder)
    return folder


def _edit(path: Path, change) -> None:
    """Load a YAML file, let ``change`` alter the data, write it back."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _load_error(folder: Path) -> str:
    with pytest.raises(WorkbookContentError) as caught:
        load_workbook(folder, cached=False)
    return str(caught.value)


def _rate_all(workbook: Workbook, section_id: str, value: str) -> dict[str, Answer]:
    section = workbook.section(section_id)
    assert section is not None
    return {q.id: Answer(question_id=q.id, value=value) for q in section.questions}


# --------------------------------------------------------------------------------------------
# The shipped content
# --------------------------------------------------------------------------------------------


def test_shipped_content_loads_in_file_order(workbook: Workbook) -> None:
    files = sorted(
        path.name for path in workbook_dir().glob("*.yaml") if path.name not in NOT_SECTION_FILES
    )
    assert len(workbook.sections) == len(files) == 10
    assert [s.id for s in workbook.sections][:5] == list(CONDITIONS)


def test_five_conditions_are_present(workbook: Workbook) -> None:
    for section_id in CONDITIONS:
        section = workbook.section(section_id)
        assert section is not None, section_id
        assert 4 <= len(section.questions) <= 6
        assert "Theory" in section.source.section


def test_counts_of_ips_principles_stages_and_fidelity_items(workbook: Workbook) -> None:
    assert len(workbook.section("ips_principles").questions) == 8
    stages = workbook.section("supported_employment_stages").questions
    # six stages rated 1 to 5, then the same six as a Yes / Partly / No checklist
    assert [q.scale for q in stages] == ["rating_1_5"] * 6 + ["yes_partly_no"] * 6
    fidelity = workbook.fidelity_section
    assert fidelity is not None and fidelity.id == "ips_fidelity"
    assert len(fidelity.questions) == FIDELITY_ITEMS == 25
    groups = [q.group for q in fidelity.questions]
    assert (groups.count("Staffing"), groups.count("Organisation"), groups.count("Services")) == (
        3,
        8,
        14,
    )


def test_question_total_excluding_fidelity_is_in_the_planned_range(workbook: Workbook) -> None:
    others = [q for s, q in workbook.iter_questions() if s.kind != "fidelity"]
    # 64: issue 14 added four rows of Table 3 to the data questions; 70: and the six-item
    # supported employment stage checklist to section 09
    assert 48 <= len(others) <= 70


def test_every_question_is_a_question_with_help_and_source(workbook: Workbook) -> None:
    for section, question in workbook.iter_questions():
        assert question.text.endswith("?"), question.id
        assert len(question.help) >= 40, question.id
        assert question.source.document and question.source.section, question.id
        if section.kind == "fidelity":
            assert question.source.source_id == "ips-25", question.id
        else:
            assert question.source.source_id == "ndti-2014" or question.source.source_id in {
                "eeda-2008",
                "codesign-pilots",
                "idea-wigan-2008",
            }, question.id
        assert not SEED_NAME.search(question.source.document + question.source.section)


def test_help_is_one_to_three_sentences_and_intros_one_or_two(workbook: Workbook) -> None:
    def sentences(text: str) -> int:
        return len(re.findall(r"[.!?](?:\s|$)", text))

    for _, question in workbook.iter_questions():
        assert 1 <= sentences(question.help) <= 3, question.id
    for section in workbook.sections:
        assert 1 <= sentences(section.intro) <= 2, section.id


def test_partnerships_draw_on_seeds_000_003_and_004(workbook: Workbook) -> None:
    documents = {q.source.source_id for q in workbook.section("partnerships_and_voice").questions}
    assert {"eeda-2008", "codesign-pilots", "ndti-2014"} <= documents


def test_data_questions_use_the_can_report_scale(workbook: Workbook) -> None:
    section = workbook.section("data_you_hold")
    assert {q.scale for q in section.questions} == {"can_report"}
    ids = {q.id for q in section.questions}
    assert {"data.total_cost", "data.people_supported", "data.new_jobs"} <= ids
    assert {"data.retained_jobs", "data.self_employed", "data.hours_worked", "data.pay"} <= ids


def test_scales_have_dont_know_unscored(workbook: Workbook) -> None:
    assert {"yes_partly_no", "can_report", "rating_1_5", "fidelity_1_5"} <= {
        s.id for s in workbook.scales
    }
    for scale in workbook.scales:
        unscored = [option for option in scale.options if option.score is None]
        assert len(unscored) == 1, scale.id
    assert workbook.scale("rating_1_5").scores == (1, 2, 3, 4, 5)


def test_fidelity_bands_and_source(workbook: Workbook) -> None:
    bands = {(b.min, b.max): b.label for b in workbook.fidelity_bands}
    assert bands == {
        (115, 125): "Exemplary fidelity",
        (100, 114): "Good fidelity",
        (74, 99): "Fair fidelity",
        (25, 73): "Not supported employment/IPS",
    }
    assert "Becker" in workbook.fidelity_source.document
    assert workbook.fidelity_source.source_id == "ips-25"
    assert "McLeman" in full_citation(workbook.fidelity_source.source_id)


def test_question_ids_are_unique(workbook: Workbook) -> None:
    ids = [q.id for _, q in workbook.iter_questions()]
    assert len(ids) == len(set(ids)) == workbook.question_count


# --------------------------------------------------------------------------------------------
# Broken content
# --------------------------------------------------------------------------------------------


def test_yaml_syntax_error_names_file_and_line(content: Path) -> None:
    path = content / "03_strategic_plan.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = 'title: Condition 3: "A strategic plan"'
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    message = _load_error(content)
    assert "workbook/03_strategic_plan.yaml" in message
    assert "section 'strategic_plan'" in message
    assert "line 2" in message
    assert "not valid YAML" in message


def test_unknown_scale_names_file_section_and_key(content: Path) -> None:
    def change(data: dict) -> None:
        data["questions"][3]["scale"] = "rating_1_6"

    _edit(content / "03_strategic_plan.yaml", change)
    message = _load_error(content)
    assert "workbook/03_strategic_plan.yaml, section 'strategic_plan'" in message
    assert "questions[3].scale" in message
    assert "'rating_1_6' is not a known answer scale" in message
    assert "expected one of: can_report, fidelity_1_5, rating_1_5, yes_partly_no" in message


def test_duplicate_id_across_files_names_both_files(content: Path) -> None:
    def change(data: dict) -> None:
        data["questions"][0]["id"] = "culture.champion"

    _edit(content / "05_performance_management.yaml", change)
    message = _load_error(content)
    assert "workbook/05_performance_management.yaml, section 'performance_management'" in message
    assert "questions[0].id" in message
    assert "'culture.champion' is already used in" in message
    assert "workbook/01_culture_and_leadership.yaml" in message


def test_missing_text_names_file_section_and_key(content: Path) -> None:
    def change(data: dict) -> None:
        del data["questions"][1]["text"]

    _edit(content / "02_defining_outcomes.yaml", change)
    message = _load_error(content)
    assert "workbook/02_defining_outcomes.yaml, section 'defining_outcomes'" in message
    assert "questions[1].text" in message
    assert "missing" in message
    assert "expected the question in plain English" in message


def test_extra_key_names_file_section_and_key(content: Path) -> None:
    def change(data: dict) -> None:
        data["questions"][0]["colour"] = "blue"

    _edit(content / "01_culture_and_leadership.yaml", change)
    message = _load_error(content)
    assert "workbook/01_culture_and_leadership.yaml, section 'culture_and_leadership'" in message
    assert "questions[0].colour" in message
    assert "not a key the workbook understands" in message
    assert "id, text, help, scale, source, group" in message


def test_extra_key_in_nested_source_lists_allowed_keys(content: Path) -> None:
    def change(data: dict) -> None:
        data["questions"][2]["source"]["page"] = 12

    _edit(content / "04_market_development.yaml", change)
    message = _load_error(content)
    assert "questions[2].source.page" in message
    assert "expected one of: document, section, url" in message


def test_repeated_key_in_one_block_is_refused(content: Path) -> None:
    path = content / "01_culture_and_leadership.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "    scale: yes_partly_no\n", "    scale: yes_partly_no\n    scale: rating_1_5\n", 1
    )
    path.write_text(text, encoding="utf-8")
    message = _load_error(content)
    assert "workbook/01_culture_and_leadership.yaml" in message
    assert "'scale' appears twice" in message


def test_fidelity_section_needs_exactly_25_items(content: Path) -> None:
    _edit(content / "08_ips_fidelity.yaml", lambda data: data["questions"].pop())
    message = _load_error(content)
    assert "workbook/08_ips_fidelity.yaml, section 'ips_fidelity'" in message
    assert "exactly 25 items" in message
    assert "found 24" in message


def test_fidelity_items_need_a_1_to_5_scale(content: Path) -> None:
    def change(data: dict) -> None:
        data["questions"][4]["scale"] = "yes_partly_no"

    _edit(content / "08_ips_fidelity.yaml", change)
    message = _load_error(content)
    assert "questions[4].scale" in message
    assert "1, 2, 3, 4 and 5" in message


def test_fidelity_bands_must_not_leave_gaps(content: Path) -> None:
    def change(data: dict) -> None:
        data["bands"][1]["min"] = 101

    _edit(content / "fidelity_bands.yaml", change)
    message = _load_error(content)
    assert "workbook/fidelity_bands.yaml, bands[1].min" in message
    assert "gap" in message
    assert "expected 100" in message


def test_fidelity_bands_must_reach_125(content: Path) -> None:
    _edit(content / "fidelity_bands.yaml", lambda data: data["bands"].pop(0))
    message = _load_error(content)
    assert "fidelity_bands.yaml" in message
    assert "125" in message


def test_missing_scales_file_is_named(content: Path) -> None:
    (content / "scales.yaml").unlink()
    message = _load_error(content)
    assert "workbook/scales.yaml: the file is missing" in message


def test_unquoted_yes_in_scales_is_explained(content: Path) -> None:
    path = content / "scales.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace('value: "yes"', "value: yes", 1), encoding="utf-8"
    )
    message = _load_error(content)
    assert "workbook/scales.yaml, scales[0].options[0].value" in message
    assert "in quotes" in message


def test_all_problems_are_reported_together(content: Path) -> None:
    def unknown_scale(data: dict) -> None:
        data["questions"][0]["scale"] = "nope"

    def no_help(data: dict) -> None:
        del data["questions"][0]["help"]

    _edit(content / "02_defining_outcomes.yaml", unknown_scale)
    _edit(content / "06_data_you_hold.yaml", no_help)
    with pytest.raises(WorkbookContentError) as caught:
        load_workbook(content, cached=False)
    assert len(caught.value.problems) == 2
    assert str(caught.value).startswith("2 problems in the workbook content")


def test_error_is_a_configuration_fault_not_a_value_error(content: Path) -> None:
    # A content fault is the installation's, never a user's field (toolkit.content.loader).
    assert not issubclass(WorkbookContentError, ValueError)
    (content / "scales.yaml").write_text("- just a list\n", encoding="utf-8")
    with pytest.raises(ContentError, match="found a list instead"):
        load_workbook(content, cached=False)


# --------------------------------------------------------------------------------------------
# Caching
# --------------------------------------------------------------------------------------------


def test_cache_returns_same_object_until_a_file_changes(content: Path) -> None:
    clear_cache()
    first = load_workbook(content)
    assert load_workbook(content) is first
    assert load_workbook(content, cached=False) is not first
    assert load_workbook(content, cached=False) == first

    def change(data: dict) -> None:
        data["title"] = "Condition 1: Culture (edited)"

    _edit(content / "01_culture_and_leadership.yaml", change)
    edited = load_workbook(content)
    assert edited is not first
    assert edited.sections[0].title == "Condition 1: Culture (edited)"


def test_default_folder_comes_from_environment(content: Path, monkeypatch) -> None:
    monkeypatch.setenv("TOOLKIT_WORKBOOK_DIR", str(content))
    assert load_workbook(cached=False).question_count == load_workbook(content).question_count


# --------------------------------------------------------------------------------------------
# Progress and scores
# --------------------------------------------------------------------------------------------


def test_progress_counts_dont_know_but_not_blank_or_stale(workbook: Workbook) -> None:
    answers = {
        "culture.champion": Answer(question_id="culture.champion", value="yes"),
        "culture.frontline_voice": Answer(question_id="culture.frontline_voice", value="dont_know"),
        "culture.whole_council": Answer(question_id="culture.whole_council", evidence="notes"),
        "culture.challenging_attitudes": Answer(
            question_id="culture.challenging_attitudes", value="9"
        ),
    }
    result = progress(workbook, answers)
    assert result.answered == 2
    assert result.total == workbook.question_count
    assert result.text() == f"2 of {workbook.question_count} answered"
    culture = result.section("culture_and_leadership")
    assert (culture.answered, culture.total) == (2, 5)
    assert culture.text() == "2 of 5 answered"
    assert not culture.complete
    assert result.section("strategic_plan").text() == "0 of 5 answered"


def test_section_scores_mean_percent_and_counts(workbook: Workbook) -> None:
    answers = {
        "culture.champion": Answer(question_id="culture.champion", value="yes"),  # 2 of 0-2
        "culture.frontline_voice": Answer(question_id="culture.frontline_voice", value="dont_know"),
        "culture.whole_council": Answer(question_id="culture.whole_council", value="3"),  # 1-5
    }
    scores = {score.section_id: score for score in section_scores(workbook, answers)}
    culture = scores["culture_and_leadership"]
    assert culture.answered == 3
    assert culture.scored == 2
    assert culture.mean == pytest.approx(2.5)
    assert culture.percent == pytest.approx((100 + 50) / 2)
    assert culture.counts["yes"] == 1
    assert culture.counts["dont_know"] == 1
    assert culture.counts["3"] == 1
    assert culture.counts["no"] == 0
    empty = scores["strategic_plan"]
    assert (empty.mean, empty.percent, empty.scored) == (None, None, 0)


def test_section_with_only_dont_know_has_no_score(workbook: Workbook) -> None:
    answers = _rate_all(workbook, "ips_principles", "dont_know")
    principles = next(
        s for s in section_scores(workbook, answers) if s.section_id == "ips_principles"
    )
    assert principles.answered == 8
    assert principles.mean is None
    assert principles.counts["dont_know"] == 8


@pytest.mark.parametrize(
    ("value", "total", "label"),
    [("5", 125, "Exemplary fidelity"), ("4", 100, "Good fidelity"), ("3", 75, "Fair fidelity")],
)
def test_fidelity_total_and_band(workbook: Workbook, value: str, total: int, label: str) -> None:
    result = fidelity_total(workbook, _rate_all(workbook, "ips_fidelity", value))
    assert result.total == total
    assert result.rated == 25
    assert result.band_label == label
    assert result.text() == f"{total} out of 125: {label}"


def test_fidelity_band_edges(workbook: Workbook) -> None:
    answers = _rate_all(workbook, "ips_fidelity", "3")  # 75
    first, second = [q.id for q in workbook.fidelity_section.questions][:2]
    answers[first] = Answer(question_id=first, value="2")  # 74
    assert fidelity_total(workbook, answers).band_label == "Fair fidelity"
    answers[second] = Answer(question_id=second, value="2")  # 73
    assert fidelity_total(workbook, answers).band_label == "Not supported employment/IPS"
    assert fidelity_total(workbook, _rate_all(workbook, "ips_fidelity", "1")).total == 25


def test_fidelity_total_needs_all_25(workbook: Workbook) -> None:
    answers = _rate_all(workbook, "ips_fidelity", "5")
    answers.pop(workbook.fidelity_section.questions[7].id)
    result = fidelity_total(workbook, answers)
    assert result.total is None
    assert result.band is None
    assert result.rated == 24
    assert result.text().startswith("24 of 25 items rated")


def test_fidelity_not_rated_yet_leaves_total_open(workbook: Workbook) -> None:
    answers = _rate_all(workbook, "ips_fidelity", "4")
    last = workbook.fidelity_section.questions[-1].id
    answers[last] = Answer(question_id=last, value="dont_know")
    result = fidelity_total(workbook, answers)
    assert (result.total, result.rated) == (None, 24)
    assert progress(workbook, answers).section("ips_fidelity").answered == 25


@settings(deadline=None)  # the first example reads the YAML: slow on a shared, busy machine
@given(st.lists(st.integers(min_value=1, max_value=5), min_size=25, max_size=25))
def test_fidelity_total_is_the_sum_and_its_band_contains_it(ratings: list[int]) -> None:
    workbook = load_workbook(workbook_dir())
    questions = workbook.fidelity_section.questions
    answers = {
        q.id: Answer(question_id=q.id, value=str(r))
        for q, r in zip(questions, ratings, strict=True)
    }
    result = fidelity_total(workbook, answers)
    assert result.total == sum(ratings)
    assert result.band is not None and result.band.min <= result.total <= result.band.max


# --------------------------------------------------------------------------------------------
# Action plan
# --------------------------------------------------------------------------------------------


def test_action_plan_sorted_by_date_with_undated_last(workbook: Workbook) -> None:
    answers = {
        "strategy.resources": Answer(
            question_id="strategy.resources",
            value="2",
            action_what="Cost the shift from day services",
        ),
        "data.pay": Answer(
            question_id="data.pay",
            value="cannot",
            action_what="Ask providers for pay bands",
            action_who="Contracts officer",
            action_by=dt.date(2025, 9, 30),
        ),
        "culture.champion": Answer(
            question_id="culture.champion",
            value="no",
            action_who="Director",
            action_by=dt.date(2025, 6, 1),
        ),
        "culture.whole_council": Answer(question_id="culture.whole_council", value="4"),
        "market.fidelity_reviews": Answer(
            question_id="market.fidelity_reviews", action_what="Book a fidelity review"
        ),
    }
    rows = action_plan(workbook, answers)
    # Dated first, soonest first; undated rows keep workbook order (section 3 before section 4).
    assert [row.question_id for row in rows] == [
        "culture.champion",
        "data.pay",
        "strategy.resources",
        "market.fidelity_reviews",
    ]
    first = rows[0]
    assert first.section_title.startswith("Condition 1")
    assert first.answer_label == "No"
    assert (first.who, first.by) == ("Director", dt.date(2025, 6, 1))
    assert rows[1].answer_label == "Cannot"
    assert rows[2].answer_label == "2 - Planned or just starting"
    assert rows[3].answer_label == "Not answered"
    assert rows[3].what == "Book a fidelity review"


def test_action_plan_empty_without_actions(workbook: Workbook) -> None:
    answers = {
        "culture.champion": Answer(question_id="culture.champion", value="yes", evidence="x")
    }
    assert action_plan(workbook, answers) == []


# --------------------------------------------------------------------------------------------
# Saving and restoring
# --------------------------------------------------------------------------------------------


def test_json_round_trip(workbook: Workbook) -> None:
    answers = {
        "data.pay": Answer(
            question_id="data.pay",
            value="partly",
            evidence="Two of three providers",
            action_what="Ask the third",
            action_who="Me",
            action_by=dt.date(2026, 1, 15),
        ),
        "culture.champion": Answer(question_id="culture.champion"),
    }
    saved = answers_to_json(answers)
    assert saved["data.pay"]["action_by"] == "2026-01-15"
    assert answers_from_json(saved) == answers
    restored, report = reconcile(workbook, saved)
    assert restored == answers
    assert report == []


@given(
    st.dictionaries(
        st.sampled_from(["culture.champion", "data.pay", "ips.works_quickly"]),
        st.tuples(
            st.one_of(
                st.none(), st.sampled_from(["yes", "partly", "can_report", "3", "dont_know"])
            ),
            st.text(max_size=30),
            st.one_of(st.none(), st.dates()),
        ),
    )
)
def test_json_round_trip_property(entries: dict) -> None:
    answers = {
        qid: Answer(question_id=qid, value=value, evidence=notes, action_by=by)
        for qid, (value, notes, by) in entries.items()
    }
    assert answers_from_json(answers_to_json(answers)) == answers


def test_reconcile_reports_a_removed_question_and_keeps_its_notes(workbook: Workbook) -> None:
    saved = {
        "culture.old": {
            "question_id": "culture.old",
            "value": "yes",
            "evidence": "Minutes of June board",
            "action_what": "Re-check",
            "action_who": "",
            "action_by": "2025-07-01",
        },
        "culture.champion": {"value": "partly", "evidence": "Director of adult services"},
        "culture.empty_old": {"value": None, "evidence": ""},
    }
    answers, report = reconcile(workbook, saved)
    assert set(answers) == {"culture.champion"}
    assert answers["culture.champion"].value == "partly"
    assert len(report) == 1
    line = report[0]
    assert "removed (id 'culture.old')" in line
    assert "kept aside" in line
    assert "'Yes'" in line
    assert "Minutes of June board" in line
    assert "Re-check" in line
    assert "2025-07-01" in line


def test_reconcile_clears_a_value_no_longer_on_the_scale_but_keeps_notes(
    workbook: Workbook,
) -> None:
    saved = {
        "strategy.resources": {
            "value": "yes",  # the question now uses the 1-5 rating scale
            "evidence": "Budget paper 2024",
            "action_what": "Draft the shift",
            "action_who": "Lead commissioner",
            "action_by": "2025-12-01",
        }
    }
    answers, report = reconcile(workbook, saved)
    answer = answers["strategy.resources"]
    assert answer.value is None
    assert answer.evidence == "Budget paper 2024"
    assert (answer.action_what, answer.action_who) == ("Draft the shift", "Lead commissioner")
    assert answer.action_by == dt.date(2025, 12, 1)
    assert len(report) == 1
    assert "'Yes'" in report[0]
    assert "strategy.resources" in report[0]
    assert "no longer one of its choices" in report[0]
    assert "Rating 1 to 5" in report[0]
    assert "notes and action were kept" in report[0]


def test_reconcile_reports_unreadable_parts(workbook: Workbook) -> None:
    saved = {
        "data.pay": {"value": "can_report", "action_by": "next week", "colour": "red"},
        "data.hours_worked": "can_report",
        "ips.works_quickly": {"value": 4},
    }
    answers, report = reconcile(workbook, saved)
    assert answers["data.pay"].value == "can_report"
    assert answers["data.pay"].action_by is None
    assert answers["ips.works_quickly"].value == "4"
    assert answers["data.hours_worked"].value is None
    text = "\n".join(report)
    assert "'next week'" in text
    assert "'colour'" in text and "'red'" in text
    assert "could not be read: 'can_report'" in text
    assert len(report) == 3


def test_reconciled_answers_feed_progress(workbook: Workbook) -> None:
    saved = {"culture.champion": {"value": "yes"}, "gone.away": {"value": "no"}}
    answers, report = reconcile(workbook, saved)
    assert progress(workbook, answers).answered == 1
    assert len(report) == 1 and "'No'" in report[0]
