"""The analysts' API: DataFrames in and out, the same figures as the domain functions."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from toolkit.analysis import (
    MEASURE_COLUMNS,
    ServiceTableError,
    averages_frame,
    bands_frame,
    compare_services,
    service_measures,
)
from toolkit.domain.bands import load_bands
from toolkit.domain.compare import compare_measures
from toolkit.domain.measures import measure_service
from toolkit.domain.record import parse_service

# Fictional services, for illustration only.
SERVICES = pd.DataFrame(
    {
        "Service name": ["Fictional service A", "Fictional service B"],
        "total_cost": [120000, 50000],
        "people_supported": [80, 40],
        "new_jobs": [20, 0],
        "jobs_retained": [6, 0],
        "client_group": ["mental health", None],
        "region": ["North (fictional)", "South (fictional)"],
    },
    index=["a", "b"],
)


def test_measures_match_the_domain_functions() -> None:
    frame = service_measures(SERVICES)
    assert list(frame.index) == ["a", "b"]
    assert frame.loc["a", "name"] == "Fictional service A"
    assert frame.loc["a", "client_group"] == "mental_health"
    expected = measure_service(
        parse_service(
            {
                "name": "Fictional service A",
                "total_cost": 120000,
                "people_supported": 80,
                "new_jobs": 20,
                "jobs_retained": 6,
            }
        )
    )
    assert frame.loc["a", "cost_per_person"] == expected.cost_per_person == 1500
    assert frame.loc["a", "cost_per_job_outcome"] == pytest.approx(expected.cost_per_job_outcome)
    assert frame.loc["a", "job_outcome_rate"] == pytest.approx(0.325)
    assert frame.loc["a", "new_jobs_per_100_supported"] == pytest.approx(25)
    for column in MEASURE_COLUMNS:
        assert pd.api.types.is_numeric_dtype(frame[column]), column


def test_a_measure_that_is_not_defined_is_missing_with_its_reason() -> None:
    frame = service_measures(SERVICES)
    assert math.isnan(frame.loc["b", "cost_per_job_outcome"])
    assert "there were no job outcomes" in frame.loc["b", "notes"]
    assert math.isnan(frame.loc["a", "support_level_index"])


def test_comparisons_match_the_domain_functions() -> None:
    frame = compare_services(SERVICES, ["evidence_based"])
    assert len(frame) == 2 * 3
    assert set(frame["bands"]) == {"evidence_based"}
    row = frame[(frame["service"] == "a") & (frame["measure"] == "job_outcome_rate")].iloc[0]
    record = parse_service(
        {
            "name": "Fictional service A",
            "total_cost": 120000,
            "people_supported": 80,
            "new_jobs": 20,
            "jobs_retained": 6,
        }
    )
    (expected,) = [
        c
        for c in compare_measures(measure_service(record), "evidence_based")
        if c.measure == "job_outcome_rate"
    ]
    assert row["value"] == pytest.approx(expected.value)
    assert row["position"] == expected.position.value
    assert row["judgement"] == expected.judgement.value
    assert row["text"] == expected.text
    assert row["mean"] == expected.band.mean


def test_comparisons_default_to_both_sets_of_bands() -> None:
    frame = compare_services(SERVICES)
    assert len(frame) == 2 * 2 * 3
    undefined = frame[(frame["service"] == "b") & (frame["measure"] == "cost_per_job_outcome")]
    assert undefined["value"].isna().all() and undefined["position"].isna().all()


def test_bad_rows_name_the_row_and_the_field() -> None:
    bad = SERVICES.astype({"people_supported": object})
    bad.loc["b", "people_supported"] = "lots"
    bad.loc["a", "new_jobs"] = 500
    with pytest.raises(ServiceTableError) as caught:
        service_measures(bad)
    rows = {(row, label) for row, label, _ in caught.value.problems}
    assert ("b", "People supported") in rows
    assert ("a", "People supported") in rows  # 500 + 6 job outcomes for 80 people
    assert "row b, People supported:" in str(caught.value)


def test_missing_required_column_is_named() -> None:
    with pytest.raises(ServiceTableError, match="Total annual cost"):
        service_measures(SERVICES.drop(columns=["total_cost"]))


def test_bands_frame_holds_every_band_with_its_source() -> None:
    frame = bands_frame()
    assert len(frame) == len(load_bands())
    assert (frame["low"] <= frame["mean"]).all() and (frame["mean"] <= frame["high"]).all()
    assert frame["source"].str.contains("Table 8").all()


def test_averages_frame_has_sources() -> None:
    frame = averages_frame()
    assert not frame.empty
    # cited by title from the sources register, never by a repository file name
    assert frame["source"].str.startswith("NDTi (2014), The Cost Effectiveness").all()
    assert not frame["source"].str.contains("004_").any()
