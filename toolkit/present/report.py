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

import importlib
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path

from toolkit.content.caveats import load_caveats
from toolkit.content.paths import data_dir
from toolkit.content.rules import rules
from toolkit.content.sources import cite, full_citation, load_sources, source_id
from toolkit.domain.bands import BANDED_MEASURES, BandSet, average_for, load_bands, read_rows
from toolkit.domain.invest import WhatIf
from toolkit.domain.invest import what_if as make_what_if
from toolkit.domain.results import ServiceResult, group_result
from toolkit.present import formatting as fmt
from toolkit.present import html, view_data
from toolkit.present.vocabulary import (
    all_badges,
    band_set_label,
    judgement_badge,
    measure_label,
)

DEFAULT_TITLE = "Employment support: value for money against the NDTi study"

#: A chart for the report: (title, SVG markup, text summary).
ChartItem = tuple[str, str, str]

#: Rows of data/section7_examples.csv shown as examples of very costly models.
OUTLIER_EXAMPLES = ("supported_workshop", "industrial_therapy_unit")


def report_charts(results: Sequence[ServiceResult]) -> list[ChartItem]:
    """The charts for these results as (title, SVG, summary); [] if the chart module is missing."""
    if not results:
        return []
    try:
        # Altair is optional for the report (--no-charts), so the chart module is found at run time.
        charts = importlib.import_module("toolkit.charts.specs")
    except ImportError:
        return []
    group = group_result(results)
    rendered = charts.render_for_records(group.records, group.band_sets, group.average_group)
    return [(chart.title, chart.svg, chart.summary) for chart in rendered]


# --------------------------------------------------------------------------------------------
# View data: figures formatted in toolkit.present.view_data, so the template only lays it out
# --------------------------------------------------------------------------------------------


def _service_view(result: ServiceResult, band_sets: Sequence[BandSet]) -> dict[str, object]:
    shown = view_data.service_figures(result)
    return {
        "name": shown.name,
        "facts": shown.facts,
        "figures": shown.figures,
        "rate_range": shown.rate_range,
        "split": shown.split,
        "per_100": shown.per_100,
        "sli": shown.sli,
        "comparisons": view_data.comparison_groups(result.comparisons, band_sets),
        "outcome_detail": view_data.outcome_detail_view(result),
        "notes": result.notes,
    }


def _summary_row(result: ServiceResult, headline: BandSet) -> dict[str, object]:
    badges = {}
    for measure in ("cost_per_job_outcome", "job_outcome_rate"):
        c = result.comparison(headline, measure)
        badges[measure] = judgement_badge(c.judgement) if c else None
    return {
        "name": result.name,
        "figures": view_data.KeyFigures.of(result.measures),
        "badges": badges,
    }


def _what_ifs(
    results: Sequence[ServiceResult], what_if: WhatIf | float | None
) -> list[view_data.WhatIfView]:
    if isinstance(what_if, WhatIf):
        return [view_data.what_if_view(what_if, f"A budget of {fmt.money(what_if.budget)}")]
    views = []
    for result in results:
        measures = result.measured
        budget = measures.total_cost if what_if is None else float(what_if)
        own = (
            f"At {result.name}'s own cost per job outcome "
            f"({fmt.money(measures.cost_per_job_outcome)})"
        )
        heading = (
            f"{result.name}: its own budget of {fmt.money(budget)}"
            if what_if is None
            else f"{result.name}: a budget of {fmt.money(budget)}"
        )
        views.append(
            view_data.what_if_view(make_what_if(budget, measures, result.price_base), heading, own)
        )
    if not views and what_if is not None:
        views.append(view_data.what_if_view(make_what_if(float(what_if)), "A budget"))
    return views


def _bands_table() -> list[dict[str, object]]:
    rows = []
    bands = load_bands()
    for measure in BANDED_MEASURES:
        for band_set in BandSet:
            band = bands[(measure, band_set)]
            rows.append(
                {
                    "measure": measure_label(measure),
                    "group": band_set_label(band_set),
                    "band": fmt.band_range(measure, band.low, band.high),
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
                "measure": (
                    measure_label(row["measure"])
                    if row["measure"] in BANDED_MEASURES
                    else row["measure"]
                ),
                "value": value,
                "source": cite(row["source_document"], row["source_table"]),
                "notes": row["notes"],
            }
        )
    return shown


def _sources(chart_count: int, outliers: Iterable[dict[str, str]]) -> list[dict[str, object]]:
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
    return {
        "title": title,
        "src": html.chart_src(svg),
        "alt": f"{title}. {summary}",
        "summary": summary,
    }


def render_report(
    results: Sequence[ServiceResult],
    what_if: WhatIf | float | None = None,
    title: str = DEFAULT_TITLE,
    charts: Sequence[ChartItem] | None = None,
    generated: date | None = None,
) -> str:
    """The report as one self-contained HTML page (no scripts; prints to A4).

    ``results`` are :class:`~toolkit.domain.results.ServiceResult` (see ``service_result``). ``what_if`` is a
    :class:`~toolkit.domain.invest.WhatIf`, a budget in pounds set against each service, or None to
    show what each service's own budget buys. ``charts`` are (title, SVG, summary) tuples;
    None draws them with :func:`report_charts`.
    """
    results = list(results)
    if charts is None:
        charts = report_charts(results)
    group = group_result(results)
    band_sets = group.band_sets
    headline = BandSet.evidence_based if BandSet.evidence_based in band_sets else band_sets[0]
    pooled = view_data.KeyFigures.of(group.pooled) if group.pooled else None
    settings = rules()
    outliers = _outliers()
    generated = generated or date.today()
    context = {
        "title": title,
        "generated": f"{generated.day} {generated:%B %Y}",
        "count": len(results),
        "headline_group": band_set_label(headline),
        "summary": [_summary_row(result, headline) for result in results],
        "pooled": pooled,
        "pooled_prices": group.prices.describe() if group.prices else None,
        "services": [_service_view(result, band_sets) for result in results],
        "bands": _bands_table(),
        "confidence": fmt.percent(settings.comparison.confidence_level, 0),
        "small_service": settings.comparison.small_service_people,
        "charts": [_chart_view(item) for item in charts],
        "what_ifs": _what_ifs(results, what_if),
        "caveats": load_caveats(),
        "outliers": outliers,
        "sources": _sources(len(charts), outliers),
        "badges": all_badges(),
    }
    return html.environment().get_template("report.html").render(**context)


def write_report(
    results: Sequence[ServiceResult],
    path: str | Path,
    what_if: WhatIf | float | None = None,
    title: str = DEFAULT_TITLE,
) -> Path:
    """Render the report and write it to ``path`` as UTF-8."""
    path = Path(path)
    path.write_text(render_report(results, what_if=what_if, title=title), encoding="utf-8")
    return path
