"""A session's comparisons put every member's costs and the bands in one stated price base."""

from __future__ import annotations

import datetime as dt

import pytest

from toolkit.charts.benchmark import band_chart
from toolkit.charts.data import Entry
from toolkit.cli.session import summary_text
from toolkit.content.rules import DisclosureRules
from toolkit.domain.prices import deflator_factor
from toolkit.domain.record import ServiceRecord
from toolkit.network.audiences import chart_measures, projector_view
from toolkit.network.pack import pack_about
from toolkit.network.sessions import SessionInfo, Submission, summarise
from toolkit.network.summary import BOTH_BANDS

INFO = SessionInfo("K7QFM2XD9PRT", "March network", dt.date(2025, 3, 14))
T0 = dt.datetime(2025, 3, 14, 10, tzinfo=dt.UTC)
OPEN = DisclosureRules(
    min_services_for_pooled=3, min_count_shown=1, suppress_zero_counts=False, rounding_base=1
)
UPRATE_2024_25 = 112.375 / 80.625


def _record(name: str, year: str | None, cost: float = 200_000) -> ServiceRecord:
    # £2,000 per person: above the evidence-based band (high £1,739) in the study's prices,
    # within it (high £2,424) in 2024-25 prices.
    return ServiceRecord(
        name=name,
        total_cost=cost,
        people_supported=100,
        new_jobs=30,
        jobs_retained=10,
        year=year,
    )


def _submissions(*records: ServiceRecord) -> list[Submission]:
    return [
        Submission(
            submission_id=f"id{i}",
            shown_as=record.name,
            anonymous=False,
            display_name=record.name,
            record=record,
            submitted_at=T0 + dt.timedelta(minutes=i),
            updated_at=T0 + dt.timedelta(minutes=i),
        )
        for i, record in enumerate(records)
    ]


def test_members_of_different_years_are_uprated_to_the_latest_year():
    summary = summarise(
        INFO,
        _submissions(
            _record("North (fictional)", "2022-23"),
            _record("South (fictional)", "2024-25"),
            _record("East (fictional)", "2024-25"),
        ),
        OPEN,
    )
    assert summary.price_base is not None and summary.price_base.year == "2024-25"
    north = summary.submissions[0].measures
    factor = deflator_factor("2024-25") / deflator_factor("2022-23")
    assert north["total_cost"] == pytest.approx(200_000 * factor)
    assert north["cost_per_person"] == pytest.approx(2_000 * factor)
    assert summary.submissions[1].measures["total_cost"] == pytest.approx(200_000)
    assert "North (fictional)'s figures (2022-23 prices) are uprated to 2024-25" in (
        summary.prices_note
    )
    assert "2024-25 prices" in summary.spread_note
    assert "Costs are in 2024-25 prices" in summary.pooled_note
    assert summary.pooled["total_cost"] == pytest.approx(200_000 * (factor + 2))


def test_the_median_is_placed_against_bands_in_the_same_prices():
    summary = summarise(
        INFO,
        _submissions(*(_record(f"Service {n} (fictional)", "2024-25") for n in range(3))),
        OPEN,
    )
    row = summary.spread_row("cost_per_person")
    assert row.median == pytest.approx(2_000)
    # In the study's prices £2,000 is above the evidence-based band; in 2024-25 prices within.
    assert row.median_position["evidence_based"] == "within"
    study = summarise(
        INFO,
        _submissions(*(_record(f"Service {n} (fictional)", None) for n in range(3))),
        OPEN,
    )
    assert study.spread_row("cost_per_person").median_position["evidence_based"] == "above"
    assert "study's own prices" in study.prices_note


def test_projector_points_use_the_same_price_base():
    summary = summarise(
        INFO,
        _submissions(*(_record(f"Service {n} (fictional)", "2024-25") for n in range(3))),
        OPEN,
    )
    view = projector_view(summary)
    assert view.points[0].positions["cost_per_person"]["evidence_based"] == "within"
    assert "2024-25 prices" in view.spread_note


def test_a_member_without_a_year_is_named_and_shown_as_given():
    summary = summarise(
        INFO,
        _submissions(_record("Dated (fictional)", "2024-25"), _record("Undated (fictional)", None)),
        OPEN,
    )
    assert summary.submissions[1].measures["total_cost"] == pytest.approx(200_000)
    assert "Undated (fictional) gives no year" in summary.prices_note


def test_the_pack_and_the_terminal_summary_state_the_prices():
    summary = summarise(
        INFO,
        _submissions(
            _record("North (fictional)", "2022-23"), _record("South (fictional)", "2024-25")
        ),
        OPEN,
    )
    about = dict((row[0], row[1]) for row in pack_about(summary, OPEN))
    assert about["Prices"].startswith("Prices: bands in 2024-25 prices")
    assert "uprated to 2024-25 prices" in summary_text(summary)


def test_the_summarys_prices_draw_the_facilitators_band_chart_in_the_same_prices():
    summary = summarise(
        INFO,
        _submissions(*(_record(f"Service {n} (fictional)", "2024-25") for n in range(3))),
        OPEN,
    )
    entries = [
        Entry(m.shown_as, chart_measures(m.measures, m.suppressed)) for m in summary.submissions
    ]
    spec = band_chart(entries, BOTH_BANDS, summary.prices).to_dict()
    assert "2024-25 prices" in " ".join(spec["title"]["subtitle"])
    assert "within the band for evidence-based services" in spec["description"]
