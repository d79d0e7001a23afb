"""Session logic: codes, names shown, pooling and disclosure control (no database)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.content.rules import DisclosureRules, rules
from toolkit.domain.measures import pool_services
from toolkit.domain.record import ServiceRecord
from toolkit.domain.results import measures_to_dict
from toolkit.network.sessions import (
    CODE_ALPHABET,
    COMPONENTS,
    NOT_SHOWN,
    SessionInfo,
    Submission,
    anonymous_label,
    format_code,
    hidden_counts,
    new_session_code,
    normalise_code,
    session_pack_bytes,
    shown_names,
    summarise,
)

INFO = SessionInfo("K7QFM2XD9PRT", "March network", dt.date(2025, 3, 14))
T0 = dt.datetime(2025, 3, 14, 10, tzinfo=dt.UTC)
OPEN = DisclosureRules(
    min_services_for_pooled=1, min_count_shown=1, suppress_zero_counts=False, rounding_base=1
)


def record(
    cost: float = 100_000,
    people: int = 40,
    new: int = 10,
    retained: int = 8,
    self_employed: int = 0,
    name: str = "Fictional service",
) -> ServiceRecord:
    return ServiceRecord(
        name=name,
        total_cost=cost,
        people_supported=people,
        new_jobs=new,
        jobs_retained=retained,
        self_employed=self_employed,
    )


def submissions(*records: ServiceRecord, anonymous: bool = False) -> list[Submission]:
    names = shown_names([(anonymous, r.name) for r in records])
    return [
        Submission(
            submission_id=f"id{i}",
            shown_as=names[i],
            anonymous=anonymous,
            display_name=None if anonymous else r.name,
            record=r,
            submitted_at=T0 + dt.timedelta(minutes=i),
            updated_at=T0 + dt.timedelta(minutes=i),
        )
        for i, r in enumerate(records)
    ]


# --------------------------------------------------------------------------- codes


def test_codes_are_three_groups_of_four_without_look_alikes():
    for _ in range(200):
        shown = format_code(new_session_code())
        assert re.fullmatch(r"[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}", shown)
    assert not set("01OIL") & set(CODE_ALPHABET)
    assert len(CODE_ALPHABET) ** 12 > 2**59  # about 60 bits: not guessable


def test_codes_differ_between_calls():
    assert len({new_session_code() for _ in range(1000)}) == 1000


@pytest.mark.parametrize(
    "typed",
    ["K7QF-M2XD-9PRT", "k7qf-m2xd-9prt", "K7QF M2XD 9PRT", "k7qfm2xd9prt", " K7QF–M2XD-9PRT "],
)
def test_code_input_ignores_case_dashes_and_spaces(typed):
    assert normalise_code(typed) == "K7QFM2XD9PRT"


@pytest.mark.parametrize(
    "typed",
    ["", "K7QF-M2XD", "K7QF-M2XD-9PRTX", "K7QF-M2XD-9PR0", "K7QF-M2XD-9PRI", None, 12, "x" * 500],
)
def test_malformed_codes_are_not_codes(typed):
    assert normalise_code(typed) is None


def test_anonymous_services_are_lettered_in_submission_order():
    assert [anonymous_label(i) for i in (0, 1, 25, 26, 27)] == [
        "Service A",
        "Service B",
        "Service Z",
        "Service AA",
        "Service AB",
    ]
    assert shown_names([(True, None), (False, "Leeds"), (True, "Hidden"), (False, None)]) == [
        "Service A",
        "Leeds",
        "Service B",
        "Service C",
    ]


# --------------------------------------------------------------------------- pooling


def test_two_services_give_no_pooled_figures_and_say_why():
    summary = summarise(INFO, submissions(record(), record(cost=50_000)))
    assert summary.services == 2
    assert summary.pooled is None
    assert any("at least 3 services" in reason for reason in summary.suppressed)
    assert summary.session.model_dump(exclude={"closed"}) == {
        "code": "K7QF-M2XD-9PRT",
        "title": "March network",
        "date": "2025-03-14",
    }


def test_three_services_are_pooled_from_their_totals():
    records = [record(100_000, 40, 10, 8), record(50_000, 30, 12, 6), record(60_000, 20, 5, 5)]
    summary = summarise(INFO, submissions(*records))
    pooled = summary.pooled
    assert pooled["total_cost"] == 210_000
    assert pooled["people_supported"] == 90
    # Each service's counts rounded to 5 first: 18 -> 20, 18 -> 20, 10 -> 10.
    assert pooled["job_outcomes"] == 50
    assert pooled["cost_per_job_outcome"] == round(210_000 / 50, 2)
    assert pooled["cost_per_person"] == round(210_000 / 90, 2)
    assert pooled["new_jobs"] == 25
    assert set(pooled) >= set(measures_to_dict(pool_services(records))) - {
        "outcome_split",
        "per_100_supported",
    }


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(1, 5_000_000),
            st.integers(1, 500),
            st.integers(0, 200),
            st.integers(0, 200),
            st.integers(0, 50),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_pooled_cost_per_job_is_total_cost_over_total_outcomes(rows):
    records = []
    for cost, people, new, retained, self_employed in rows:
        outcomes = new + retained + self_employed
        records.append(record(cost, max(people, outcomes), new, retained, self_employed))
    total_cost = sum(r.total_cost for r in records)
    total_outcomes = sum(r.job_outcomes for r in records)
    expected = round(total_cost / total_outcomes, 2) if total_outcomes else None
    assert summarise(INFO, submissions(*records), OPEN).pooled["cost_per_job_outcome"] == expected
    # With disclosure control on, the figure uses each service's job outcomes rounded to 5,
    # or is hidden with a reason.
    summary = summarise(INFO, submissions(*records))
    rounded = sum(5 * ((2 * r.job_outcomes + 5) // 10) for r in records)
    if summary.pooled is not None:
        shown = summary.pooled["cost_per_job_outcome"]
        if shown is None and rounded:
            assert "cost_per_job_outcome" in summary.pooled_suppressed
        else:
            assert shown == (round(total_cost / rounded, 2) if rounded else None)


# --------------------------------------------------------------------------- suppression


def test_a_service_with_three_outcomes_has_that_count_suppressed_with_a_reason():
    summary = summarise(INFO, submissions(record(people=40, new=2, retained=1), record(), record()))
    mine = summary.submissions[0]
    assert mine.measures["job_outcomes"] is None
    assert "fewer than 5" in mine.suppressed["job_outcomes"]
    # Figures that would give the 3 away are hidden too.
    for path in ("cost_per_job_outcome", "job_outcome_rate", "new_jobs", "jobs_retained"):
        assert mine.measures[path] is None, path
        assert path in mine.suppressed
    assert all(mine.measures[f"outcome_split.{key}"] is None for key in COMPONENTS)
    # People and job outcomes are hidden together (one bounds the other).
    assert mine.measures["people_supported"] is None
    assert any(r.startswith("Service") or "job outcomes" in r for r in summary.suppressed)
    # The group's job outcomes stay shown; one other member's are hidden instead (secondary).
    assert summary.pooled["job_outcomes"] == 5 + 20 + 20
    hidden_elsewhere = [e for e in summary.submissions[1:] if e.measures["job_outcomes"] is None]
    assert len(hidden_elsewhere) == 1
    assert "or the group's total" in hidden_elsewhere[0].suppressed["job_outcomes"]
    shown = next(e for e in summary.submissions[1:] if e is not hidden_elsewhere[0])
    assert shown.suppressed == {}
    assert shown.measures["job_outcomes"] == 18


def test_a_small_part_cannot_be_worked_out_by_subtraction():
    disclosure = rules().disclosure
    counts = {
        "people_supported": 40,
        "job_outcomes": 39,
        "new_jobs": 30,
        "jobs_retained": 3,
        "self_employed": 6,
    }
    hidden = hidden_counts(counts, disclosure)
    assert hidden == {
        "jobs_retained": "small",
        "self_employed": "secondary",
        "new_jobs": "secondary",
    }
    counts = {
        "people_supported": 40,
        "job_outcomes": 23,
        "new_jobs": 20,
        "jobs_retained": 3,
        "self_employed": 0,
    }
    assert set(hidden_counts(counts, disclosure)) == {"new_jobs", "jobs_retained", "self_employed"}


def test_zero_counts_are_shown_unless_the_rules_say_otherwise():
    counts = {
        "people_supported": 40,
        "job_outcomes": 20,
        "new_jobs": 10,
        "jobs_retained": 10,
        "self_employed": 0,
    }
    assert hidden_counts(counts, rules().disclosure) == {}
    strict = DisclosureRules(
        min_services_for_pooled=3, min_count_shown=5, suppress_zero_counts=True
    )
    assert "self_employed" in hidden_counts(counts, strict)


def test_a_tiny_service_hides_its_people_and_a_member_cell_not_the_group_total():
    summary = summarise(
        INFO, submissions(record(people=3, new=1, retained=0), record(), record(people=50))
    )
    tiny = summary.submissions[0]
    assert tiny.measures["people_supported"] is None
    assert tiny.measures["cost_per_person"] is None
    assert tiny.measures["total_cost"] == 100_000
    # The group's people stay shown (3 rounds to 5: 5 + 40 + 50); the smallest other
    # member's people are hidden instead, so the 3 cannot be worked back.
    assert summary.pooled["people_supported"] == 95
    assert "people_supported" not in summary.pooled_suppressed
    assert summary.submissions[1].measures["people_supported"] is None
    assert "or the group's total" in summary.submissions[1].suppressed["people_supported"]
    assert summary.submissions[2].measures["people_supported"] == 50
    assert summary.pooled["total_cost"] == 300_000


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(1, 60), st.integers(0, 20), st.integers(0, 20), st.integers(0, 6)),
        min_size=1,
        max_size=6,
    )
)
def test_no_count_under_five_is_ever_shown_nor_left_recoverable(rows):
    records = [
        record(
            people=max(people, new + retained + se), new=new, retained=retained, self_employed=se
        )
        for people, new, retained, se in rows
    ]
    summary = summarise(INFO, submissions(*records))
    tables = [(e.measures, r) for e, r in zip(summary.submissions, records, strict=True)]
    for measures, source in tables:
        for key in ("people_supported", "job_outcomes", *COMPONENTS):
            value = measures[key]
            assert value is None or value == 0 or value >= 5, (key, value)
            assert value is None or value == getattr(source, key)
        if measures["job_outcomes"] is not None:
            hidden = [key for key in COMPONENTS if measures[key] is None]
            assert not hidden or len(hidden) == 3
        if measures["people_supported"] is None:
            assert measures["cost_per_person"] is None and measures["job_outcome_rate"] is None
    pooled = summary.pooled
    if pooled is not None:
        for key in ("people_supported", "job_outcomes", *COMPONENTS):
            hidden = [getattr(r, key) for (m, r) in tables if m[key] is None]
            if pooled[key] is not None and hidden:
                assert len(hidden) >= 2  # and the group's total adds rounded counts


def test_anonymous_submissions_show_no_name():
    summary = summarise(
        INFO, submissions(record(name="Secret Town"), record(name="Other"), anonymous=True)
    )
    assert [e.shown_as for e in summary.submissions] == ["Service A", "Service B"]
    assert "Secret Town" not in repr(summary)


# --------------------------------------------------------------------------- session pack


def _pack_summary():
    records = [
        record(name='=HYPERLINK("http://x")'),
        record(people=40, new=2, retained=1),
        record(),
    ]
    return summarise(SessionInfo("K7QFM2XD9PRT", "+cmd", None), submissions(*records))


def test_csv_pack_is_inert_and_marks_suppressed_cells():
    rows = list(
        csv.reader(io.StringIO(session_pack_bytes(_pack_summary(), "csv").decode("utf-8-sig")))
    )
    header, body = rows[0], rows[1:]
    assert header[:3] == ["Session code", "Session title", "Service"]
    assert body[0][2] == "All services (pooled)"
    assert body[1][1] == "'+cmd"
    assert body[1][2].startswith("'=")
    small = body[2]
    assert small[header.index("Job outcomes")] == NOT_SHOWN
    assert "fewer than 5" in small[header.index("Notes")]
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in body for cell in row)


def test_xlsx_pack_has_no_formulas_and_marks_suppressed_cells():
    book = openpyxl.load_workbook(io.BytesIO(session_pack_bytes(_pack_summary(), "xlsx")))
    assert book.sheetnames == ["Session", "Figures"]
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row]
    assert not any(cell.data_type == "f" for cell in cells)
    figures = book["Figures"]
    header = [cell.value for cell in figures[1]]
    assert figures.cell(4, header.index("Job outcomes") + 1).value == NOT_SHOWN
    assert figures.cell(3, 1).value.startswith("'=")
    with pytest.raises(ValueError):
        session_pack_bytes(_pack_summary(), "pdf")
