"""A board-ready report: one self-contained HTML page that prints cleanly to A4.

The page carries everything inside it: styles inline, charts as SVG data
images, no scripts, fonts or links that fetch anything (a Content-Security-
Policy in the page forbids it too). It says what was measured and how, where
each service sits against the study's bands with the plain-English
judgements, the charts with their text summaries, what a budget buys, the
caveats and the sources. Every figure about the study is read from ``data/``;
every piece of user text is escaped by Jinja2's autoescaping.
"""

from __future__ import annotations

import base64
import importlib
from collections.abc import Iterable, Sequence
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from toolkit.content.caveats import load_caveats
from toolkit.content.paths import data_dir
from toolkit.content.rules import rules
from toolkit.content.sources import cite, full_citation, load_sources, source_id
from toolkit.domain.bands import (
    BAND_SET_LABELS,
    BANDED_MEASURES,
    MEASURE_LABELS,
    BandSet,
    average_for,
    load_bands,
    read_rows,
)
from toolkit.domain.compare import BETTER_DIRECTION
from toolkit.domain.invest import WhatIf
from toolkit.domain.invest import what_if as make_what_if
from toolkit.domain.measures import ServiceMeasures, is_defined, measure_service, pool_services
from toolkit.domain.prices import band_in_prices
from toolkit.domain.record import CLIENT_GROUP_LABELS, ClientGroup, ServiceRecord
from toolkit.present import formatting as fmt
from toolkit.present.outcome_detail_html import outcome_detail_html
from toolkit.present.prices_html import price_base_of

TEMPLATES = Path(__file__).resolve().parent / "templates"
DEFAULT_TITLE = "Employment support: value for money against the NDTi study"

#: A chart for the report: (title, SVG markup, text summary).
ChartItem = tuple[str, str, str]

#: Rows of data/section7_examples.csv shown as examples of very costly models.
OUTLIER_EXAMPLES = ("supported_workshop", "industrial_therapy_unit")

JUDGEMENT_BADGES = {
    "better": ("\u2714", "Better", "better"),
    "similar": ("\u2248", "Similar", "similar"),
    "worse": ("\u2716", "Worse", "worse"),
    "no_judgement": ("\u2013", "Not judged", "nojudge"),
}
POSITION_WORDS = {
    "below": "Below the band",
    "within": "Within the band",
    "above": "Above the band",
}
DIRECTION_WORDS = {
    "lower": "lower is better",
    "higher": "higher is better",
    None: "no better direction",
}


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _record(result: dict[str, Any]) -> ServiceRecord:
    return ServiceRecord.model_validate(result["service"])


def _band_sets_in(results: Sequence[dict[str, Any]]) -> list[BandSet]:
    present = {c["bands"] for result in results for c in result["comparisons"]}
    return [band_set for band_set in BandSet if band_set.value in present] or list(BandSet)


def _client_group_for_charts(records: Sequence[ServiceRecord]) -> str:
    groups = {record.client_group for record in records}
    if len(groups) == 1:
        (group,) = groups
        if group in (ClientGroup.learning_disability, ClientGroup.mental_health):
            return group.value
    return "all"


def report_charts(results: Sequence[dict[str, Any]]) -> list[ChartItem]:
    """The charts for these results as (title, SVG, summary); [] if toolkit.charts.specs is missing."""
    try:
        charts = importlib.import_module("toolkit.charts.specs")
    except ImportError:
        return []
    if not results:
        return []
    records = [_record(result) for result in results]
    rendered = charts.render_for_records(
        records, _band_sets_in(results), _client_group_for_charts(records)
    )
    return [(chart.title, chart.svg, chart.summary) for chart in rendered]


# --------------------------------------------------------------------------------------------
# View data: every figure formatted here, so the template only lays it out
# --------------------------------------------------------------------------------------------


def _badge(judgement: str) -> dict[str, str]:
    symbol, word, css = JUDGEMENT_BADGES[judgement]
    return {"symbol": symbol, "word": word, "css": css}


def _outcomes(value: object) -> str:
    return fmt.count(round(value)) if is_defined(value) else "not meaningful"  # type: ignore[arg-type]


def _key_figures(m: dict[str, Any] | ServiceMeasures) -> dict[str, str]:
    get = m.get if isinstance(m, dict) else lambda key: getattr(m, key)
    rate = get("job_outcome_rate")
    return {
        "total_cost": fmt.money(get("total_cost")),
        "people_supported": fmt.count(get("people_supported")),
        "job_outcomes": fmt.count(get("job_outcomes")),
        "cost_per_person": fmt.money(get("cost_per_person")),
        "cost_per_job_outcome": fmt.money(get("cost_per_job_outcome")),
        "job_outcome_rate": fmt.percent(rate),
    }


def _comparison_rows(result: dict[str, Any], band_set: BandSet) -> list[dict[str, Any]]:
    rows = []
    for measure in BANDED_MEASURES:
        c = next(
            (
                c
                for c in result["comparisons"]
                if c["bands"] == band_set.value and c["measure"] == measure
            ),
            None,
        )
        if c is None:
            continue
        low = fmt.measure_value(measure, c["low"])
        if measure == "cost_per_job_outcome" and c["low"] <= 0:
            low = "\u00a30 (no lower limit)"
        rows.append(
            {
                "measure": MEASURE_LABELS[measure],
                "direction": DIRECTION_WORDS[BETTER_DIRECTION[measure]],
                "value": fmt.measure_value(measure, c["value"]),
                "band": f"{low} to {fmt.measure_value(measure, c['high'])}",
                "mean": fmt.measure_value(measure, c["mean"]),
                "position": POSITION_WORDS.get(c["position"] or "", "Cannot be placed"),
                "badge": _badge(c["judgement"]),
                "text": c["text"],
            }
        )
    return rows


def _service_view(result: dict[str, Any], band_sets: Sequence[BandSet]) -> dict[str, Any]:
    service, m = result["service"], result["measures"]
    split, per_100 = m["outcome_split"], m["per_100_supported"]
    facts = []
    if service.get("year"):
        facts.append(("Year", service["year"]))
    if result.get("price_base"):
        facts.append(("Prices", result["price_base"]["label"]))
    if service.get("client_group"):
        facts.append(("Client group", CLIENT_GROUP_LABELS[ClientGroup(service["client_group"])]))
    if service.get("support_model"):
        facts.append(("Support model", service["support_model"]))
    rate_interval = next(
        (
            c["interval"]
            for c in result["comparisons"]
            if c["measure"] == "job_outcome_rate" and c["interval"]
        ),
        None,
    )
    return {
        "name": service["name"],
        "facts": facts,
        "figures": _key_figures(m),
        "rate_range": (
            f"{fmt.percent(rate_interval['low'])} to {fmt.percent(rate_interval['high'])}"
            if rate_interval
            else None
        ),
        "split": (
            f"{fmt.percent(split['new_jobs'], 0)} new jobs, "
            f"{fmt.percent(split['jobs_retained'], 0)} retained, "
            f"{fmt.percent(split['self_employed'], 0)} self-employed"
            if split["new_jobs"] is not None
            else "no job outcomes to split"
        ),
        "per_100": (
            f"{fmt.count(per_100['new_jobs'])} new jobs, {fmt.count(per_100['jobs_retained'])} "
            f"retained, {fmt.count(per_100['self_employed'])} self-employed"
        ),
        "sli": fmt.index(m["support_level_index"])
        if m["support_level_index"] is not None
        else None,
        "comparisons": [
            {"group": BAND_SET_LABELS[band_set], "rows": _comparison_rows(result, band_set)}
            for band_set in band_sets
            if any(c["bands"] == band_set.value for c in result["comparisons"])
        ],
        "outcome_detail": Markup(outcome_detail_html(result)),  # already escaped
        "notes": result["notes"],
    }


def _summary_row(result: dict[str, Any], headline: BandSet) -> dict[str, Any]:
    badges = {}
    for measure in ("cost_per_job_outcome", "job_outcome_rate"):
        c = next(
            (
                c
                for c in result["comparisons"]
                if c["bands"] == headline.value and c["measure"] == measure
            ),
            None,
        )
        badges[measure] = _badge(c["judgement"]) if c else None
    return {
        "name": result["service"]["name"],
        "figures": _key_figures(result["measures"]),
        "badges": badges,
    }


def _what_if_view(result: WhatIf, heading: str, own_label: str | None) -> dict[str, Any]:
    rows = []
    if own_label is not None:
        rows.append({"label": own_label, "cells": [_outcomes(result.at_own_cost)], "own": True})
    for band_set, points in result.at_bands.items():
        band = band_in_prices(load_bands()[("cost_per_job_outcome", band_set)], result.price_base)
        cells = []
        for point, value in points.items():
            cost = getattr(band, point)
            price = "no lower limit" if cost <= 0 else fmt.money(cost)
            cells.append(f"{_outcomes(value)} (at {price})")
        rows.append({"label": BAND_SET_LABELS[band_set], "cells": cells, "own": False})
    return {
        "heading": heading,
        "budget": fmt.money(result.budget),
        "rows": rows,
        "text": result.text,
        "caveats": result.caveats,
    }


def _what_ifs(
    results: Sequence[dict[str, Any]], what_if: WhatIf | float | None
) -> list[dict[str, Any]]:
    if isinstance(what_if, WhatIf):
        return [_what_if_view(what_if, f"A budget of {fmt.money(what_if.budget)}", None)]
    views = []
    for result in results:
        measures = measure_service(_record(result))
        budget = measures.total_cost if what_if is None else float(what_if)
        own = (
            f"At {result['service']['name']}'s own cost per job outcome "
            f"({fmt.money(measures.cost_per_job_outcome)})"
        )
        heading = (
            f"{result['service']['name']}: its own budget of {fmt.money(budget)}"
            if what_if is None
            else f"{result['service']['name']}: a budget of {fmt.money(budget)}"
        )
        prices = price_base_of(result)
        views.append(_what_if_view(make_what_if(budget, measures, prices), heading, own))
    if not views and what_if is not None:
        views.append(_what_if_view(make_what_if(float(what_if)), "A budget", None))
    return views


def _bands_table() -> list[dict[str, Any]]:
    rows = []
    bands = load_bands()
    for measure in BANDED_MEASURES:
        for band_set in BandSet:
            band = bands[(measure, band_set)]
            low = fmt.measure_value(measure, band.low)
            if measure == "cost_per_job_outcome" and band.low <= 0:
                low = "\u00a30 (no lower limit)"
            rows.append(
                {
                    "measure": MEASURE_LABELS[measure],
                    "group": BAND_SET_LABELS[band_set],
                    "band": f"{low} to {fmt.measure_value(measure, band.high)}",
                    "mean": fmt.measure_value(measure, band.mean),
                    "range": (
                        f"{fmt.measure_value(measure, band.range_min)} to "
                        f"{fmt.measure_value(measure, band.range_max)}"
                    ),
                    "services": band.services,
                    "source": cite(band.source_document, band.source_table),
                }
            )
    return rows


def _outliers() -> list[dict[str, str]]:
    rows = read_rows(data_dir() / "section7_examples.csv")
    by_id = {row["example_id"]: row for row in rows}
    shown = []
    for example_id in OUTLIER_EXAMPLES:
        row = by_id.get(example_id)
        if row is None:
            continue
        value = fmt.measure_value(row["measure"], float(row["value_low"]))
        if row["value_high"]:
            value += f" to {fmt.measure_value(row['measure'], float(row['value_high']))}"
        shown.append(
            {
                "description": row["description"],
                "measure": MEASURE_LABELS.get(row["measure"], row["measure"]),
                "value": value,
                "source": cite(row["source_document"], row["source_table"]),
                "notes": row["notes"],
            }
        )
    return shown


def _sources(chart_count: int, outliers: Iterable[dict[str, str]]) -> list[dict[str, Any]]:
    """Every source the report's figures rest on, from the register, with the places used."""
    used: dict[str, set[str]] = {}

    def add(document: str, where: str, what: str) -> None:
        key = source_id(document) or document
        used.setdefault(key, set()).add(f"{where} ({what})")

    for band in load_bands().values():
        add(band.source_document, band.source_table, "the bands")
    for row in read_rows(data_dir() / "section7_examples.csv"):
        if row["example_id"] in OUTLIER_EXAMPLES:
            add(row["source_document"], row["source_table"], "examples of costly models")
    if chart_count:
        for client_group in ("all", "learning_disability", "mental_health"):
            for measure in ("share_new_jobs", "share_jobs_retained", "share_self_employed"):
                average = average_for(client_group, measure)
                if average is not None:
                    add(average.source_document, average.source_table, "the averages")
    for caveat in load_caveats():
        add(caveat.source.source_id or caveat.source.document, caveat.source.section, "caveats")
    add("ons-gdp-deflator", "quarterly series, averaged over each financial year", "prices")
    register = load_sources()
    return [
        {
            "document": register[key].short if key in register else cite(key),
            "title": full_citation(key),
            "places": sorted(places),
        }
        for key, places in sorted(used.items())
    ]


def _chart_view(item: ChartItem) -> dict[str, str]:
    title, svg, summary = item
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return {
        "title": title,
        "src": f"data:image/svg+xml;base64,{data}",
        "alt": f"{title}. {summary}",
        "summary": summary,
    }


def render_report(
    results: Sequence[dict[str, Any]],
    what_if: WhatIf | float | None = None,
    title: str = DEFAULT_TITLE,
    charts: Sequence[ChartItem] | None = None,
    generated: date | None = None,
) -> str:
    """The report as one self-contained HTML page (no scripts; prints to A4).

    ``results`` are :func:`toolkit.domain.results.service_result` dictionaries. ``what_if`` is a
    :class:`~toolkit.domain.invest.WhatIf`, a budget in pounds set against each service, or None to
    show what each service's own budget buys. ``charts`` are (title, SVG, summary) tuples;
    None draws them with :func:`report_charts`.
    """
    results = list(results)
    if charts is None:
        charts = report_charts(results)
    band_sets = _band_sets_in(results)
    headline = BandSet.evidence_based if BandSet.evidence_based in band_sets else band_sets[0]
    pooled = None
    if len(results) > 1:
        pooled = _key_figures(pool_services(_record(result) for result in results))
    settings = rules()
    outliers = _outliers()
    generated = generated or date.today()
    context = {
        "title": title,
        "generated": f"{generated.day} {generated:%B %Y}",
        "count": len(results),
        "headline_group": BAND_SET_LABELS[headline],
        "summary": [_summary_row(result, headline) for result in results],
        "pooled": pooled,
        "services": [_service_view(result, band_sets) for result in results],
        "bands": _bands_table(),
        "confidence": fmt.percent(settings.comparison.confidence_level, 0),
        "small_service": settings.comparison.small_service_people,
        "charts": [_chart_view(item) for item in charts],
        "what_ifs": _what_ifs(results, what_if),
        "caveats": load_caveats(),
        "outliers": outliers,
        "sources": _sources(len(charts), outliers),
        "badges": [_badge(key) for key in JUDGEMENT_BADGES],
    }
    return _environment().get_template("report.html").render(**context)


def write_report(
    results: Sequence[dict[str, Any]],
    path: str | Path,
    what_if: WhatIf | float | None = None,
    title: str = DEFAULT_TITLE,
) -> Path:
    """Render the report and write it to ``path`` as UTF-8."""
    path = Path(path)
    path.write_text(render_report(results, what_if=what_if, title=title), encoding="utf-8")
    return path
