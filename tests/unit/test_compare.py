import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit.domain.bands import band_for
from toolkit.domain.compare import (
    Interval,
    Judgement,
    Position,
    chance_note,
    compare_measures,
    judge,
    position_of,
    wilson_interval,
)
from toolkit.domain.measures import measure_service
from toolkit.domain.record import parse_service


def measures(cost, people, new, retained, self_employed=0):
    return measure_service(
        parse_service(
            {
                "name": "Fictional service",
                "total_cost": cost,
                "people_supported": people,
                "new_jobs": new,
                "jobs_retained": retained,
                "self_employed": self_employed,
            }
        )
    )


def by_measure(comparisons):
    return {c.measure: c for c in comparisons}


def test_wilson_interval_known_values():
    # 50 of 120: Wilson 95% interval is about 33.2% to 50.6%.
    interval = wilson_interval(50, 120)
    assert interval.low == pytest.approx(0.332, abs=1e-3)
    assert interval.high == pytest.approx(0.506, abs=1e-3)
    zero = wilson_interval(0, 12)
    assert zero.low == 0 and zero.high == pytest.approx(0.2425, abs=1e-3)


@given(st.integers(1, 2000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_interval_contains_the_share(pair):
    successes, trials = pair
    interval = wilson_interval(successes, trials)
    assert 0 <= interval.low <= successes / trials <= interval.high <= 1


def test_issue_example_is_within_evidence_based_bands():
    result = by_measure(compare_measures(measures(150000, 120, 30, 18, 2), "evidence_based"))
    assert {c.position for c in result.values()} == {Position.within}
    assert result["cost_per_job_outcome"].judgement is Judgement.similar
    assert result["job_outcome_rate"].judgement is Judgement.similar
    assert result["cost_per_person"].judgement is Judgement.no_judgement
    assert "£3,000" in result["cost_per_job_outcome"].text
    assert "similar to the average for evidence-based services (£2,818)" in (
        result["cost_per_job_outcome"].text
    )


def test_good_large_service_is_better_than_all_sites():
    result = by_measure(compare_measures(measures(150000, 120, 30, 18, 2), "all_sites"))
    assert result["cost_per_job_outcome"].judgement is Judgement.better
    assert "lower (better)" in result["cost_per_job_outcome"].text


def test_poor_service_is_worse():
    result = by_measure(compare_measures(measures(400000, 200, 10, 5), "evidence_based"))
    assert result["cost_per_job_outcome"].position is Position.above
    assert result["cost_per_job_outcome"].judgement is Judgement.worse
    assert result["job_outcome_rate"].judgement is Judgement.worse
    assert "higher (worse)" in result["cost_per_job_outcome"].text


def test_small_service_is_not_called_worse_on_noise():
    # 4 of 12 is 33%, below the evidence-based mean of 43%, but 12 people is too few to tell.
    small = measures(12000, 12, 3, 1)
    result = by_measure(compare_measures(small, "evidence_based"))
    assert result["job_outcome_rate"].judgement is Judgement.similar
    assert result["cost_per_job_outcome"].judgement is Judgement.similar
    note = chance_note(small)
    assert note is not None and "12 people" in note


def test_large_service_with_the_same_rate_is_called_worse():
    result = by_measure(compare_measures(measures(300000, 1200, 300, 100), "evidence_based"))
    assert result["job_outcome_rate"].judgement is Judgement.worse


def test_zero_outcomes_has_no_position_for_cost_per_job():
    result = by_measure(compare_measures(measures(50000, 20, 0, 0), "evidence_based"))
    assert result["cost_per_job_outcome"].position is None
    assert result["cost_per_job_outcome"].value is None
    assert "not defined" in result["cost_per_job_outcome"].text
    assert result["job_outcome_rate"].judgement is Judgement.worse


def test_position_at_band_edges():
    band = band_for("job_outcome_rate", "evidence_based")
    assert position_of(0.30, band) is Position.within
    assert position_of(0.29, band) is Position.below
    assert position_of(0.57, band) is Position.above


def test_judge_directions():
    assert judge("cost_per_job_outcome", Interval(100, 200), 300) is Judgement.better
    assert judge("cost_per_job_outcome", Interval(400, None), 300) is Judgement.worse
    assert judge("cost_per_job_outcome", Interval(200, None), 300) is Judgement.similar
    assert judge("job_outcome_rate", Interval(0.5, 0.6), 0.43) is Judgement.better
    assert judge("cost_per_person", Interval(1, 2), 3) is Judgement.no_judgement


def test_all_sites_zero_lower_band_is_explained():
    result = by_measure(compare_measures(measures(150000, 120, 30, 18, 2), "all_sites"))
    assert "£0 (no lower limit)" in result["cost_per_job_outcome"].text


def test_text_never_shows_nan_inf_or_none():
    for args in [(50000, 20, 0, 0), (150000, 120, 30, 18, 2), (1000, 1, 1, 0), (99, 3, 0, 3)]:
        for band_set in ("evidence_based", "all_sites"):
            for comparison in compare_measures(measures(*args), band_set):
                for bad in ("nan", "inf", "None"):
                    assert bad not in comparison.text
