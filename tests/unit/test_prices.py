"""The price base: the GDP deflator by financial year, the user's own factor, and uprating."""

from __future__ import annotations

import pytest

from toolkit.domain.bands import BandSet, average_for, band_for
from toolkit.domain.compare import compare_measures
from toolkit.domain.invest import what_if
from toolkit.domain.measures import measure_service
from toolkit.domain.prices import (
    PriceError,
    average_in_prices,
    band_in_prices,
    deflator_factor,
    financial_year_index,
    parse_factor,
    parse_financial_year,
    price_base_for,
    years_covered,
)
from toolkit.domain.record import ServiceRecordError, parse_service
from toolkit.domain.results import service_result


@pytest.mark.parametrize(
    "text", ["2024-25", "2024/25", "2024-2025", "2024/2025", " 2024 \u2013 25 ", "FY2024-25"]
)
def test_financial_years_in_common_forms(text: str) -> None:
    assert parse_financial_year(text) == "2024-25"


@pytest.mark.parametrize("text", ["2024", "2024-26", "last year", "25-26"])
def test_not_a_financial_year_says_the_form_expected(text: str) -> None:
    with pytest.raises(PriceError, match="2024-25|follow the first"):
        parse_financial_year(text)


def test_financial_year_is_the_mean_of_april_to_march() -> None:
    # 2012 Q2 79.9, Q3 80.3, Q4 80.8, 2013 Q1 81.5 (ONS YBGB, June 2025 release)
    assert financial_year_index("2012-13") == pytest.approx((79.9 + 80.3 + 80.8 + 81.5) / 4)
    assert financial_year_index("2024-25") == pytest.approx((110.1 + 112.1 + 113.2 + 114.1) / 4)


def test_factor_for_2024_25_from_the_study_base_year() -> None:
    assert deflator_factor("2024-25") == pytest.approx(112.375 / 80.625)
    assert round(deflator_factor("2024-25"), 2) == 1.39
    assert deflator_factor("2012-13") == pytest.approx(1.0)


def test_series_years_and_a_year_beyond_it() -> None:
    assert years_covered() == ("2010-11", "2024-25")
    assert deflator_factor("2025-26") is None
    with pytest.raises(PriceError, match="give your own uprating factor for 2025-26"):
        price_base_for("2025-26")


def test_label_states_year_deflator_release_and_factor() -> None:
    base = price_base_for("2024/25")
    assert base.label == "bands in 2024-25 prices (GDP deflator, ONS release June 2025, \u00d71.39)"
    data = base.to_dict()
    assert data["year"] == "2024-25" and data["factor"] == pytest.approx(1.3938, abs=1e-4)
    assert "Office for National Statistics" in data["source"] and "YBGB" in data["source"]


def test_own_factor_is_used_and_said_so() -> None:
    base = price_base_for("2025-26", "1.45")
    assert base.factor == 1.45 and base.method == "own_factor"
    assert "your own uprating factor, \u00d71.45" in base.label
    assert "runs to 2024-25" in base.label


@pytest.mark.parametrize("text", ["145", "0", "abc"])
def test_implausible_own_factor_is_refused(text: str) -> None:
    with pytest.raises(PriceError):
        parse_factor(text)


def test_no_year_means_the_study_prices_and_says_so() -> None:
    base = price_base_for(None)
    assert base.factor == 1.0 and not base.uprated
    assert "study's own prices" in base.label


def test_money_bands_are_uprated_and_rates_are_not() -> None:
    base = price_base_for("2024-25")
    cost = band_for("cost_per_job_outcome", BandSet.evidence_based)
    rate = band_for("job_outcome_rate", BandSet.evidence_based)
    assert band_in_prices(cost, base).mean == pytest.approx(2818 * base.factor)
    assert band_in_prices(cost, base).range_max == pytest.approx(4908 * base.factor)
    assert band_in_prices(rate, base) == rate
    average = average_for("all", "cost_per_person")
    assert average_in_prices(average, base).value == pytest.approx(1730 * base.factor)
    share = average_for("all", "job_outcome_rate")
    assert average_in_prices(share, base).value == share.value


SERVICE = {
    "name": "Fictional service",
    "total_cost": 300_000,
    "people_supported": 200,
    "new_jobs": 50,
    "jobs_retained": 30,
}


def test_comparisons_use_the_uprated_bands() -> None:
    record = parse_service({**SERVICE, "year": "2024-25"})
    result = service_result(record, [BandSet.evidence_based]).model_dump(mode="json")
    cost = next(c for c in result["comparisons"] if c["measure"] == "cost_per_job_outcome")
    assert cost["mean"] == pytest.approx(2818 * 112.375 / 80.625)
    rate = next(c for c in result["comparisons"] if c["measure"] == "job_outcome_rate")
    assert rate["mean"] == 0.43
    assert result["price_base"]["year"] == "2024-25"
    assert any("2024-25 prices" in note for note in result["notes"])


def test_uprating_changes_the_judgement_of_a_2024_25_service() -> None:
    # £4,500 per job outcome: above the evidence-based band's high (£4,024) in study prices,
    # within it in 2024-25 prices (high £5,609).
    measures = measure_service(parse_service({**SERVICE, "total_cost": 360_000, "year": "2024-25"}))
    study = compare_measures(measures, BandSet.evidence_based)
    today = compare_measures(measures, BandSet.evidence_based, price_base=price_base_for("2024-25"))
    assert study[1].position == "above"
    assert today[1].position == "within"


def test_record_needs_a_factor_for_a_year_beyond_the_series() -> None:
    with pytest.raises(ServiceRecordError) as caught:
        parse_service({**SERVICE, "year": "2026-27"})
    assert "year" in caught.value.by_field()
    record = parse_service({**SERVICE, "year": "2026-27", "uprating_factor": "x1.5"})
    assert service_result(record).model_dump(mode="json")["price_base"]["factor"] == 1.5


def test_record_refuses_a_year_that_is_not_a_financial_year() -> None:
    with pytest.raises(ServiceRecordError) as caught:
        parse_service({**SERVICE, "year": "sometime"})
    assert "2024-25" in caught.value.by_field()["year"]


def test_what_if_in_stated_prices_with_its_caveats() -> None:
    base = price_base_for("2024-25")
    result = what_if(1_000_000, price_base=base)
    evidence_mean = 2818 * base.factor
    assert result.at_bands[BandSet.evidence_based]["mean"] == pytest.approx(
        1_000_000 / evidence_mean
    )
    assert "2024-25 prices" in result.text[0]
    joined = " ".join(result.caveats)
    assert "starting point" in joined
    assert "mean of the services' own figures" in joined
    assert "learning disability" in joined
    assert "2024-25 prices" in joined


DETAILED = {
    **SERVICE,
    "outcomes_35_plus_hours": 10,
    "outcomes_16_to_34_hours": 20,
    "outcomes_5_to_15_hours": 30,
    "outcomes_1_to_4_hours": 20,
    "outcomes_support_under_7_hours": 50,
    "outcomes_support_7_to_40_hours": 25,
    "outcomes_support_over_40_hours": 5,
}


def test_two_definitions_side_by_side_only_the_study_one_compared() -> None:
    detail = service_result(parse_service(DETAILED)).model_dump(mode="json")["outcome_detail"]
    any_work, sixteen = detail["definitions"]
    assert (any_work["job_outcomes"], any_work["cost_per_job_outcome"]) == (80, 3750.0)
    assert any_work["compared_with_bands"] is True
    assert (sixteen["job_outcomes"], sixteen["job_outcome_rate"]) == (30, 0.15)
    assert sixteen["cost_per_job_outcome"] == 10000.0
    assert sixteen["compared_with_bands"] is False and "no band" in sixteen["note"]


def test_support_level_index_of_job_outcomes() -> None:
    detail = service_result(parse_service(DETAILED)).model_dump(mode="json")["outcome_detail"]
    assert detail["support_level_index_of_job_outcomes"] == pytest.approx(
        (50 + 3 * 25 + 10 * 5) / 80, abs=1e-3
    )


def test_outcome_counts_are_all_or_none_and_within_the_job_outcomes() -> None:
    with pytest.raises(ServiceRecordError) as caught:
        parse_service({**SERVICE, "outcomes_35_plus_hours": 3})
    assert "outcomes_35_plus_hours" in caught.value.by_field()
    with pytest.raises(ServiceRecordError) as caught:
        parse_service({**DETAILED, "outcomes_1_to_4_hours": 99})
    assert "more than the 80 job outcomes" in caught.value.by_field()["outcomes_35_plus_hours"]
    assert service_result(parse_service(SERVICE)).outcome_detail.definitions == []
