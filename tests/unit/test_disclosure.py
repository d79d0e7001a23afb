"""Disclosure control keeps the group's headline and never lets a hidden count be worked back.

"Worked back" is tested directly: for every hidden count, another set of figures (the
same service with a different value for that count) must give exactly the same output,
in one release and across any sequence of submissions, updates and withdrawals. If no
such other figures exist, whoever sees the output could tell the true value.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
from collections.abc import Sequence

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from tests.unit import disclosure_attacker as attacker
from toolkit.content.rules import rules
from toolkit.domain.record import ServiceRecord
from toolkit.network import disclosure as dc
from toolkit.network.summary import (
    SessionInfo,
    Submission,
    hidden_component_keys,
    summarise,
)

INFO = SessionInfo("K7QFM2XD9PRT", "Fictional network", dt.date(2025, 3, 14))
T0 = dt.datetime(2025, 3, 14, 10, tzinfo=dt.UTC)
FIELDS = ("people_supported", "new_jobs", "jobs_retained", "self_employed")


def record(people: int, new: int, retained: int, self_employed: int, cost: float = 100_000):
    return ServiceRecord(
        name="Fictional service",
        total_cost=cost,
        people_supported=people,
        new_jobs=new,
        jobs_retained=retained,
        self_employed=self_employed,
    )


def submission(index: int, rec: ServiceRecord) -> Submission:
    return Submission(
        submission_id=f"member{index}",
        shown_as=f"Fictional member {index}",
        anonymous=False,
        display_name=f"Fictional member {index}",
        record=rec,
        submitted_at=T0 + dt.timedelta(minutes=index),
        updated_at=T0 + dt.timedelta(minutes=index),
    )


def value_of(rec: ServiceRecord, key: str) -> int:
    return int(getattr(rec, key))


# --------------------------------------------------------------------------- the worked example


def worked_example() -> list[ServiceRecord]:
    """The example in docs/sessions.md: four fictional services, one of 12 people with 3 jobs."""
    return [
        record(12, 2, 1, 0, cost=30_000),
        record(60, 14, 6, 0, cost=180_000),
        record(45, 9, 4, 2, cost=150_000),
        record(80, 20, 8, 2, cost=240_000),
    ]


def test_the_worked_example_keeps_the_group_headline():
    summary = summarise(INFO, [submission(i, r) for i, r in enumerate(worked_example())])
    pooled = summary.pooled
    # 12 + 60 + 45 + 80 people, each rounded to 5: 10 + 60 + 45 + 80 = 195;
    # job outcomes 3 + 20 + 15 + 30, rounded: 5 + 20 + 15 + 30 = 70.
    assert pooled["people_supported"] == 195
    assert pooled["job_outcomes"] == 70
    assert pooled["cost_per_job_outcome"] == round(600_000 / 70, 2)
    assert pooled["job_outcome_rate"] == round(70 / 195, 4)
    assert pooled["cost_per_person"] == round(600_000 / 195, 2)
    for key in ("job_outcomes", "cost_per_job_outcome", "job_outcome_rate"):
        assert key not in summary.pooled_suppressed
    small, *others = summary.submissions
    assert (
        small.measures["job_outcomes"] is None
        and "fewer than 5" in small.suppressed["job_outcomes"]
    )
    # Secondary suppression hides the smallest other member cell that is enough (15),
    # not the group's total.
    assert [o.measures["job_outcomes"] for o in others] == [20, None, 30]
    assert "or the group's total" in others[1].suppressed["job_outcomes"]
    # The outcome parts: a member's part is hidden, so the group's parts stay hidden.
    assert pooled["jobs_retained"] is None


def test_the_headline_stays_when_no_other_cell_can_be_hidden():
    """One member has all the group's job outcomes (3): no other job-outcome cell above 0
    can be hidden with it, so the rounding protects it (1 to 7 all give 5) and the group's
    job outcomes stay shown. (Hiding its people hides another member's people, and so that
    member's 0 job outcomes: a reader cannot tell which of the two has them.)"""
    group = [record(20, 3, 0, 0), record(25, 0, 0, 0), record(30, 0, 0, 0)]
    summary = summarise(INFO, [submission(i, r) for i, r in enumerate(group)])
    assert summary.pooled["job_outcomes"] == 5
    assert summary.pooled["cost_per_job_outcome"] == round(300_000 / 5, 2)
    assert summary.submissions[0].measures["job_outcomes"] is None
    ranges = attacker.outsider_ranges(summary.model_dump(mode="json"), BASE)
    assert ranges[(0, "job_outcomes")] == ranges[(1, "job_outcomes")] == (0, 7)


# --------------------------------------------------------------------------- one release


def small_or_not(top: int) -> st.SearchStrategy[int]:
    """Counts from 0 to ``top``, often 1 or 2 (the values rounding protects least)."""
    return st.one_of(st.integers(0, top), st.integers(1, 2))


counts = st.tuples(
    st.one_of(st.integers(1, 40), st.integers(1, 8)),
    small_or_not(12),
    small_or_not(12),
    small_or_not(6),
).map(lambda t: record(max(t[0], t[1] + t[2] + t[3], 1), t[1], t[2], t[3]))

DISCLOSURE = rules().disclosure
#: Random examples per property test; set DISCLOSURE_EXAMPLES for a longer search.
EXAMPLES = int(os.environ.get("DISCLOSURE_EXAMPLES", "300"))
ENOUGH = DISCLOSURE.protection_values
BASE = DISCLOSURE.rounding_base


def needs_protection(value: int) -> bool:
    """A hidden 0 identifies nobody when zeros are shown (``suppress_zero_counts``)."""
    return value != 0 or DISCLOSURE.suppress_zero_counts


def summary_of(members: dict[int, ServiceRecord], once: set[str]) -> dict:
    subs = [submission(i, members[i]) for i in sorted(members)]
    return summarise(INFO, subs, once_hidden=once).model_dump(mode="json")


def assert_outsider_learns_too_little(records: Sequence[ServiceRecord]) -> None:
    members = dict(enumerate(records))
    shown = summary_of(members, set())
    ranges = attacker.outsider_ranges(shown, BASE)
    for index, entry in enumerate(shown["submissions"]):
        for key in dc.COUNT_KEYS:
            if entry["measures"][key] is not None:
                continue
            value = value_of(records[index], key)
            low, high = ranges[(index, key)]
            assert low <= value <= high, ("attacker bug", index, key, records)
            if needs_protection(value):
                assert attacker.size((low, high)) >= ENOUGH, (index, key, (low, high), records)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(counts, min_size=1, max_size=5))
def test_no_hidden_count_can_be_narrowed_from_one_release(records):
    assert_outsider_learns_too_little(records)


def test_the_attacker_narrows_what_a_summary_gives_away():
    """The attacker is not blind: a hidden count beside shown parts it equals is pinned."""
    shown = {
        "submissions": [
            {
                "measures": {
                    "people_supported": 12,
                    "job_outcomes": None,
                    "new_jobs": 2,
                    "jobs_retained": 1,
                    "self_employed": 0,
                }
            }
        ],
        "pooled": None,
    }
    assert attacker.outsider_ranges(shown, BASE)[(0, "job_outcomes")] == (3, 3)
    # Two members' hidden job outcomes beside a shown group total: each bounded by it.
    member = {
        "people_supported": None,
        "job_outcomes": None,
        "new_jobs": None,
        "jobs_retained": 0,
        "self_employed": 0,
    }
    shown_total = {"people_supported": 30, "job_outcomes": 10, "total_cost": 1.0}
    other = {
        "people_supported": 20,
        "job_outcomes": 5,
        "new_jobs": 5,
        "jobs_retained": 0,
        "self_employed": 0,
    }
    ranges = attacker.outsider_ranges(
        {
            "submissions": [{"measures": member}, {"measures": member}, {"measures": other}],
            "pooled": shown_total,
        },
        BASE,
    )
    assert ranges[(0, "job_outcomes")] == (0, 7)


def alternatives(rec: ServiceRecord, key: str) -> list[ServiceRecord]:
    """Valid records near ``rec`` with a different value of ``key`` (nearest first)."""
    found = []
    base = [value_of(rec, f) for f in FIELDS]
    for deltas in sorted(itertools.product((-2, -1, 0, 1, 2), repeat=4), key=_distance):
        values = [b + d for b, d in zip(base, deltas, strict=True)]
        if min(values) < 0 or values[0] < 1:
            continue
        try:
            other = record(*values, cost=rec.total_cost)
        except ValidationError:
            continue
        if value_of(other, key) != value_of(rec, key):
            found.append(other)
    return found


def _distance(deltas: Sequence[int]) -> int:
    return sum(map(abs, deltas))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(counts, min_size=1, max_size=5))
def test_knowing_how_cells_are_chosen_does_not_single_out_a_small_count(records):
    """A reader who runs this very code on guesses (so knows how the hidden cells were
    chosen, which the range attacker does not) still finds, for every small count (1 to 4),
    another value that gives exactly the same summary."""
    members = dict(enumerate(records))
    shown = summary_of(members, set())
    for index, entry in enumerate(shown["submissions"]):
        for key in dc.COUNT_KEYS:
            value = value_of(records[index], key)
            if entry["measures"][key] is not None or not dc.is_small(value, DISCLOSURE):
                continue
            assert any(
                summary_of({**members, index: other}, set()) == shown
                for other in alternatives(records[index], key)
            ), (index, key, records)


# --------------------------------------------------------------------------- many releases

operations = st.lists(
    st.tuples(st.sampled_from(["submit", "withdraw"]), st.integers(1, 3), counts),
    min_size=1,
    max_size=5,
)


def releases(
    target: ServiceRecord, ops: Sequence, leave_at: int | None, first: Sequence[ServiceRecord] = ()
) -> list[tuple]:
    """Every release while member 0 (the target) is in the session and others come and go.

    ``first`` are members there from the start (numbered 4 on, so ``ops`` may update or
    withdraw members 1 to 3 only). Each release is (summary, the target's position or None,
    the others' true counts).
    """
    members: dict[int, ServiceRecord] = {0: target}
    members.update({4 + i: rec for i, rec in enumerate(first)})
    once: set[str] = set()
    seen = []

    def release() -> None:
        subs = [submission(i, members[i]) for i in sorted(members)]
        once.update(hidden_component_keys(subs))
        order = sorted(members)
        position = order.index(0) if 0 in members else None
        others = [
            {key: value_of(members[i], key) for key in dc.COUNT_KEYS} for i in order if i != 0
        ]
        seen.append((summary_of(members, set(once)), position, others))

    release()
    for step, (kind, who, rec) in enumerate(ops):
        if kind == "submit":
            members[who] = rec  # a new member, or an update
        else:
            members.pop(who, None)
        if leave_at == step:
            members.pop(0, None)  # the target withdraws
        release()
    return seen


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    target=st.tuples(st.integers(1, 30), small_or_not(8), small_or_not(8), small_or_not(4)),
    first=st.lists(counts, max_size=3),
    ops=operations,
    leave=st.one_of(st.none(), st.integers(0, 4)),
)
def test_no_sequence_of_submissions_updates_and_withdrawals_narrows_a_hidden_count(
    target, first, ops, leave
):
    """A member who made up every other service and sees every release still learns too little."""
    people, new, retained, self_employed = target
    rec = record(max(people, new + retained + self_employed), new, retained, self_employed)
    seen = releases(rec, ops, leave, first)
    ranges = attacker.insider_ranges(seen, BASE)
    present = [
        summary["submissions"][pos]["measures"] for summary, pos, _ in seen if pos is not None
    ]
    for key in dc.COUNT_KEYS:
        if any(figures[key] is not None for figures in present):
            continue  # shown in some release: not hidden
        value = value_of(rec, key)
        low, high = ranges[key]
        assert low <= value <= high, ("attacker bug", key, target, first, ops, leave)
        if needs_protection(value):
            assert attacker.size((low, high)) >= ENOUGH, (
                key,
                (low, high),
                target,
                first,
                ops,
                leave,
            )


def test_differencing_a_withdrawal_gives_at_most_a_rounded_count():
    others = [record(40, 10, 8, 0), record(30, 12, 6, 0), record(50, 20, 5, 0)]
    with_small = [record(20, 3, 7, 0), *others]
    before = summarise(INFO, [submission(i, r) for i, r in enumerate(with_small)])
    after = summarise(INFO, [submission(i + 1, r) for i, r in enumerate(others)])
    gap = before.pooled["job_outcomes"] - after.pooled["job_outcomes"]
    assert gap % 5 == 0  # a whole rounded count: 10 could have been 8 to 12


@pytest.mark.parametrize(
    ("count", "rounded"), [(0, 0), (1, 5), (2, 5), (3, 5), (7, 5), (8, 10), (12, 10), (13, 15)]
)
def test_counts_round_to_the_nearest_five(count, rounded):
    assert dc.round_to_base(count, 5) == rounded
