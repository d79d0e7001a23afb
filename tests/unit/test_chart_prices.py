"""The self-benchmark charts draw bands, averages and services in one stated price base."""

from __future__ import annotations

import pytest

from toolkit.charts import benchmark
from toolkit.charts.data import entries_for
from toolkit.domain.common_prices import common_prices, records_in_common_prices
from toolkit.domain.prices import deflator_factor
from toolkit.domain.record import parse_service

UPRATE_2024_25 = 112.375 / 80.625  # ONS GDP deflator, 2024-25 over the study's 2012-13

# £2,000 per person: above the evidence-based band (high £1,739) in the study's prices,
# within it in 2024-25 prices (high £2,424).
SERVICE = {
    "name": "Example service (fictional)",
    "total_cost": 200_000,
    "people_supported": 100,
    "new_jobs": 30,
    "jobs_retained": 10,
}


def _record(**changes):
    return parse_service({**SERVICE, **changes})


def _study_rows(spec: dict) -> list[dict]:
    """Every data row of the spec that describes one of the study's bands."""
    rows = []

    def walk(node):
        if isinstance(node, dict):
            values = node.get("values")
            if isinstance(values, list):
                rows.extend(row for row in values if str(row.get("group", "")).startswith("Study:"))
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(spec)
    return rows


def _title_lines(spec: dict) -> str:
    title = spec["title"]
    subtitle = title.get("subtitle", [])
    return " ".join([title["text"], *(subtitle if isinstance(subtitle, list) else [subtitle])])


def test_band_chart_draws_bands_in_the_services_year_and_says_so():
    shown, prices = records_in_common_prices([_record(year="2024-25")])
    chart = benchmark.band_chart(entries_for(shown), ["evidence_based"], prices)
    spec = chart.to_dict()
    means = {row["mean"] for row in _study_rows(spec)}
    assert 1170 * UPRATE_2024_25 in [pytest.approx(mean) for mean in means]
    assert 1170 not in means
    assert "2024-25 prices" in _title_lines(spec)
    assert "\u00d71.39" in _title_lines(spec)
    assert "2024-25 prices" in spec["description"]


def test_band_chart_summary_places_the_service_against_uprated_bands():
    records = [_record(year="2024-25")]
    charts = benchmark.render_for_records(records, ["evidence_based"])
    rendered = {chart.key: chart for chart in charts}
    summary = rendered["bands"].summary
    assert summary.startswith("Prices: bands in 2024-25 prices (GDP deflator")
    assert "£2,000, within the band" in summary
    study = {c.key: c for c in benchmark.render_for_records([_record()], ["evidence_based"])}
    assert "£2,000, above the band" in study["bands"].summary
    assert "study's own prices" in study["bands"].summary


def test_cost_rate_chart_draws_boxes_lines_and_summary_in_the_stated_prices():
    shown, prices = records_in_common_prices([_record(year="2024-25")])
    entries = entries_for(shown)
    spec = benchmark.cost_rate_chart(entries, ["evidence_based"], prices).to_dict()
    boxes = _study_rows(spec)
    assert boxes[0]["cost_high"] == pytest.approx(1739 * UPRATE_2024_25)
    assert "2024-25 prices" in _title_lines(spec)
    summary = benchmark.cost_rate_summary(entries, prices)
    assert "2024-25 prices" in summary
    assert "average cost per job outcome of £3,928" in summary  # £2,818 x 1.394


def test_services_of_different_years_are_drawn_in_the_latest_year():
    older = _record(name="Older service (fictional)", year="2020-21")
    newer = _record(name="Newer service (fictional)", year="2024-25")
    shown, prices = records_in_common_prices([older, newer])
    assert prices.price_base.year == "2024-25"
    factor = deflator_factor("2024-25") / deflator_factor("2020-21")
    assert shown[0].total_cost == pytest.approx(200_000 * factor)
    assert shown[1].total_cost == 200_000
    assert any("Older service (fictional)'s figures (2020-21 prices)" in n for n in prices.notes)
    summary = benchmark.render_for_records([older, newer], ["evidence_based"])[0].summary
    assert "uprated to 2024-25 prices" in summary


def test_a_service_without_a_year_is_shown_as_given_and_said_so():
    prices = common_prices([_record(name="A", year="2024-25"), _record(name="B")])
    assert prices.factors == [1.0, 1.0]
    assert prices.price_base.year == "2024-25"
    assert any(note.startswith("B gives no year") for note in prices.notes)


def test_no_year_anywhere_keeps_the_study_prices():
    prices = common_prices([_record(name="A"), _record(name="B")])
    assert not prices.price_base.uprated
    assert prices.notes == []


def test_a_year_beyond_the_series_uses_that_services_own_factor():
    beyond = _record(name="Beyond", year="2025-26", uprating_factor="1.45")
    known = _record(name="Known", year="2024-25")
    prices = common_prices([known, beyond])
    assert prices.price_base.year == "2025-26"
    assert prices.price_base.method == "own_factor"
    assert prices.factors[0] == pytest.approx(1.45 / UPRATE_2024_25)
    assert prices.factors[1] == pytest.approx(1.0)
