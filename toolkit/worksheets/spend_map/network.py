"""A learning network's mix of spend: members share their map's totals by type of support,
client group and delivery organisation (never the provision lines), and the facilitator
sees the pooled mix against the national one.

Pure logic; the session stores the payloads (:mod:`toolkit.network.spend_sharing`).

How the pool is made, in order:

1. **One price base.** Each map's amounts are put into the prices of the latest price year
   among the shared maps with the GDP deflator (:mod:`toolkit.domain.prices`). Shares need no
   uprating, but the pool is summed from amounts, so they must be in the same prices first.
   When a map's price year is unknown or outside the deflator series, nothing is uprated and
   the pool says its amounts are as entered, in mixed prices.
2. **Rounding.** Each map's amounts are rounded to ``money_rounding`` pounds
   (``data/spend_sharing.yaml``) with the sessions' own :func:`round_to_base`.
3. **Summed from totals.** The pooled amount of each part is the sum of the maps' amounts;
   each share is the part's pooled amount over the pooled total of that breakdown, so the
   shares of a breakdown add to 1 whenever its total is above zero. Shares are never averaged.
4. **Disclosure control.** Nothing is shown until ``min_services_for_pooled`` maps are shared
   (``disclosure`` in ``data/rules.yaml``, the sessions' threshold). A part that fewer than
   ``min_maps_per_part`` maps spend on is added to "not shown separately"; when that would
   hold a single part, the next smallest part joins it, so it never singles one out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from toolkit.content.rules import DisclosureRules, rules
from toolkit.content.sources import load_sources
from toolkit.domain.prices import financial_year_index, parse_financial_year, price_settings
from toolkit.network.disclosure import round_to_base
from toolkit.present import formatting as fmt
from toolkit.worksheets.spend_map import national
from toolkit.worksheets.spend_map.analysis import summarise
from toolkit.worksheets.spend_map.model import SpendMap
from toolkit.worksheets.spend_map.result import map_price_base
from toolkit.worksheets.spend_map.sharing_rules import SpendSharingRules, sharing_rules
from toolkit.worksheets.spend_map.vocab import (
    CLIENT_GROUP_LABELS,
    SUPPORT_TYPE_LABELS,
    ClientGroup,
    Organisation,
    SupportType,
)

#: The three breakdowns of the pooled mix, in the order they are shown.
BREAKDOWNS = ("by_support_type", "by_client_group", "by_organisation")
BREAKDOWN_TITLES = {
    "by_support_type": "Type of support",
    "by_client_group": "Client group",
    "by_organisation": "Delivery organisation",
}
#: The part holding amounts hidden by disclosure control.
NOT_SHOWN = "not shown separately"
#: The part of the delivery organisation breakdown that maps did not give shares for.
NOT_STATED = "not stated"
#: Each breakdown's parts in words ("other" is both a type of support and a client group).
PART_LABELS: dict[str, dict[str, str]] = {
    "by_support_type": {t.value: label for t, label in SUPPORT_TYPE_LABELS.items()},
    "by_client_group": {g.value: label for g, label in CLIENT_GROUP_LABELS.items()},
    "by_organisation": {
        **{o.value: o.value[0].upper() + o.value[1:] for o in Organisation},
        NOT_STATED: "Not stated (shares not given)",
    },
}
NOT_SHOWN_LABEL = "Not shown separately (too few areas spend on each)"


def part_label(breakdown: str, part: str) -> str:
    """One part of a breakdown in words."""
    if part == NOT_SHOWN:
        return NOT_SHOWN_LABEL
    return PART_LABELS[breakdown].get(part, part)


class SharedSpend(BaseModel):
    """What one member shares: the year, the price year and totals, never line items."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    year: str | None = None
    price_year: str | None = None
    total: float = Field(ge=0, allow_inf_nan=False)
    by_support_type: dict[SupportType, float] = Field(default_factory=dict)
    by_client_group: dict[ClientGroup, float] = Field(default_factory=dict)
    by_organisation: dict[str, float] = Field(default_factory=dict)

    @field_validator("by_support_type", "by_client_group", "by_organisation")
    @classmethod
    def _amounts(cls, value: dict) -> dict:
        for key, amount in value.items():
            if not isinstance(amount, (int, float)) or amount < 0 or amount != amount:
                raise ValueError(f"the amount for {key} must be a sum of money of 0 or more")
        return value

    @field_validator("by_organisation")
    @classmethod
    def _organisations(cls, value: dict) -> dict:
        allowed = {o.value for o in Organisation} | {NOT_STATED}
        unknown = sorted(set(value) - allowed)
        if unknown:
            raise ValueError(f"unknown delivery organisation: {', '.join(unknown)}")
        return value

    @field_validator("price_year", "year")
    @classmethod
    def _year(cls, value: str | None) -> str | None:
        return None if value is None else parse_financial_year(value)


def shared_payload(spend_map: SpendMap) -> dict[str, Any]:
    """What a member shares: the year, the price year, the total and the totals by type of
    support, client group and delivery organisation (its shares of the total, as amounts).

    No providers, no funding streams, no line items and no answers to the other questions.
    """
    summary = summarise(spend_map)
    total = summary.total
    organisations = {org.value: share * total for org, share in spend_map.organisations.items()}
    # Spend the map gives no delivery organisation for (all of it, when it gives no shares),
    # so the breakdown adds up to the same total as the others.
    organisations[NOT_STATED] = max(0.0, total - sum(organisations.values()))
    return SharedSpend(
        year=summary.year,
        price_year=spend_map.price_year or spend_map.year,
        total=total,
        by_support_type=summary.by_support_type,
        by_client_group=summary.by_client_group,
        by_organisation=organisations,
    ).model_dump(mode="json")


# --------------------------------------------------------------------------- price base


def _ratio(to: float | None, source: float | None) -> float:
    if to is None or source is None:  # checked by the caller: both are in the series
        raise ValueError("price year outside the deflator series")
    return to / source


def _deflator_citation() -> str:
    deflator = price_settings().deflator
    source = load_sources()[deflator.source]
    return f"{source.body} ({source.year}). {source.title}. {source.publisher}."


def network_price_base(maps: Sequence[SharedSpend]) -> tuple[dict[str, Any], list[float]]:
    """The pool's price base and each map's factor into it (all 1 when none is needed or
    it cannot be done)."""
    years = [m.price_year for m in maps]
    known = sorted({y for y in years if y is not None})
    unchanged = [1.0] * len(maps)
    if None not in years and len(known) == 1:  # one price year: nothing to uprate
        base = map_price_base(known[0], known[0])
        base.update(label=f"amounts in {known[0]} prices, as each area entered them",
                    maps_uprated=0)
        return base, unchanged
    indexes = {year: financial_year_index(year) for year in known}
    if None in years or any(index is None for index in indexes.values()):
        missing = "a map's price year is not known" if None in years else (
            "a map's price year is outside the GDP deflator series the toolkit holds"
        )
        base = map_price_base(None, None)
        base.update(
            label=(f"amounts as entered, in the prices of each area's own year ({missing}, so "
                   "they could not be put into one price base); shares are worked out from "
                   "those amounts"),
            maps_uprated=0,
        )
        return base, unchanged
    target = known[-1]
    factors = [_ratio(indexes[target], indexes[y or target]) for y in years]
    base = map_price_base(target, target)
    base.update(
        method="gdp_deflator",
        source=_deflator_citation(),
        label=(f"amounts in {target} prices: maps in earlier years' prices were uprated with "
               f"the {price_settings().deflator.short_name}"),
        maps_uprated=sum(1 for y in years if y != target),
    )
    return base, factors


# --------------------------------------------------------------------------- pooling


def _key(part: object) -> str:
    return part.value if isinstance(part, StrEnum) else str(part)


def pool_amounts(
    maps: Sequence[Mapping[str, float]], factors: Sequence[float], rounding: int
) -> dict[str, float]:
    """One breakdown's pooled amounts: each map's amount uprated and rounded, then summed."""
    pooled: dict[str, float] = {}
    for amounts, factor in zip(maps, factors, strict=True):
        for part, amount in amounts.items():
            pooled[part] = pooled.get(part, 0.0) + round_to_base(round(amount * factor), rounding)
    return pooled


def contributors(maps: Iterable[Mapping[str, float]]) -> dict[str, int]:
    """How many maps spend anything on each part."""
    counted: dict[str, int] = {}
    for amounts in maps:
        for part, amount in amounts.items():
            counted[part] = counted.get(part, 0) + (1 if amount > 0 else 0)
    return counted


def hidden_parts(
    pooled: Mapping[str, float], counted: Mapping[str, int], least: int
) -> list[str]:
    """Parts to fold into "not shown separately": spent on by too few maps, plus the next
    smallest part when only one would be hidden (a lone hidden part is readable as the
    total less the parts shown)."""
    hidden = [p for p, n in counted.items() if 0 < n < least]
    if len(hidden) == 1:
        others = [(pooled[p], p) for p in pooled if p not in hidden and pooled[p] > 0]
        if others:
            hidden.append(min(others)[1])
    return sorted(hidden)


def pooled_breakdown(
    maps: Sequence[Mapping[str, float]],
    factors: Sequence[float],
    settings: SpendSharingRules,
) -> dict[str, Any]:
    """A breakdown's pooled amounts and shares with small parts folded together."""
    pooled = pool_amounts(maps, factors, settings.money_rounding)
    hidden = hidden_parts(pooled, contributors(maps), settings.min_maps_per_part)
    shown = {p: v for p, v in pooled.items() if p not in hidden}
    if hidden:
        shown[NOT_SHOWN] = sum(pooled[p] for p in hidden)
    total = sum(shown.values())
    return {
        "total": total,
        "amounts": shown,
        "shares": {p: v / total for p, v in shown.items()} if total > 0 else None,
        "hidden": hidden,
    }


def network_mix(
    payloads: Sequence[Mapping[str, Any]],
    disclosure: DisclosureRules | None = None,
    settings: SpendSharingRules | None = None,
) -> dict[str, Any]:
    """The network's pooled mix against the national one, or the reason it is not shown yet."""
    limit = (disclosure or rules().disclosure).min_services_for_pooled
    settings = settings or sharing_rules()
    maps = [SharedSpend.model_validate(payload) for payload in payloads]
    paid = national.paid_work_share()
    answer: dict[str, Any] = {
        "maps": len(maps),
        "shown": False,
        "reason": None,
        "pooled": None,
        "price_base": None,
        "national_share_paid_work": {"value": paid.value, "source": paid.source},
        "national_mix": [
            {"label": label, "share": share, "source": source}
            for label, share, source in national.study_mix()
        ],
    }
    if len(maps) < limit:
        answer["reason"] = (
            f"{len(maps)} map(s) shared so far; the network's mix is shown once at least "
            f"{limit} have been shared, so that no one area's spend can be read from it."
        )
        return answer
    price_base, factors = network_price_base(maps)
    breakdowns = {
        "by_support_type": [{_key(k): v for k, v in m.by_support_type.items()} for m in maps],
        "by_client_group": [{_key(k): v for k, v in m.by_client_group.items()} for m in maps],
        "by_organisation": [dict(m.by_organisation) for m in maps],
    }
    pooled = {
        name: pooled_breakdown(amounts, factors, settings)
        for name, amounts in breakdowns.items()
    }
    types = pooled["by_support_type"]
    paid_key = SupportType.paid_work.value
    share_paid = (
        types["shares"].get(paid_key) if types["shares"] and paid_key in types["amounts"] else None
    )
    years = {m.year for m in maps}
    pooled["by_organisation"]["maps_giving_shares"] = sum(
        1 for m in maps if any(v > 0 for k, v in m.by_organisation.items() if k != NOT_STATED))
    answer.update(
        shown=True,
        price_base=price_base,
        pooled={
            "year": years.pop() if len(years) == 1 else None,
            "total": types["total"],
            **pooled,
            "share_paid_work": share_paid,
        },
    )
    return answer


def mix_sentences(mix: Mapping[str, Any]) -> list[str]:
    """The pooled mix in plain sentences (the chart's and the facilitator's text summary)."""
    if not mix["shown"]:
        return [mix["reason"]]
    pooled = mix["pooled"]
    nat = mix["national_share_paid_work"]["value"]
    said = [
        f"{mix['maps']} areas have shared their maps: {fmt.money(pooled['total'])} a year in "
        f"all ({mix['price_base']['label']})."
    ]
    paid = pooled["share_paid_work"]
    if paid is None:
        said.append("The network's share on support into paid work is not shown separately, "
                    "because too few areas spend on it.")
    else:
        compare = "above" if paid > nat else "below" if paid < nat else "the same as"
        said.append(
            f"{fmt.percent(paid)} of the network's spend goes on support into paid work: "
            f"{compare} the study's national {fmt.percent(nat)}."
        )
    for name in BREAKDOWNS:
        hidden = pooled[name]["hidden"]
        if hidden:
            said.append(
                f"{BREAKDOWN_TITLES[name]}: {len(hidden)} parts are shown together as "
                "'not shown separately', because too few areas spend on some of them."
            )
    giving = pooled["by_organisation"]["maps_giving_shares"]
    said.append(
        "No shared map gave shares by delivery organisation." if not giving else
        f"{giving} of the {mix['maps']} maps gave shares by delivery organisation; the rest of "
        "their spend is shown as not stated.")
    said.append("The study's report gives no national split of spend by client group or by "
                "delivery organisation, so those are shown for the network alone.")
    return said
