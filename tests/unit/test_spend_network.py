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
    assert set(payload) == {"year", "total", "by_support_type", "by_client_group"}


def test_hidden_below_the_threshold() -> None:
    limit = rules().disclosure.min_services_for_pooled
    answer = network_mix([shared_payload(area(100, 0))] * (limit - 1))
    assert answer["shown"] is False and answer["pooled"] is None
    assert f"at least {limit}" in answer["reason"]


def test_pooled_from_totals_once_enough_maps() -> None:
    maps = [area(100, 0), area(0, 300), area(100, 100)]
    answer = network_mix([shared_payload(m) for m in maps])
    assert answer["shown"] is True
    assert answer["pooled"]["total"] == 600
    assert answer["pooled"]["share_paid_work"] == pytest.approx(200 / 600)
    assert answer["national_share_paid_work"]["value"] == 0.32
