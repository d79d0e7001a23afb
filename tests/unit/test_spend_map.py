"""The spend map's logic: parsing, shares, gaps, possible duplication, change and pooling."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from toolkit.worksheets.spend_map.analysis import (
    budget_change,
    gaps,
    pool,
    possible_duplication,
    share_of,
    shares,
    stream_kind,
    summarise,
)
from toolkit.worksheets.spend_map.model import ProvisionLine, SpendMap, StreamSpend, parse_year
from toolkit.worksheets.spend_map.national import (
    budget_change_shares,
    five_year_shares,
    paid_work_share,
    study_mix,
)
from toolkit.worksheets.spend_map.result import map_result
from toolkit.worksheets.spend_map.vocab import (
    BudgetChange,
    ClientGroup,
    SupportType,
    parse_client_group,
    parse_support_type,
)


def line(support="support into paid work", group="mental health", spend=100.0,
         provider="P", stream="social care", **more) -> ProvisionLine:
    return ProvisionLine(provider=provider, funding_stream=stream, support_type=support,
                         client_group=group, annual_spend=spend, **more)


# --- parsing ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["support into paid work", "  SUPPORT into  Paid WORK ",
                                  "Support into paid work (minimum wage or more)"])
def test_support_type_ignores_case_and_spaces(text: str) -> None:
    assert parse_support_type(text) is SupportType.paid_work


@pytest.mark.parametrize("text,expected", [
    ("Mental Health ", ClientGroup.mental_health), (" learning   disability", ClientGroup.learning_disability),
    ("OTHER", ClientGroup.other), ("Combined", ClientGroup.combined),
])
def test_client_group_ignores_case_and_spaces(text: str, expected: ClientGroup) -> None:
    assert parse_client_group(text) is expected


def test_unknown_support_type_names_the_choices() -> None:
    with pytest.raises(ValueError, match="'job clubs' is not a type of support; use one of"):
        parse_support_type("job clubs")


def test_every_type_parses_from_its_own_value() -> None:
    for support_type in SupportType:
        assert parse_support_type(support_type.value.upper()) is support_type


@pytest.mark.parametrize("text,year", [("2025-26", "2025-26"), ("2025/2026", "2025-26"),
                                       ("2025", "2025-26"), (" 2099-00 ", "2099-00")])
def test_years(text: str, year: str) -> None:
    assert parse_year(text) == year


@pytest.mark.parametrize("text", ["2025-27", "next year", "1800"])
def test_bad_years(text: str) -> None:
    with pytest.raises(ValueError):
        parse_year(text)


def test_negative_or_infinite_spend_refused() -> None:
    with pytest.raises(ValidationError, match="cannot be negative"):
        line(spend=-1)
    with pytest.raises(ValidationError, match="amount in £"):
        line(spend=math.inf)


def test_organisation_shares_may_not_pass_100_percent() -> None:
    with pytest.raises(ValidationError, match="add to 120%"):
        SpendMap(organisations={"NHS trust": 0.6, "private": 0.6})


def test_factor_ranks_must_differ() -> None:
    with pytest.raises(ValidationError, match="different rank"):
        SpendMap(factor_ranks={"other": 1, "national policy and evidence": 1})


# --- shares, gaps, duplication ----------------------------------------------------------------


def test_summary_and_shares() -> None:
    spend_map = SpendMap(lines=[line(spend=300), line("volunteering", spend=100),
                                line("other", "combined", spend=100, stream="health")])
    summary = summarise(spend_map)
    assert summary.total == 500
    assert share_of(summary, SupportType.paid_work) == pytest.approx(0.6)
    assert summary.by_funding_stream == {"health": 100, "social care": 400}
    result = map_result(spend_map)
    assert result["share_paid_work"] == pytest.approx(0.6)
    assert result["share_other"] == pytest.approx(0.2)
    json.dumps(result, allow_nan=False)


def test_no_spend_gives_no_shares() -> None:
    summary = summarise(SpendMap())
    assert share_of(summary, SupportType.paid_work) is None
    assert shares(summary.by_support_type, summary.total) is None
    result = map_result(SpendMap())
    assert result["share_paid_work"] is None
    assert result["findings"] == ["No spend has been entered yet, so no shares can be worked out."]


def test_gap_in_paid_work_for_a_group_comes_first() -> None:
    lines = [line(group="mental health"), line("volunteering", "learning disability")]
    found = gaps(lines)
    assert (found[0].support_type, found[0].client_group) == (
        SupportType.paid_work, ClientGroup.learning_disability)
    assert found[0].priority
    assert all(not g.priority for g in found[1:])
    assert all(g.support_type is not SupportType.other for g in found)


def test_combined_spend_fills_the_gap_for_every_group() -> None:
    lines = [line("volunteering", "learning disability"), line(group="combined")]
    assert not [g for g in gaps(lines) if g.support_type is SupportType.paid_work]


def test_zero_spend_line_does_not_fill_a_gap() -> None:
    lines = [line(group="mental health", spend=0), line("volunteering", "mental health")]
    assert any(g.support_type is SupportType.paid_work for g in gaps(lines))


def test_possible_duplication_by_stream_and_by_provider() -> None:
    lines = [
        line("volunteering", stream="health", provider="A"),
        line("volunteering", stream="social care", provider="A"),
        line(provider="A"), line(provider="B"),
        line(provider="C", group="learning disability"),
        line("other", provider="X"), line("other", provider="Y"),
    ]
    found = {(d.support_type, d.client_group): d for d in possible_duplication(lines)}
    assert set(found) == {(SupportType.volunteering, ClientGroup.mental_health),
                          (SupportType.paid_work, ClientGroup.mental_health)}
    assert found[(SupportType.volunteering, ClientGroup.mental_health)].streams == [
        "health", "social care"]
    assert found[(SupportType.paid_work, ClientGroup.mental_health)].providers == ["A", "B"]


def test_same_provider_in_other_case_is_not_duplication() -> None:
    assert possible_duplication([line(provider="Acme"), line(provider="ACME ")]) == []


@pytest.mark.parametrize("before,after,expected", [
    (100, 120, BudgetChange.increase), (100, 100.4, BudgetChange.equal),
    (100, 50, BudgetChange.decrease), (100, 0, BudgetChange.cut), (None, 5, None), (0, 0, None),
])
def test_budget_change(before, after, expected) -> None:
    assert budget_change(before, after) is expected


def test_stream_kinds() -> None:
    assert stream_kind("adult social care") == "social care"
    assert stream_kind("NHS mental health") == "health"
    assert stream_kind("pooled fund") == "combined"
    assert stream_kind("european social fund") is None


def test_streams_compared_with_table_2() -> None:
    spend_map = SpendMap(year="2025-26", streams=[
        StreamSpend(stream="Social care", amounts=(100, 120, 90), flag="rough")])
    row = map_result(spend_map)["streams"][0]
    assert row["amounts"] == {"2024-25": 100, "2025-26": 120, "2026-27": 90}
    assert row["change_to_next_year"] == "decrease"
    assert row["national_change"]["decrease"] == 0.41


# --- national figures ------------------------------------------------------------------------


def test_national_figures_carry_their_source() -> None:
    paid = paid_work_share()
    assert paid.value == 0.32
    assert "Section 4" in paid.source and "NDTi" in paid.source
    assert sum(share for _, share, _ in study_mix()) == pytest.approx(1)
    assert budget_change_shares("health") == {"increase": 0.29, "equal": 0.34,
                                              "decrease": 0.26, "cut": 0.11}
    assert five_year_shares() == {"more": 0.44, "same": 0.22, "less": 0.22}


# --- properties ------------------------------------------------------------------------------

amounts = st.floats(min_value=0, max_value=1e8, allow_nan=False, allow_infinity=False)
lines_strategy = st.lists(
    st.builds(line, support=st.sampled_from(list(SupportType)),
              group=st.sampled_from(list(ClientGroup)), spend=amounts,
              provider=st.sampled_from(["A", "B", "C"]),
              stream=st.sampled_from(["social care", "health", "combined"])),
    max_size=15,
)


@settings(max_examples=60, deadline=None)
@given(lines_strategy)
def test_shares_sum_to_one_where_total_known(lines) -> None:
    summary = summarise(SpendMap(lines=lines))
    for amounts_by in (summary.by_support_type, summary.by_client_group, summary.by_funding_stream):
        found = shares(amounts_by, summary.total)
        if summary.total > 0:
            assert sum(found.values()) == pytest.approx(1)
            assert all(0 <= share <= 1 + 1e-9 for share in found.values())
        else:
            assert found is None


@settings(max_examples=60, deadline=None)
@given(st.lists(lines_strategy, min_size=1, max_size=4))
def test_pooled_maps_are_summed_from_totals(maps) -> None:
    summaries = [summarise(SpendMap(lines=lines)) for lines in maps]
    pooled = pool(summaries)
    assert pooled.maps == len(maps)
    assert pooled.total == pytest.approx(sum(s.total for s in summaries))
    for support_type in SupportType:
        expected = sum(s.by_support_type[support_type] for s in summaries)
        assert pooled.by_support_type[support_type] == pytest.approx(expected)
    if pooled.total > 0:
        share = share_of(pooled, SupportType.paid_work)
        weighted = sum(
            (share_of(s, SupportType.paid_work) or 0) * s.total for s in summaries) / pooled.total
        assert share == pytest.approx(weighted)
        assert sum(shares(pooled.by_support_type, pooled.total).values()) == pytest.approx(1)


@settings(max_examples=60, deadline=None)
@given(lines_strategy)
def test_gaps_and_duplication_agree_with_the_lines(lines) -> None:
    funded = {(x.support_type, x.client_group) for x in lines if x.annual_spend > 0}
    for gap in gaps(lines):
        assert (gap.support_type, gap.client_group) not in funded
        assert (gap.support_type, ClientGroup.combined) not in funded
    for item in possible_duplication(lines):
        assert (item.support_type, item.client_group) in funded
        assert len(item.streams) > 1 or len(item.providers) > 1
    json.dumps(map_result(SpendMap(lines=lines)), allow_nan=False)
