"""A learning network's pooled mix of spend: shares only, summed from totals, disclosure control."""

from __future__ import annotations

import pytest

from toolkit.content.rules import rules
from toolkit.worksheets.spend_map.model import ProvisionLine, SpendMap
from toolkit.worksheets.spend_map.network import network_mix, shared_payload


def area(paid: float, other: float) -> SpendMap:
    lines = [ProvisionLine(provider="Secret provider", funding_stream="health",
                           support_type="support into paid work", client_group="mental health",
                           annual_spend=paid),
             ProvisionLine(provider="Another", funding_stream="social care", support_type="other",
                           client_group="combined", annual_spend=other)]
    return SpendMap(year="2025-26", lines=lines)


def test_payload_holds_no_line_items() -> None:
    payload = shared_payload(area(100, 50))
    assert "Secret provider" not in repr(payload)
    assert "Another" not in repr(payload) and "health" not in payload
    assert set(payload) == {"year", "price_year", "total", "by_support_type", "by_client_group",
                            "by_organisation"}


def test_hidden_below_the_threshold() -> None:
    limit = rules().disclosure.min_services_for_pooled
    answer = network_mix([shared_payload(area(100, 0))] * (limit - 1))
    assert answer["shown"] is False and answer["pooled"] is None
    assert f"at least {limit}" in answer["reason"]


def test_pooled_from_totals_once_enough_maps() -> None:
    maps = [area(100_000, 0), area(0, 300_000), area(100_000, 100_000)]
    answer = network_mix([shared_payload(m) for m in maps])
    assert answer["shown"] is True
    assert answer["pooled"]["total"] == 600_000
    assert answer["pooled"]["share_paid_work"] == pytest.approx(200 / 600)
    assert answer["national_share_paid_work"]["value"] == 0.32


# --------------------------------------------------------------------------- price base, parts


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from toolkit.domain.prices import financial_year_index  # noqa: E402
from toolkit.worksheets.spend_map.network import NOT_SHOWN, NOT_STATED  # noqa: E402
from toolkit.worksheets.spend_map.sharing_rules import SpendSharingRules  # noqa: E402

EXACT = SpendSharingRules(money_rounding=1, min_maps_per_part=1)
TYPES = ["support into paid work", "self-employment", "volunteering", "other"]
GROUPS = ["mental health", "learning disability", "combined"]


def map_of(rows: list[tuple[str, str, float]], year: str = "2024-25", **extra) -> SpendMap:
    lines = [ProvisionLine(provider=f"P{i}", funding_stream="social care", support_type=t,
                           client_group=g, annual_spend=amount)
             for i, (t, g, amount) in enumerate(rows)]
    return SpendMap(year=year, lines=lines, **extra)


def test_delivery_organisations_pooled_from_amounts_not_averaged_shares() -> None:
    small = map_of([("support into paid work", "mental health", 100_000)],
                   organisations={"NHS trust": 1.0})
    big = map_of([("support into paid work", "mental health", 900_000)],
                 organisations={"voluntary and community sector": 0.5})
    third = map_of([("support into paid work", "combined", 1_000_000)])
    answer = network_mix([shared_payload(m) for m in (small, big, third)], settings=EXACT)
    orgs = answer["pooled"]["by_organisation"]
    # Averaged shares would give the NHS trust 75% of the two maps that gave shares; from
    # amounts it is 100k of the 2m pooled (the third map's spend is all not stated).
    assert orgs["amounts"] == {"NHS trust": 100_000, "voluntary and community sector": 450_000,
                               NOT_STATED: 1_450_000}
    assert orgs["shares"]["NHS trust"] == pytest.approx(0.05)
    assert orgs["total"] == answer["pooled"]["total"] == 2_000_000
    assert orgs["maps_giving_shares"] == 2


def test_maps_in_different_price_years_are_uprated_to_the_latest() -> None:
    older = map_of([("support into paid work", "mental health", 100_000)], year="2022-23")
    newer = map_of([("other", "mental health", 100_000)], year="2024-25")
    same = map_of([("other", "combined", 100_000)], year="2024-25")
    answer = network_mix([shared_payload(m) for m in (older, newer, same)], settings=EXACT)
    factor = financial_year_index("2024-25") / financial_year_index("2022-23")
    assert factor > 1.01
    assert answer["price_base"]["year"] == "2024-25"
    assert answer["price_base"]["maps_uprated"] == 1
    assert "2024-25 prices" in answer["price_base"]["label"]
    amounts = answer["pooled"]["by_support_type"]["amounts"]
    assert amounts["support into paid work"] == round(100_000 * factor)
    assert answer["pooled"]["share_paid_work"] == pytest.approx(
        100_000 * factor / (100_000 * factor + 200_000), abs=1e-6)


def test_a_stated_price_year_is_the_one_pooled_from() -> None:
    stated = map_of([("other", "combined", 100_000)], year="2025-26", price_year="2023-24")
    assert shared_payload(stated)["price_year"] == "2023-24"
    assert shared_payload(map_of([("other", "combined", 1)]))["price_year"] == "2024-25"


def test_unknown_price_year_pools_as_entered_and_says_so() -> None:
    maps = [map_of([("other", "combined", 100)], year=None), map_of([("other", "combined", 100)])]
    answer = network_mix([shared_payload(m) for m in maps * 2], settings=EXACT)
    assert answer["price_base"]["maps_uprated"] == 0
    assert "could not be put into one price base" in answer["price_base"]["label"]
    assert answer["pooled"]["total"] == 400


def test_a_part_only_one_area_spends_on_is_not_shown_separately() -> None:
    rules_ = SpendSharingRules(money_rounding=1, min_maps_per_part=2)
    maps = [map_of([("support into paid work", "mental health", 500), ("volunteering", "combined", 70)]),
            map_of([("support into paid work", "mental health", 300), ("other", "combined", 40)]),
            map_of([("support into paid work", "mental health", 200), ("other", "combined", 60)])]
    answer = network_mix([shared_payload(m) for m in maps], settings=rules_)
    types = answer["pooled"]["by_support_type"]
    # Volunteering (one area) would be readable as the hidden part on its own, so the next
    # smallest part (other, 100) joins it.
    assert types["hidden"] == ["other", "volunteering"]
    assert "volunteering" not in types["amounts"] and types["amounts"][NOT_SHOWN] == 170
    assert sum(types["shares"].values()) == pytest.approx(1.0)
    assert answer["pooled"]["share_paid_work"] == pytest.approx(1000 / 1170)


def test_each_areas_amounts_are_rounded_before_they_are_added() -> None:
    rules_ = SpendSharingRules(money_rounding=1000, min_maps_per_part=1)
    maps = [map_of([("other", "combined", 1_400)]), map_of([("other", "combined", 1_600)]),
            map_of([("other", "combined", 2_499)])]
    answer = network_mix([shared_payload(m) for m in maps], settings=rules_)
    assert answer["pooled"]["total"] == 1_000 + 2_000 + 2_000


def test_bad_payloads_are_refused_with_the_field() -> None:
    with pytest.raises(ValueError, match="by_organisation"):
        network_mix([{"total": 1, "by_organisation": {"martians": 1}}] * 3)


amounts = st.integers(min_value=0, max_value=5_000_000)
a_map = st.lists(st.tuples(st.sampled_from(TYPES), st.sampled_from(GROUPS), amounts),
                 min_size=1, max_size=6)


@settings(max_examples=60, deadline=None)
@given(st.lists(a_map, min_size=3, max_size=6))
def test_pooled_shares_add_to_one_and_come_from_summed_totals(maps_rows) -> None:
    maps = [map_of(rows) for rows in maps_rows]
    answer = network_mix([shared_payload(m) for m in maps], settings=EXACT)
    pooled = answer["pooled"]
    expected = sum(amount for rows in maps_rows for _, _, amount in rows)
    assert pooled["total"] == expected == pooled["by_organisation"]["total"]
    for index, name in enumerate(("by_support_type", "by_client_group")):
        breakdown = pooled[name]
        assert breakdown["total"] == expected
        for part, value in breakdown["amounts"].items():
            assert value == sum(row[2] for rows in maps_rows for row in rows if row[index] == part)
        if expected > 0:
            assert sum(breakdown["shares"].values()) == pytest.approx(1.0)
        else:
            assert breakdown["shares"] is None


@settings(max_examples=40, deadline=None)
@given(st.lists(a_map, min_size=3, max_size=6), st.integers(min_value=1, max_value=4))
def test_with_disclosure_shares_still_add_to_one_and_no_lone_part_is_hidden(maps_rows, least):
    rules_ = SpendSharingRules(money_rounding=1000, min_maps_per_part=least)
    answer = network_mix([shared_payload(map_of(rows)) for rows in maps_rows], settings=rules_)
    for name in ("by_support_type", "by_client_group"):
        breakdown = answer["pooled"][name]
        others = [v for k, v in breakdown["amounts"].items() if k != NOT_SHOWN and v > 0]
        assert len(breakdown["hidden"]) != 1 or not others
        if breakdown["total"] > 0:
            assert sum(breakdown["shares"].values()) == pytest.approx(1.0)


def test_maps_all_in_one_price_year_beyond_the_deflator_series_pool_as_entered() -> None:
    maps = [map_of([("other", "combined", 100_000)], year="2030-31")] * 3
    answer = network_mix([shared_payload(m) for m in maps], settings=EXACT)
    assert answer["price_base"]["year"] == "2030-31"
    assert answer["price_base"]["label"] == "amounts in 2030-31 prices, as each area entered them"


def test_mixed_price_years_outside_the_series_are_not_uprated() -> None:
    maps = [map_of([("other", "combined", 100_000)], year="2030-31"),
            map_of([("other", "combined", 100_000)], year="2024-25"),
            map_of([("other", "combined", 100_000)], year="2024-25")]
    answer = network_mix([shared_payload(m) for m in maps], settings=EXACT)
    assert "outside the GDP deflator series" in answer["price_base"]["label"]
    assert answer["pooled"]["total"] == 300_000
