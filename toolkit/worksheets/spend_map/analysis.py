"""What the map shows: totals, shares, gaps, possible duplication and change in spend.

Pure functions over :mod:`.model` records. Shares are parts of the known total
and add to 1 whenever the total is above zero; with no spend they are None,
never a division by zero. Pooled maps are summed from their totals, never
averaged from their shares.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from pydantic import BaseModel, Field

from toolkit.worksheets.spend_map.model import ProvisionLine, SpendMap, StreamSpend
from toolkit.worksheets.spend_map.vocab import (
    BudgetChange,
    ClientGroup,
    SupportType,
)

#: Types of support checked for gaps ("other" is a catch-all, so no spend on it is no gap).
GAP_TYPES = tuple(t for t in SupportType if t is not SupportType.other)
#: Client groups a gap is looked for in; spend for 'combined' covers each of them.
NAMED_GROUPS = (ClientGroup.mental_health, ClientGroup.learning_disability, ClientGroup.other)


class MapSummary(BaseModel):
    """A map's amounts by type, group and stream: all that is shared, never the line items."""

    year: str | None = None
    total: float = 0.0
    by_support_type: dict[SupportType, float] = Field(default_factory=dict)
    by_client_group: dict[ClientGroup, float] = Field(default_factory=dict)
    by_funding_stream: dict[str, float] = Field(default_factory=dict)
    maps: int = 1


class Gap(BaseModel):
    """A type of support with no spend recorded for a client group."""

    support_type: SupportType
    client_group: ClientGroup
    priority: bool


class Duplication(BaseModel):
    """One type and client group funded through several streams or providers: worth checking."""

    support_type: SupportType
    client_group: ClientGroup
    streams: list[str]
    providers: list[str]
    amount: float


def _sum_by(lines: Iterable[ProvisionLine], key) -> dict:
    totals: dict = defaultdict(float)
    for line in lines:
        totals[key(line)] += line.annual_spend
    return dict(totals)


def summarise(spend_map: SpendMap) -> MapSummary:
    """The map's amounts by type of support, client group and funding stream."""
    lines = spend_map.lines
    by_type = {t: 0.0 for t in SupportType} | _sum_by(lines, lambda line: line.support_type)
    by_group = {g: 0.0 for g in ClientGroup} | _sum_by(lines, lambda line: line.client_group)
    by_stream = _sum_by(lines, lambda line: line.funding_stream)
    return MapSummary(
        year=spend_map.year,
        total=sum(line.annual_spend for line in lines),
        by_support_type=by_type,
        by_client_group=by_group,
        by_funding_stream=dict(sorted(by_stream.items())),
    )


def shares(amounts: dict, total: float) -> dict | None:
    """Each amount as a part of ``total``; None when there is no spend to share out."""
    if total <= 0:
        return None
    return {key: value / total for key, value in amounts.items()}


def share_of(summary: MapSummary, support_type: SupportType) -> float | None:
    """One type of support's share of the total; None when the total is zero."""
    if summary.total <= 0:
        return None
    return summary.by_support_type.get(support_type, 0.0) / summary.total


def pool(summaries: Sequence[MapSummary]) -> MapSummary:
    """Several maps as one: every amount summed, so shares come from the pooled totals."""
    by_type: defaultdict[SupportType, float] = defaultdict(float)
    by_group: defaultdict[ClientGroup, float] = defaultdict(float)
    by_stream: defaultdict[str, float] = defaultdict(float)
    for summary in summaries:
        for support_type, value in summary.by_support_type.items():
            by_type[support_type] += value
        for group, value in summary.by_client_group.items():
            by_group[group] += value
        for stream, value in summary.by_funding_stream.items():
            by_stream[stream] += value
    years = {summary.year for summary in summaries}
    return MapSummary(
        year=years.pop() if len(years) == 1 else None,
        total=sum(summary.total for summary in summaries),
        by_support_type=dict(by_type),
        by_client_group=dict(by_group),
        by_funding_stream=dict(sorted(by_stream.items())),
        maps=sum(summary.maps for summary in summaries),
    )


def groups_in(lines: Iterable[ProvisionLine]) -> list[ClientGroup]:
    """The named client groups the map spends money on; 'combined' alone when there are none."""
    present = {line.client_group for line in lines if line.annual_spend > 0}
    named = [group for group in NAMED_GROUPS if group in present]
    if named:
        return named
    return [ClientGroup.combined] if ClientGroup.combined in present else []


def gaps(
    lines: Sequence[ProvisionLine], client_groups: Sequence[ClientGroup] | None = None
) -> list[Gap]:
    """Types of support with no spend for a client group, support into paid work first.

    A group is checked if the map spends anything on it (or if named in
    ``client_groups``). Spend for 'combined' counts for every group. 'Other'
    support is never a gap.
    """
    funded = {(line.support_type, line.client_group) for line in lines if line.annual_spend > 0}
    groups = list(client_groups) if client_groups is not None else groups_in(lines)
    found = []
    for support_type in GAP_TYPES:
        for group in groups:
            covered = (support_type, group) in funded or (
                support_type, ClientGroup.combined) in funded
            if not covered:
                found.append(Gap(support_type=support_type, client_group=group,
                                 priority=support_type is SupportType.paid_work))
    return found


def possible_duplication(lines: Sequence[ProvisionLine]) -> list[Duplication]:
    """Types of support for one client group funded from several streams or by several providers.

    'Other' support is left out: two 'other' lines are likely to be different things.
    Lines with no spend are left out.
    """
    grouped: dict[tuple[SupportType, ClientGroup], list[ProvisionLine]] = defaultdict(list)
    for line in lines:
        if line.annual_spend > 0 and line.support_type is not SupportType.other:
            grouped[(line.support_type, line.client_group)].append(line)
    found = []
    for support_type in SupportType:
        for group in ClientGroup:
            members = grouped.get((support_type, group), [])
            streams = sorted({line.funding_stream for line in members})
            providers = sorted({line.provider for line in members}, key=str.casefold)
            if len(streams) > 1 or len({p.casefold() for p in providers}) > 1:
                found.append(Duplication(
                    support_type=support_type, client_group=group, streams=streams,
                    providers=providers, amount=sum(line.annual_spend for line in members),
                ))
    return found


def budget_change(before: float | None, after: float | None) -> BudgetChange | None:
    """Table 2's heading for a change from ``before`` to ``after`` (None when either is unknown).

    Equal means the same to the nearest pound; cut means down to nothing.
    """
    if before is None or after is None or (before == 0 and after == 0):
        return None
    if round(after) == round(before):
        return BudgetChange.equal
    if after == 0:
        return BudgetChange.cut
    return BudgetChange.increase if after > before else BudgetChange.decrease


def stream_changes(stream: StreamSpend) -> tuple[BudgetChange | None, BudgetChange | None]:
    """Change last year to this year, and this year to next year."""
    last, this, following = stream.amounts
    return budget_change(last, this), budget_change(this, following)


def stream_kind(name: str) -> str | None:
    """Which of Table 2's rows a stream is compared with: social care, health, combined or none."""
    text = name.lower()
    if "combined" in text or "pooled" in text or "joint" in text:
        return "combined"
    if "social care" in text or text in {"council", "adult social care"}:
        return "social care"
    if "health" in text or "nhs" in text or "icb" in text:
        return "health"
    return None
