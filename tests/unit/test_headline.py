"""The headline that reconciles the two cost-per-job verdicts (issue 18)."""

from __future__ import annotations

import pytest

from toolkit.present.headline import cost_per_job_headline


def test_worse_than_good_practice_but_better_than_all_reads_as_one_sentence():
    text = cost_per_job_headline("Your service", {"evidence_based": "worse", "all_sites": "better"})
    assert text == (
        "Your service costs more per job outcome than good-practice (evidence-based) services, "
        "but less than the average of all services in the study."
    )


def test_same_verdict_against_both_says_both():
    text = cost_per_job_headline("Anytown IPS", {"evidence_based": "better", "all_sites": "better"})
    assert text == (
        "Anytown IPS costs less per job outcome than both good-practice (evidence-based) "
        "services and the average of all services in the study."
    )


def test_similar_and_better_are_joined_with_and():
    text = cost_per_job_headline("X", {"evidence_based": "similar", "all_sites": "better"})
    assert text is not None
    assert "about the same per job outcome as good-practice" in text
    assert ", and less than the average" in text and " but " not in text


@pytest.mark.parametrize("band_set", ["evidence_based", "all_sites"])
def test_one_set_of_bands_gives_one_clause(band_set):
    text = cost_per_job_headline("X", {band_set: "worse"})
    assert text is not None and text.count("than") == 1 and "both" not in text


def test_blank_name_reads_your_service():
    text = cost_per_job_headline("  ", {"all_sites": "worse"})
    assert text is not None and text.startswith("Your service costs more")


def test_no_judgement_gives_no_headline():
    assert cost_per_job_headline("X", {"evidence_based": "no_judgement"}) is None
    assert cost_per_job_headline("X", {}) is None


def test_an_unjudged_set_is_left_out():
    text = cost_per_job_headline("X", {"evidence_based": "no_judgement", "all_sites": "better"})
    assert text == "X costs less per job outcome than the average of all services in the study."
