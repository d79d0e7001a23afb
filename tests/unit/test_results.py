"""Typed results: one service's and a group's, built once and dumped as the CLI's JSON."""

from toolkit.domain.bands import BandSet
from toolkit.domain.record import parse_service
from toolkit.domain.results import average_group_for, group_of_records, service_result

SERVICE = {
    "name": "Fictional IPS service",
    "total_cost": "150000",
    "people_supported": "120",
    "new_jobs": "30",
    "jobs_retained": "18",
    "self_employed": "2",
}


def test_the_json_shape_keeps_its_keys():
    data = service_result(parse_service(SERVICE)).model_dump(mode="json")
    assert list(data) == ["service", "measures", "comparisons", "notes"]
    assert list(data["measures"]) == [
        "total_cost",
        "people_supported",
        "cost_per_person",
        "cost_per_job_outcome",
        "job_outcome_rate",
        "job_outcomes",
        "outcome_split",
        "per_100_supported",
        "support_level_index",
    ]
    assert data["measures"]["outcome_split"] == {
        "new_jobs": 0.6,
        "jobs_retained": 0.36,
        "self_employed": 0.04,
    }
    first = data["comparisons"][0]
    assert list(first) == [
        "measure",
        "bands",
        "low",
        "mean",
        "high",
        "value",
        "interval",
        "position",
        "judgement",
        "text",
    ]
    assert first["bands"] == "evidence_based" and first["position"] in ("below", "within", "above")


def test_a_result_answers_questions_about_itself():
    result = service_result(parse_service(SERVICE), [BandSet.all_sites])
    assert result.band_sets == [BandSet.all_sites]
    assert result.comparison(BandSet.evidence_based, "job_outcome_rate") is None
    assert result.comparison(BandSet.all_sites, "job_outcome_rate").value == 50 / 120
    interval = result.rate_interval()
    assert interval.low < 50 / 120 < interval.high


def test_a_group_pools_from_totals_and_averages_each_service_once():
    small = {**SERVICE, "name": "Small", "total_cost": "10000", "people_supported": "10"}
    small.update(new_jobs="1", jobs_retained="0", self_employed="0")
    group = group_of_records([parse_service(SERVICE), parse_service(small)])
    assert group.pooled.cost_per_job_outcome == round(160_000 / 51, 2)
    assert group.mean_of_services.cost_per_job_outcome == round((3000 + 10_000) / 2, 4)
    assert group_of_records([parse_service(SERVICE)]).pooled is None


def test_the_study_average_fits_only_when_every_service_shares_a_published_group():
    def records(*groups):
        return [parse_service({**SERVICE, "client_group": g} if g else SERVICE) for g in groups]

    assert average_group_for(records("mental_health", "mental_health")) == "mental_health"
    assert average_group_for(records("learning_disability")) == "learning_disability"
    assert average_group_for(records("mental_health", "learning_disability")) == "all"
    assert average_group_for(records("other")) == "all"
    assert average_group_for(records(None, "mental_health")) == "all"
    assert average_group_for([]) == "all"
