"""The printable A4 summary of a spend map: an HTML page with its tables, chart and sources."""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Sequence
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from toolkit.content.sources import cite
from toolkit.present import formatting as fmt
from toolkit.worksheets.spend_map import national
from toolkit.worksheets.spend_map.result import group_label, type_label

TITLE = "Where the money goes: map of spend on employment support"


def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("toolkit.present", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
    )


def _share(value: float | None) -> str:
    return "" if value is None else fmt.percent(value)


def _line_rows(lines: Sequence[Any]) -> list[dict[str, str]]:
    return [
        {"provider": line.provider, "stream": line.funding_stream,
         "type": type_label(line.support_type.value), "group": group_label(line.client_group.value),
         "spend": fmt.money(line.annual_spend),
         "people": "" if line.people_supported is None else fmt.count(line.people_supported),
         "jobs": "" if line.job_outcomes is None else fmt.count(line.job_outcomes)}
        for line in lines
    ]


def render_summary(
    result: dict[str, Any], charts: Sequence[Any] = (), lines: Sequence[Any] = ()
) -> str:
    """The summary page for a map result; ``charts`` are RenderedChart (title, svg, summary),
    ``lines`` the map's provision lines (left out when not given)."""
    shares = result["shares_by_support_type"] or {}
    study = {label: share for label, share, _ in national.study_mix()}
    type_rows = [
        {"label": type_label(key), "amount": fmt.money(amount), "share": _share(shares.get(key)),
         "national": _share(study.get(key))}
        for key, amount in result["by_support_type"].items()
    ]
    group_shares = result["shares_by_client_group"] or {}
    group_rows = [
        {"label": group_label(key), "amount": fmt.money(amount),
         "share": _share(group_shares.get(key))}
        for key, amount in result["by_client_group"].items()
    ]
    gap_rows = [f"{type_label(g['support_type'])}: {group_label(g['client_group']).lower()}"
                for g in result["gaps"]]
    dup_rows = [
        f"{type_label(d['support_type'])} for {group_label(d['client_group']).lower()}: "
        f"streams {', '.join(d['streams'])}; providers {', '.join(d['providers'])}"
        for d in result["possible_duplication"]
    ]
    stream_rows = []
    years: list[str] = []
    for row in result["streams"]:
        years = list(row["amounts"])
        change = row["change_to_next_year"]
        nat = row["national_change"]
        stream_rows.append({
            "stream": row["stream"], "flag": row["flag"],
            "amounts": [fmt.money(v) if v is not None else "not given" for v in row["amounts"].values()],
            "change": change or "not known",
            "national": (f"{fmt.percent(nat[change])} of {row['compared_with']} budgets"
                         if nat and change in nat else "no comparison"),
        })
    sources = sorted({national.paid_work_share().source, national.other_share_upper().source,
                      *(source for _, _, source in national.study_mix()),
                      *(cite("ndti-2014", "Table 2 (Section 4)") for _ in stream_rows[:1])})
    page_charts = [
        {"title": chart.title, "summary": chart.summary,
         "svg_base64": base64.b64encode(chart.svg.encode("utf-8")).decode("ascii")}
        for chart in charts
    ]
    title = TITLE + (" (EXAMPLE)" if result.get("example") else "")
    return _environment().get_template("spend_summary.html").render(
        title=title, result=result, generated=dt.date.today().strftime("%-d %B %Y"),
        type_rows=type_rows, group_rows=group_rows, total=fmt.money(result["total"]),
        gap_rows=gap_rows, dup_rows=dup_rows, stream_rows=stream_rows, stream_years=years,
        sources=sources, charts=page_charts, line_rows=_line_rows(lines),
    )
