import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit.domain.bands import load_averages
from toolkit.domain.measures import (
    NotDefined,
    cost_per_job_outcome,
    is_defined,
    mean_of_service_figures,
    measure_service,
    pool_services,
    support_level_index,
    support_level_index_from_shares,
)
from toolkit.domain.record import parse_service


def service(cost, people, new, retained, self_employed=0, name="Fictional service", **extra):
    return parse_service(
        {
            "name": name,
            "total_cost": cost,
            "people_supported": people,
            "new_jobs": new,
            "jobs_retained": retained,
            "self_employed": self_employed,
            **extra,
        }
    )


def test_issue_example_figures():
    measures = measure_service(service(150000, 120, 30, 18, 2))
    assert measures.cost_per_person == 1250
    assert measures.cost_per_job_outcome == 3000
    assert measures.job_outcome_rate == pytest.approx(0.4167, abs=1e-4)
    assert measures.per_100_supported == pytest.approx(
        {"new_jobs": 25.0, "jobs_retained": 15.0, "self_employed": 1.6667}, abs=1e-3
    )
    assert measures.outcome_split == pytest.approx(
        {"new_jobs": 0.6, "jobs_retained": 0.36, "self_employed": 0.04}
    )


def test_no_outcomes_gives_a_reason_not_infinity():
    measures = measure_service(service(50000, 20, 0, 0))
    assert isinstance(measures.cost_per_job_outcome, NotDefined)
    assert "no job outcomes" in measures.cost_per_job_outcome.reason
    assert not measures.cost_per_job_outcome
    assert measures.job_outcome_rate == 0
    assert not is_defined(measures.outcome_split["new_jobs"])


def test_support_level_index_weights():
    assert support_level_index(10, 0, 0) == 1
    assert support_level_index(0, 10, 0) == 3
    assert support_level_index(0, 0, 10) == 10
    assert support_level_index(50, 40, 10) == pytest.approx(0.5 + 1.2 + 1.0)
    assert isinstance(support_level_index(0, 0, 0), NotDefined)


@pytest.mark.parametrize(
    ("group", "expected"),
    [
        # Footnote 10 applied to the printed Table 4 mixes.
        ("all", 0.57 + 3 * 0.39 + 10 * 0.04),
        ("learning_disability", 0.51 + 3 * 0.41 + 10 * 0.08),
        ("mental_health", 0.68 + 3 * 0.26 + 10 * 0.06),
    ],
)
def test_support_level_index_of_table_4_mixes(group, expected):
    averages = load_averages()
    shares = [
        averages[(group, key)].value
        for key in ("support_under_7_hours", "support_7_to_40_hours", "support_over_40_hours")
    ]
    assert support_level_index_from_shares(*shares) == pytest.approx(expected)


def test_support_level_index_of_a_service_uses_known_levels_and_says_so():
    record = service(
        100000,
        100,
        20,
        10,
        support_under_7_hours=50,
        support_7_to_40_hours=40,
        support_over_40_hours=6,
    )
    measures = measure_service(record)
    assert measures.support_level_index == pytest.approx((50 + 3 * 40 + 10 * 6) / 96)
    assert any("96 of 100" in note for note in measures.notes)


def test_pooled_is_from_totals_not_mean_of_ratios():
    small = service(10000, 10, 1, 0)  # £10,000 per job
    large = service(100000, 100, 50, 0)  # £2,000 per job
    pooled = pool_services([small, large])
    assert pooled.cost_per_job_outcome == pytest.approx(110000 / 51)
    assert pooled.job_outcome_rate == pytest.approx(51 / 110)
    mean = mean_of_service_figures(
        [measure_service(s).cost_per_job_outcome for s in (small, large)]
    )
    assert mean == 6000
    assert "from their totals" in pooled.notes[0]


def test_pool_needs_services():
    with pytest.raises(ValueError, match="at least one service"):
        pool_services([])


def test_mean_of_ratios_skips_undefined():
    assert mean_of_service_figures([NotDefined("x"), 4.0, 2.0]) == 3.0
    assert isinstance(mean_of_service_figures([NotDefined("x")]), NotDefined)


services = st.builds(
    lambda cost, people, new, retained, selfemp: (cost, people, new, retained, selfemp),
    st.integers(1, 5_000_000),
    st.integers(1, 5000),
    st.integers(0, 2000),
    st.integers(0, 2000),
    st.integers(0, 200),
).filter(lambda s: s[2] + s[3] + s[4] <= s[1])


@given(st.lists(services, min_size=1, max_size=12))
def test_pooled_cost_per_job_is_total_cost_over_total_outcomes(rows):
    records = [service(*row) for row in rows]
    pooled = pool_services(records)
    total_cost = sum(row[0] for row in rows)
    total_outcomes = sum(row[2] + row[3] + row[4] for row in rows)
    if total_outcomes:
        assert pooled.cost_per_job_outcome == pytest.approx(total_cost / total_outcomes)
    else:
        assert isinstance(pooled.cost_per_job_outcome, NotDefined)


@given(services)
def test_measures_are_never_nan_or_infinite(row):
    measures = measure_service(service(*row))
    values = [
        measures.cost_per_person,
        measures.cost_per_job_outcome,
        measures.job_outcome_rate,
        *measures.outcome_split.values(),
        *measures.per_100_supported.values(),
    ]
    for value in values:
        assert isinstance(value, NotDefined) or math.isfinite(value)
    assert 0 <= measures.job_outcome_rate <= 1


def test_cost_per_job_outcome_pure():
    assert cost_per_job_outcome(9000, 3) == 3000
