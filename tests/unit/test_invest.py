import pytest

from toolkit.domain.invest import (
    band_outcomes,
    job_outcomes_for_budget,
    more_outcomes_needed,
    what_if,
)
from toolkit.domain.measures import NotDefined, measure_service
from toolkit.domain.record import parse_service


def test_half_a_million_at_evidence_based_mean():
    outcomes = band_outcomes(500000, "evidence_based")
    assert outcomes["mean"] == pytest.approx(177.4, abs=0.05)
    assert outcomes["low"] > outcomes["mean"] > outcomes["high"]


def test_all_sites_low_band_of_zero_is_not_meaningful():
    outcomes = band_outcomes(500000, "all_sites")
    assert isinstance(outcomes["low"], NotDefined)
    assert "no lower limit" in outcomes["low"].reason
    assert outcomes["mean"] == pytest.approx(500000 / 8217)


def test_budget_cannot_be_negative():
    with pytest.raises(ValueError, match="budget"):
        job_outcomes_for_budget(-1, 1000)


def test_more_outcomes_needed_to_reach_evidence_mean():
    # £150,000 at £2,818 per job needs 54 outcomes (53.2 rounded up); the service has 40.
    assert more_outcomes_needed(150000, 40, 2818) == 14
    assert more_outcomes_needed(150000, 60, 2818) == 0


def test_what_if_sentences():
    measures = measure_service(
        parse_service(
            {
                "name": "Fictional",
                "total_cost": 150000,
                "people_supported": 120,
                "new_jobs": 25,
                "jobs_retained": 15,
            }
        )
    )
    result = what_if(300000, measures)
    assert result.at_own_cost == pytest.approx(80)
    assert result.more_outcomes_to_reach_evidence_mean == 14
    assert any("14 more job outcomes" in line for line in result.text)
    assert result.text[0].startswith("At your own cost per job outcome of £3,750")
