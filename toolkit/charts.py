"""Altair charts built from measures and bands, and their text summaries.

No measure is computed here: charts take :class:`ServiceMeasures` and the
published bands and only arrange them. Colours are the Okabe-Ito palette
(safe for the common forms of colour blindness) and every series also differs
by shape or line style, so colour is never the only cue. ``chart_svg`` renders
offline with vl-convert; nothing is fetched from the internet.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence
from dataclasses import dataclass

import altair as alt

from toolkit.bands import (
    BAND_SET_LABELS,
    BANDED_MEASURES,
    MEASURE_LABELS,
    BandSet,
    average_for,
    band_for,
)
from toolkit.compare import Comparison, compare_measures
from toolkit.formatting import measure_value, money, percent
from toolkit.measures import ServiceMeasures, is_defined

#: Okabe-Ito colours (Okabe & Ito 2008), chosen to stay distinct with colour blindness.
OKABE_ITO = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]
SHAPES = ["circle", "square", "triangle-up", "diamond", "cross", "triangle-down", "wedge", "stroke"]
BAND_COLOURS = {BandSet.evidence_based: "#009E73", BandSet.all_sites: "#999999"}
BAND_DASH = {BandSet.evidence_based: [1, 0], BandSet.all_sites: [6, 3]}
FONT = "DejaVu Sans, Arial, Helvetica, sans-serif"
WIDTH = 560

DIRECTION_NOTE = {
    "cost_per_person": "no better direction",
    "cost_per_job_outcome": "lower is better \u2190",
    "job_outcome_rate": "higher is better \u2192",
}
SPLIT_LABELS = {
    "new_jobs": "New job",
    "jobs_retained": "Retained job",
    "self_employed": "Self-employed",
}


@dataclass(frozen=True)
class Entry:
    """One service (or pooled group) to draw."""

    label: str
    measures: ServiceMeasures


@dataclass(frozen=True)
class RenderedChart:
    """A chart ready to show: title, SVG markup and its text summary."""

    key: str
    title: str
    svg: str
    summary: str

    def img_tag(self) -> str:
        """An <img> with the SVG as a data URI and the summary as its alternative text."""
        data = base64.b64encode(self.svg.encode("utf-8")).decode("ascii")
        alt_text = html.escape(f"{self.title}. {self.summary}", quote=True)
        return (
            f'<img class="toolkit-chart" src="data:image/svg+xml;base64,{data}" alt="{alt_text}" '
            'style="max-width:100%;height:auto">'
        )


def _style(
    chart: alt.TopLevelMixin, title: str, subtitle: str, description: str
) -> alt.TopLevelMixin:
    return (
        chart.properties(
            title=alt.TitleParams(title, subtitle=subtitle, anchor="start", fontSize=16),
            description=description,
        )
        .configure(font=FONT)
        .configure_axis(labelFontSize=12, titleFontSize=13)
        .configure_legend(labelFontSize=12, titleFontSize=12, orient="bottom")
        .configure_view(stroke=None)
    )


def _band_rows(measure: str, band_sets: Sequence[BandSet]) -> list[dict]:
    rows = []
    for band_set in band_sets:
        band = band_for(measure, band_set)
        rows.append(
            {
                "group": f"Study: {BAND_SET_LABELS[band_set]}",
                "band_set": band_set.value,
                "low": band.low,
                "mean": band.mean,
                "high": band.high,
                "range_min": band.range_min,
                "range_max": band.range_max,
            }
        )
    return rows


def _service_rows(measure: str, entries: Sequence[Entry]) -> list[dict]:
    rows = []
    for position, entry in enumerate(entries):
        value = getattr(entry.measures, measure)
        if not is_defined(value):
            continue
        comparison = compare_measures(entry.measures, BandSet.evidence_based)
        interval = next(c.interval for c in comparison if c.measure == measure)
        rows.append(
            {
                "service": entry.label,
                "order": position,
                "value": value,
                "interval_low": interval.low if interval else value,
                "interval_high": (
                    interval.high if interval and interval.high is not None else value
                ),
                "shown": measure_value(measure, value),
            }
        )
    return rows


MONEY_LABEL = "'\u00a3' + format(datum.value, ',.0f')"


def _x_axis(measure: str, title: str) -> alt.Axis:
    if measure == "job_outcome_rate":
        return alt.Axis(format=".0%", title=title)
    return alt.Axis(labelExpr=MONEY_LABEL, title=title)


def _axis_format(measure: str) -> dict:
    if measure == "job_outcome_rate":
        return {"format": ".0%", "title": "Job outcome rate (% of people supported)"}
    return {"format": None, "title": f"{MEASURE_LABELS[measure]} (\u00a3)"}


def _measure_panel(
    measure: str, entries: Sequence[Entry], band_sets: Sequence[BandSet]
) -> alt.LayerChart:
    bands = alt.Data(values=_band_rows(measure, band_sets))
    services = _service_rows(measure, entries)
    axis = _axis_format(measure)
    upper = max(
        [row["high"] for row in _band_rows(measure, band_sets)]
        + [row["interval_high"] for row in services]
        + [0]
    )
    scale = alt.Scale(domain=[0, upper * 1.08 if upper else 1], nice=False, clamp=True)
    x = alt.X("low:Q", scale=scale, axis=_x_axis(measure, axis["title"]))
    rows = [row["group"] for row in _band_rows(measure, band_sets)] + [
        r["service"] for r in services
    ]
    y = alt.Y("group:N", title=None, scale=alt.Scale(domain=rows), axis=alt.Axis(labelLimit=260))
    band_bar = (
        alt.Chart(bands)
        .mark_bar(opacity=0.35)
        .encode(
            x=x,
            x2="high:Q",
            y=y,
            color=alt.Color(
                "group:N",
                scale=alt.Scale(
                    domain=[f"Study: {BAND_SET_LABELS[b]}" for b in band_sets],
                    range=[BAND_COLOURS[b] for b in band_sets],
                ),
                legend=None,
            ),
            tooltip=[
                alt.Tooltip("group:N", title="Group"),
                alt.Tooltip("low:Q", title="Mean minus 1 SD"),
                alt.Tooltip("mean:Q", title="Mean"),
                alt.Tooltip("high:Q", title="Mean plus 1 SD"),
            ],
        )
    )
    mean_tick = (
        alt.Chart(bands)
        .mark_tick(thickness=3, color="#000000")
        .encode(x=alt.X("mean:Q", scale=scale), y=y)
    )
    layers: list[alt.Chart] = [band_bar, mean_tick]
    if services:
        data = alt.Data(values=services)
        service_y = alt.Y("service:N", title=None, scale=alt.Scale(domain=rows))
        interval = (
            alt.Chart(data)
            .mark_rule(strokeWidth=2, color="#000000")
            .encode(x=alt.X("interval_low:Q", scale=scale), x2="interval_high:Q", y=service_y)
        )
        point = (
            alt.Chart(data)
            .mark_point(size=120, filled=True, opacity=1)
            .encode(
                x=alt.X("value:Q", scale=scale),
                y=service_y,
                color=alt.Color(
                    "service:N",
                    scale=alt.Scale(range=OKABE_ITO),
                    legend=None,
                    sort=alt.SortField("order"),
                ),
                shape=alt.Shape(
                    "service:N",
                    scale=alt.Scale(range=SHAPES),
                    legend=None,
                    sort=alt.SortField("order"),
                ),
                tooltip=[
                    alt.Tooltip("service:N", title="Service"),
                    alt.Tooltip("shown:N", title="Value"),
                ],
            )
        )
        label = (
            alt.Chart(data)
            .mark_text(align="left", dx=9, dy=-10, fontSize=12)
            .encode(x=alt.X("value:Q", scale=scale), y=service_y, text="shown:N")
        )
        layers += [interval, point, label]
    return (
        alt.layer(*layers)
        .resolve_scale(color="independent", shape="independent")
        .properties(
            width=WIDTH,
            height=34 * len(rows),
            title=alt.TitleParams(
                f"{MEASURE_LABELS[measure]} ({DIRECTION_NOTE[measure]})",
                anchor="start",
                fontSize=14,
            ),
        )
    )


def band_chart(entries: Sequence[Entry], band_sets: Sequence[BandSet | str]) -> alt.VConcatChart:
    """Spine chart: bands (mean +/- 1 SD, mean marked) with each service and its likely range."""
    band_sets = [BandSet(b) for b in band_sets]
    panels = [_measure_panel(measure, entries, band_sets) for measure in BANDED_MEASURES]
    chart = alt.vconcat(*panels, spacing=28)
    return _style(
        chart,
        "Where the service sits against the study's bands",
        "Shaded bar: mean \u00b1 1 standard deviation; black tick: mean; "
        "point and line: the service and its likely range (95%)",
        band_chart_summary(entries, band_sets),
    )


def band_chart_summary(entries: Sequence[Entry], band_sets: Sequence[BandSet | str]) -> str:
    """The band chart in words: each service's figures and position."""
    sentences = []
    for entry in entries:
        parts = []
        for band_set in band_sets:
            for comparison in compare_measures(entry.measures, band_set):
                parts.append(_position_phrase(comparison))
        sentences.append(f"{entry.label}: " + "; ".join(parts) + ".")
    return " ".join(sentences) or "No service figures yet."


def _position_phrase(comparison: Comparison) -> str:
    label = MEASURE_LABELS[comparison.measure].lower()
    group = BAND_SET_LABELS[comparison.bands]
    if comparison.position is None:
        return f"{label} not defined"
    value = measure_value(comparison.measure, comparison.value)
    return f"{label} {value}, {comparison.position.value} the range for {group}"


def cost_rate_chart(entries: Sequence[Entry], band_sets: Sequence[BandSet | str]) -> alt.LayerChart:
    """Cost per person against job outcome rate, with lines of equal cost per job outcome.

    Cost per person = cost per job outcome x job outcome rate, so each line of
    equal cost per job outcome is straight through the origin.
    """
    band_sets = [BandSet(b) for b in band_sets]
    max_rate = 1.0
    lines, boxes = [], []
    equal_cost: list[float] = []
    for band_set in band_sets:
        cost_band = band_for("cost_per_job_outcome", band_set)
        for point, dash_label in (("low", "low"), ("mean", "mean"), ("high", "high")):
            cost_per_job = getattr(cost_band, point)
            if cost_per_job <= 0:
                continue
            name = f"{BAND_SET_LABELS[band_set]}: {money(cost_per_job)} per job ({dash_label})"
            equal_cost.append(cost_per_job)
            for rate in (0.0, max_rate):
                lines.append(
                    {
                        "line": name,
                        "rate": rate,
                        "cost": cost_per_job * rate,
                        "band_set": band_set.value,
                    }
                )
        person = band_for("cost_per_person", band_set)
        rate_band = band_for("job_outcome_rate", band_set)
        boxes.append(
            {
                "group": f"Study: {BAND_SET_LABELS[band_set]} (\u00b1 1 SD)",
                "rate_low": rate_band.low,
                "rate_high": rate_band.high,
                "cost_low": person.low,
                "cost_high": person.high,
            }
        )
    services = [
        {
            "service": entry.label,
            "order": position,
            "rate": entry.measures.job_outcome_rate,
            "cost": entry.measures.cost_per_person,
            "shown": f"{entry.label}: {money(entry.measures.cost_per_person)} per person, "
            f"{percent(entry.measures.job_outcome_rate)}",
        }
        for position, entry in enumerate(entries)
        if is_defined(entry.measures.cost_per_person)
    ]
    top = (
        max([box["cost_high"] for box in boxes] + [row["cost"] for row in services] + [1000]) * 1.1
    )
    x_scale = alt.Scale(domain=[0, 1], nice=False)
    y_scale = alt.Scale(domain=[0, top], nice=False, clamp=True)
    x_axis = alt.Axis(format=".0%", title="Job outcome rate (% of people supported)")
    y_axis = alt.Axis(labelExpr=MONEY_LABEL, title="Cost per person supported (\u00a3)")
    box_layer = (
        alt.Chart(alt.Data(values=boxes))
        .mark_rect(opacity=0.18, stroke="#000000", strokeDash=[2, 2])
        .encode(
            x=alt.X("rate_low:Q", scale=x_scale, axis=x_axis),
            x2="rate_high:Q",
            y=alt.Y("cost_low:Q", scale=y_scale, axis=y_axis),
            y2="cost_high:Q",
            color=alt.Color(
                "group:N",
                scale=alt.Scale(
                    domain=[box["group"] for box in boxes],
                    range=[BAND_COLOURS[b] for b in band_sets],
                ),
                title="Study band",
                legend=alt.Legend(labelLimit=360, direction="vertical"),
            ),
        )
    )
    line_layer = (
        alt.Chart(alt.Data(values=lines))
        .mark_line(clip=True, strokeWidth=1.5, color="#555555")
        .encode(
            x=alt.X("rate:Q", scale=x_scale),
            y=alt.Y("cost:Q", scale=y_scale),
            detail="line:N",
            strokeDash=alt.StrokeDash(
                "band_set:N",
                scale=alt.Scale(domain=[b.value for b in BandSet], range=[[1, 0], [6, 3]]),
                legend=None,
            ),
            tooltip=alt.Tooltip("line:N", title="Equal cost per job outcome"),
        )
    )
    line_labels = [
        {
            "rate": min(1.0, 0.97 * top / cost),
            "cost": cost * min(1.0, 0.97 * top / cost),
            "text": f"{measure_value('cost_per_job_outcome', cost)} per job",
        }
        for cost in equal_cost
    ]
    label_layer = (
        alt.Chart(alt.Data(values=line_labels))
        .mark_text(align="right", dx=-4, dy=-7, fontSize=11, color="#333333")
        .encode(x=alt.X("rate:Q", scale=x_scale), y=alt.Y("cost:Q", scale=y_scale), text="text:N")
    )
    layers = [box_layer, line_layer, label_layer]
    if services:
        data = alt.Data(values=services)
        layers.append(
            alt.Chart(data)
            .mark_point(size=160, filled=True, opacity=1)
            .encode(
                x=alt.X("rate:Q", scale=x_scale),
                y=alt.Y("cost:Q", scale=y_scale),
                color=alt.Color(
                    "service:N",
                    scale=alt.Scale(range=OKABE_ITO),
                    legend=None,
                    sort=alt.SortField("order"),
                ),
                shape=alt.Shape(
                    "service:N",
                    scale=alt.Scale(range=SHAPES),
                    legend=None,
                    sort=alt.SortField("order"),
                ),
                tooltip=alt.Tooltip("shown:N", title="Service"),
            )
        )
        layers.append(
            alt.Chart(data)
            .mark_text(align="left", dx=10, dy=-10, fontSize=12)
            .encode(
                x=alt.X("rate:Q", scale=x_scale), y=alt.Y("cost:Q", scale=y_scale), text="service:N"
            )
        )
    chart = (
        alt.layer(*layers)
        .resolve_scale(color="independent", shape="independent")
        .properties(width=WIDTH, height=360)
    )
    return _style(
        chart,
        "Cost per person against job outcome rate",
        "Grey lines: equal cost per job outcome at the study's bands (solid: evidence-based, "
        "dashed: all services); boxes: the bands' ranges",
        cost_rate_summary(entries),
    )


def cost_rate_summary(entries: Sequence[Entry]) -> str:
    """The cost and rate chart in words."""
    evidence = band_for("cost_per_job_outcome", BandSet.evidence_based)
    sentences = []
    for entry in entries:
        m = entry.measures
        if not is_defined(m.cost_per_job_outcome):
            sentences.append(
                f"{entry.label} spends {money(m.cost_per_person)} per person with no job outcomes, "
                "so it sits on the cost axis."
            )
            continue
        side = "below" if m.cost_per_job_outcome <= evidence.mean else "above"
        sentences.append(
            f"{entry.label} spends {money(m.cost_per_person)} per person with a job outcome "
            f"rate of {percent(m.job_outcome_rate)}, which puts it {side} the line for the "
            f"evidence-based average cost per job outcome of {money(evidence.mean)}"
            f" ({'a lower' if side == 'below' else 'a higher'} cost per job outcome)."
        )
    return " ".join(sentences) or "No service figures yet."


def split_rows(entries: Sequence[Entry], client_group: str) -> list[dict]:
    """Rows for the outcome split chart: each service, then the study's average."""
    rows = []
    for position, entry in enumerate(entries):
        for key, share in entry.measures.outcome_split.items():
            if is_defined(share):
                rows.append(
                    {
                        "who": entry.label,
                        "order": position,
                        "outcome": SPLIT_LABELS[key],
                        "share": share,
                    }
                )
    study_label = f"Study average: {client_group_label(client_group)}"
    for key, measure in (
        ("new_jobs", "share_new_jobs"),
        ("jobs_retained", "share_jobs_retained"),
        ("self_employed", "share_self_employed"),
    ):
        average = average_for(client_group, measure)
        if average is not None:
            rows.append(
                {
                    "who": study_label,
                    "order": len(entries),
                    "outcome": SPLIT_LABELS[key],
                    "share": average.value,
                }
            )
    return rows


def client_group_label(client_group: str) -> str:
    return {
        "all": "all services",
        "learning_disability": "learning disability services",
        "mental_health": "mental health services",
    }.get(client_group, "all services")


def split_chart(entries: Sequence[Entry], client_group: str = "all") -> alt.Chart:
    """Shares of job outcomes (new, retained, self-employed) beside the study's average."""
    rows = split_rows(entries, client_group)
    order = list(SPLIT_LABELS.values())
    base = alt.Chart(alt.Data(values=rows)).encode(
        y=alt.Y("who:N", title=None, sort=alt.SortField("order"), axis=alt.Axis(labelLimit=260)),
    )
    bars = (
        base.mark_bar(height=22, stroke="#ffffff", strokeWidth=1)
        .encode(
            x=alt.X(
                "share:Q",
                stack="zero",
                axis=alt.Axis(format=".0%", title="Share of job outcomes (%)"),
                scale=alt.Scale(domain=[0, 1]),
            ),
            color=alt.Color(
                "outcome:N",
                scale=alt.Scale(domain=order, range=["#0072B2", "#E69F00", "#CC79A7"]),
                sort=order,
                title="Outcome",
            ),
            order=alt.Order("outcome_order:Q"),
            tooltip=[
                alt.Tooltip("who:N", title="Who"),
                alt.Tooltip("outcome:N"),
                alt.Tooltip("share:Q", format=".0%"),
            ],
        )
        .transform_calculate(outcome_order=f"indexof({order!r}, datum.outcome)")
    )
    labels = (
        base.mark_text(color="#000000", fontSize=11, align="center")
        .encode(
            x=alt.X("mid:Q", scale=alt.Scale(domain=[0, 1])),
            text=alt.Text("label:N"),
        )
        .transform_calculate(
            outcome_order=f"indexof({order!r}, datum.outcome)",
        )
        .transform_window(
            cumulative="sum(share)", groupby=["who"], sort=[alt.SortField("outcome_order")]
        )
        .transform_calculate(
            mid="datum.cumulative - datum.share / 2",
            label="datum.share >= 0.08 ? "
            "substring(datum.outcome, 0, 3) + ' ' + format(datum.share, '.0%') : ''",
        )
    )
    chart = alt.layer(bars, labels).properties(width=WIDTH, height=alt.Step(34))
    return _style(
        chart,
        "What kind of job outcomes",
        "New jobs, jobs kept and self-employment as shares of all job outcomes",
        split_summary(entries, client_group),
    )


def split_summary(entries: Sequence[Entry], client_group: str = "all") -> str:
    """The outcome split chart in words."""
    sentences = []
    for entry in entries:
        split = entry.measures.outcome_split
        if not is_defined(split["new_jobs"]):
            sentences.append(f"{entry.label} had no job outcomes to split.")
            continue
        sentences.append(
            f"{entry.label}: {percent(split['new_jobs'], 0)} new jobs, "
            f"{percent(split['jobs_retained'], 0)} retained, "
            f"{percent(split['self_employed'], 0)} self-employed."
        )
    new = average_for(client_group, "share_new_jobs")
    kept = average_for(client_group, "share_jobs_retained")
    own = average_for(client_group, "share_self_employed")
    if new and kept and own:
        sentences.append(
            f"The study's average for {client_group_label(client_group)} was "
            f"{percent(new.value, 0)} new, "
            f"{percent(kept.value, 0)} retained and {percent(own.value, 0)} self-employed "
            f"({new.source_table})."
        )
    return " ".join(sentences)


def chart_svg(chart: alt.TopLevelMixin) -> str:
    """Render a chart to SVG offline (vl-convert bundles Vega; no network)."""
    import vl_convert as vlc  # imported here: heavy, and only needed to draw

    return vlc.vegalite_to_svg(chart.to_dict(validate=False))


def chart_png(chart: alt.TopLevelMixin, scale: float = 2.0) -> bytes:
    """Render a chart to PNG offline, at ``scale`` times its size (sharp on a projector)."""
    import vl_convert as vlc

    return vlc.vegalite_to_png(chart.to_dict(validate=False), scale=scale)


def render_all(
    entries: Sequence[Entry], band_sets: Sequence[BandSet | str], client_group: str = "all"
) -> list[RenderedChart]:
    """All three charts as SVG with their titles and summaries."""
    charts = [
        (
            "bands",
            "Where the service sits against the study's bands",
            band_chart(entries, band_sets),
            band_chart_summary(entries, band_sets),
        ),
        (
            "cost_rate",
            "Cost per person against job outcome rate",
            cost_rate_chart(entries, band_sets),
            cost_rate_summary(entries),
        ),
        (
            "split",
            "What kind of job outcomes",
            split_chart(entries, client_group),
            split_summary(entries, client_group),
        ),
    ]
    return [
        RenderedChart(key, title, chart_svg(chart), summary)
        for key, title, chart, summary in charts
    ]


def warm_up() -> None:
    """Load the chart renderer before a page is requested (kernel preheating)."""
    chart_svg(alt.Chart(alt.Data(values=[{"x": 1}])).mark_point().encode(x="x:Q"))
