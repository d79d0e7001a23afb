"""Several services from different years are pooled and averaged in one stated price base."""

from __future__ import annotations

import pytest

from toolkit.domain.prices import deflator_factor
from toolkit.domain.record import parse_service
from toolkit.domain.results import group_of_records
from toolkit.present.html import services_table_html

BASE = {"total_cost": 100_000, "people_supported": 50, "new_jobs": 10, "jobs_retained": 0}


def _services():
    older = parse_service({**BASE, "name": "Older service (fictional)", "year": "2021-22"})
    newer = parse_service({**BASE, "name": "Newer service (fictional)", "year": "2024-25"})
    return older, newer


def test_pooled_total_uprates_the_older_service_to_the_latest_year():
    older, newer = _services()
    factor = deflator_factor("2024-25") / deflator_factor("2021-22")
    group = group_of_records([older, newer])
    assert group.prices is not None
    assert group.prices.price_base.year == "2024-25"
    assert group.pooled is not None
    assert group.pooled.total_cost == pytest.approx(100_000 * factor + 100_000)
    assert group.pooled.people_supported == 100
    assert group.pooled.job_outcome_rate == pytest.approx(0.2)


def test_plain_average_uprates_costs_but_not_rates():
    older, newer = _services()
    factor = deflator_factor("2024-25") / deflator_factor("2021-22")
    mean = group_of_records([older, newer]).mean_of_services
    assert mean is not None
    assert mean.cost_per_person == pytest.approx((2_000 * factor + 2_000) / 2)
    assert mean.job_outcome_rate == pytest.approx(0.2)


def test_services_table_says_which_prices_the_pooled_row_is_in():
    html = services_table_html(group_of_records(list(_services())))
    assert "2024-25 prices" in html
    assert "Older service (fictional)" in html and "uprated to 2024-25 prices" in html


def test_one_year_needs_no_uprating():
    older, _ = _services()
    same = parse_service({**BASE, "name": "Same year (fictional)", "year": "2021-22"})
    group = group_of_records([older, same])
    assert group.pooled is not None and group.pooled.total_cost == pytest.approx(200_000)
