"""The map as plain data (the CLI's JSON, the app, exports) and as sentences a board can read."""

from __future__ import annotations

from typing import Any

from toolkit.present import formatting as fmt
from toolkit.worksheets.spend_map import national
from toolkit.worksheets.spend_map.analysis import (
    MapSummary,
    gaps,
    possible_duplication,
    shares,
    stream_changes,
    stream_kind,
    summarise,
)
from toolkit.worksheets.spend_map.model import SpendMap
from toolkit.worksheets.spend_map.vocab import (
    CLIENT_GROUP_LABELS,
    SUPPORT_TYPE_LABELS,
    ClientGroup,
    SupportType,
)

#: Prices: money is shown as entered, in the prices of the year the user states (no uprating
#: for one map; shares are price-free). Pooled network maps are uprated to one year.
PRICE_SOURCE = "as entered"


def map_price_base(year: str | None, price_year: str | None) -> dict[str, Any]:
    """The price base of a map's money figures: the year whose prices they are in.

    ``price_year`` is the year the user says the figures are in; without it, the figures are
    taken to be in the prices of the year they cover (cash terms). Factor 1: nothing is uprated.
    """
    prices = price_year or year
    stated = price_year is not None
    if prices is None:
        label = "amounts as entered; the year whose prices they are in is not given"
    elif stated:
        label = f"amounts in {prices} prices, as stated"
    else:
        label = f"amounts in {prices} prices (cash terms of the year the figures cover)"
    return {
        "year": prices,
        "factor": 1.0,
        "source": PRICE_SOURCE,
        "method": "stated" if stated else "as_entered",
        "label": label,
    }


def price_base(year: str | None) -> dict[str, Any]:
    """The price base of figures for ``year`` in that year's prices (kept for callers)."""
    return map_price_base(year, None)


def _keyed(amounts: dict) -> dict[str, float]:
    return {str(getattr(key, "value", key)): round(value, 2) for key, value in amounts.items()}


def _shares(amounts: dict, total: float) -> dict[str, float] | None:
    found = shares(amounts, total)
    if found is None:
        return None
    return {str(getattr(key, "value", key)): round(value, 6) for key, value in found.items()}


def summary_result(summary: MapSummary) -> dict[str, Any]:
    """Totals and shares of a summary (one map's or a pool's)."""
    total = summary.total
    paid = summary.by_support_type.get(SupportType.paid_work, 0.0)
    other = summary.by_support_type.get(SupportType.other, 0.0)
    return {
        "year": summary.year,
        "maps": summary.maps,
        "total": round(total, 2),
        "by_support_type": _keyed(summary.by_support_type),
        "by_client_group": _keyed(summary.by_client_group),
        "by_funding_stream": _keyed(summary.by_funding_stream),
        "shares_by_support_type": _shares(summary.by_support_type, total),
        "shares_by_client_group": _shares(summary.by_client_group, total),
        "share_paid_work": round(paid / total, 6) if total > 0 else None,
        "share_other": round(other / total, 6) if total > 0 else None,
    }


def _national() -> dict[str, Any]:
    paid, other = national.paid_work_share(), national.other_share_upper()
    return {
        "share_paid_work": {"value": paid.value, "source": paid.source},
        "share_other_up_to": {"value": other.value, "source": other.source,
                              "applies_to": other.subgroup},
        "mix": [{"label": label, "share": share, "source": source}
                for label, share, source in national.study_mix()],
        "five_year": national.five_year_shares(),
    }


def _streams(spend_map: SpendMap) -> list[dict[str, Any]]:
    years = spend_map.stream_years or ("last year", "this year", "next year")
    rows = []
    for stream in spend_map.streams:
        to_this, to_next = stream_changes(stream)
        kind = stream_kind(stream.stream)
        rows.append({
            "stream": stream.stream,
            "amounts": dict(zip(years, stream.amounts, strict=True)),
            "flag": stream.flag.value if stream.flag else None,
            "change_to_this_year": to_this.value if to_this else None,
            "change_to_next_year": to_next.value if to_next else None,
            "compared_with": kind,
            "national_change": national.budget_change_shares(kind) if kind else None,
        })
    return rows


def map_result(spend_map: SpendMap) -> dict[str, Any]:
    """Everything the map shows, as JSON-ready data (no NaN, no infinity)."""
    summary = summarise(spend_map)
    result = summary_result(summary)
    del result["maps"]
    result = {"area": spend_map.area, "example": spend_map.example, **result}
    result["gaps"] = [
        {"support_type": gap.support_type.value, "client_group": gap.client_group.value,
         "priority": gap.priority}
        for gap in gaps(spend_map.lines)
    ]
    result["possible_duplication"] = [
        {"support_type": d.support_type.value, "client_group": d.client_group.value,
         "streams": d.streams, "providers": d.providers, "amount": round(d.amount, 2)}
        for d in possible_duplication(spend_map.lines)
    ]
    result["lines"] = len(spend_map.lines)
    result["lines_with_figures"] = sum(1 for line in spend_map.lines if line.has_figures)
    result["lines_flag"] = spend_map.lines_flag.value if spend_map.lines_flag else None
    result["collects_numbers_into_work"] = spend_map.collects_numbers_into_work
    result["streams"] = _streams(spend_map)
    result["five_year"] = spend_map.five_year.value if spend_map.five_year else None
    result["organisations"] = {k.value: v for k, v in spend_map.organisations.items()}
    result["organisations_flag"] = (
        spend_map.organisations_flag.value if spend_map.organisations_flag else None
    )
    result["national"] = _national()
    result["price_base"] = map_price_base(spend_map.year, spend_map.price_year)
    result["findings"] = findings(result)
    return result


def type_label(value: str) -> str:
    """A type of support's wording for people."""
    return SUPPORT_TYPE_LABELS[SupportType(value)]


def group_label(value: str) -> str:
    """A client group's wording for people."""
    return CLIENT_GROUP_LABELS[ClientGroup(value)]


def findings(result: dict[str, Any]) -> list[str]:
    """The map in sentences, most important first."""
    said: list[str] = []
    year = f" in {result['year']}" if result.get("year") else ""
    if not result["total"]:
        return ["No spend has been entered yet, so no shares can be worked out."]
    nat = result["national"]
    paid, nat_paid = result["share_paid_work"], nat["share_paid_work"]["value"]
    compare = "above" if paid > nat_paid else "below" if paid < nat_paid else "the same as"
    said.append(
        f"Of {fmt.money(result['total'])} spent{year}, {fmt.percent(paid)} went on support into "
        f"paid work: {compare} the study's national {fmt.percent(nat_paid)}, a share the study "
        "thought low for the route with the best evidence of getting people real jobs."
    )
    other, nat_other = result["share_other"], nat["share_other_up_to"]["value"]
    said.append(
        f"{fmt.percent(other)} is recorded as other or unspecified (the study found up to "
        f"{fmt.percent(nat_other)} for mental health and learning disability services)."
        + (" Naming what this buys would make the map more useful." if other > nat_other else "")
    )
    priority = [g for g in result["gaps"] if g["priority"]]
    for gap in priority:
        said.append(f"Gap: no spend on support into paid work for {group_label(gap['client_group']).lower()}.")
    others = [g for g in result["gaps"] if not g["priority"]]
    if others:
        said.append(f"{len(others)} other type(s) of support have no spend for a client group "
                    "(see the list of gaps).")
    for item in result["possible_duplication"]:
        sources = []
        if len(item["streams"]) > 1:
            sources.append(f"{len(item['streams'])} funding streams ({', '.join(item['streams'])})")
        if len(item["providers"]) > 1:
            sources.append(f"{len(item['providers'])} providers")
        said.append(
            f"Possible duplication, worth checking: {type_label(item['support_type']).lower()} for "
            f"{group_label(item['client_group']).lower()} is funded through {' and '.join(sources)}."
        )
    return said
