"""Altair charts built from measures and bands, and their text summaries.

No measure is computed here: charts take :class:`ServiceMeasures` and the
published bands and only arrange them. Colours are the Okabe-Ito palette
(safe for the common forms of colour blindness) and every series also differs
by shape or line style, so colour is never the only cue. ``chart_svg`` renders
offline with vl-convert; nothing is fetched from the internet.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import altair as alt

from toolkit.charts.data import Entry, RenderedChart, entries_for
from toolkit.domain.bands import (
    BAND_SET_LABELS,
    BANDED_MEASURES,
    MEASURE_LABELS,
    BandSet,
    average_for,
    band_for,
)
from toolkit.domain.compare import Comparison, compare_measures
from toolkit.domain.measures import is_defined
from toolkit.domain.record import ServiceRecord
from toolkit.present.formatting import measure_value, money, percent

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


def _service_identity() -> dict[str, alt.Color | alt.Shape]:
    """Each service's colour and shape, in entry order: two cues, never colour alone."""
    return {
        "color": alt.Color(
            "service:N", scale=alt.Scale(range=OKABE_ITO), legend=None, sort=alt.SortField("order")
        ),
        "shape": alt.Shape(
            "service:N", scale=alt.Scale(range=SHAPES), legend=None, sort=alt.SortField("order")
        ),
    }


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
                **_service_identity(),
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
    return f"{label} {value}, {comparison.position.value} the band for {group}"


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
                **_service_identity(),
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


def _draw(spec: dict, fmt: str, scale: float = 2.0) -> bytes:
    """Draw with the shared service when it answers, else with vl-convert in this process."""
    from toolkit.charts import service as render_service

    if os.environ.get("TOOLKIT_RENDER_IN_PROCESS") != "1":
        try:
            return render_service.request({"format": fmt, "spec": spec, "scale": scale})
        except (OSError, RuntimeError):
            pass
    import vl_convert as vlc  # heavy: only when the shared service is not there

    if fmt == "png":
        return vlc.vegalite_to_png(spec, scale=scale)
    return vlc.vegalite_to_svg(spec).encode("utf-8")


def chart_svg(chart: alt.TopLevelMixin) -> str:
    """Render a chart to SVG offline (vl-convert bundles Vega; no network)."""
    return _draw(chart.to_dict(validate=False), "svg").decode("utf-8")


def chart_png(chart: alt.TopLevelMixin, scale: float = 2.0) -> bytes:
    """Render a chart to PNG offline, at ``scale`` times its size (sharp on a projector)."""
    return _draw(chart.to_dict(validate=False), "png", scale)


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


def render_for_records(
    records: Sequence[ServiceRecord],
    band_sets: Sequence[BandSet | str],
    client_group: str = "all",
) -> list[RenderedChart]:
    """The three self-benchmark charts for these services (and their pooled group)."""
    return render_all(entries_for(records), band_sets, client_group)


def figures_for_records(
    records: Sequence[ServiceRecord],
    band_sets: Sequence[BandSet | str],
    client_group: str = "all",
) -> list[tuple[str, alt.TopLevelMixin]]:
    """The three self-benchmark charts as Altair charts, by key (for PNG export)."""
    entries = entries_for(records)
    return [
        ("bands", band_chart(entries, band_sets)),
        ("cost_rate", cost_rate_chart(entries, band_sets)),
        ("split", split_chart(entries, client_group)),
    ]


def warm_up() -> None:
    """Make sure the chart renderer is ready before a page is requested (kernel preheating).

    Starts the shared drawing service if it is not running (see
    :mod:`toolkit.charts.service`); if it cannot start, loads vl-convert here instead.
    """
    from toolkit.charts import service as render_service

    if os.environ.get("TOOLKIT_RENDER_IN_PROCESS") == "1" or not render_service.ensure_running():
        os.environ["TOOLKIT_RENDER_IN_PROCESS"] = "1"
    chart_svg(alt.Chart(alt.Data(values=[{"x": 1}])).mark_point().encode(x="x:Q"))


# --------------------------------------------------------------------------------------------
# Turning the curve: history, the forecast if nothing changes, the target and the study's band
# --------------------------------------------------------------------------------------------

CURVE_COLOURS = {"history": "#0072B2", "forecast": "#D55E00", "target": "#000000"}


def _curve_value(value: float, rate: bool) -> str:
    return percent(value) if rate else f"{round(value):,}"


def curve_chart(
    indicator: str,
    rate: bool,
    history: Sequence,
    forecast: Sequence = (),
    trend: object | None = None,
    target: object | None = None,
    band: object | None = None,
    band_label: str = "evidence-based services",
) -> alt.LayerChart:
    """The indicator's history (solid), the trend if nothing changes (dashed) and the target.

    ``history``, ``forecast`` and ``target`` hold points with ``year``, ``value`` and ``label``
    (see :mod:`toolkit.worksheets.turning_the_curve`); ``trend`` is the fitted line (``at(year)``), drawn
    dashed across the baseline and forecast years. ``band`` (a :class:`toolkit.domain.bands.Band`) is
    drawn behind the lines only when the indicator is a rate.
    """
    band = band if rate else None
    years = [p.year for p in history] + [p.year for p in forecast]
    if target is not None:
        years.append(target.year)
    low_year, high_year = (min(years), max(years)) if years else (2020, 2023)
    x_scale = alt.Scale(domain=[low_year - 0.5, high_year + 0.5], nice=False)
    x_axis = alt.Axis(format="d", tickMinStep=1, title="Year", labelFlush=False)
    values = [p.value for p in history] + [p.value for p in forecast]
    if target is not None:
        values.append(target.value)
    if band is not None:
        values.append(band.high)
    top = max(values + [0.0])
    if rate:
        y_scale = alt.Scale(domain=[0, min(1.0, max(0.1, top * 1.15))], nice=False)
        y_axis = alt.Axis(format=".0%", title="Job outcome rate (% of people supported)")
    else:
        y_scale = alt.Scale(domain=[0, max(1.0, top * 1.15)], nice=False)
        y_axis = alt.Axis(format=",d", title="Job outcomes in the year", tickMinStep=1)
    x = alt.X("year:Q", scale=x_scale, axis=x_axis)
    y = alt.Y("value:Q", scale=y_scale, axis=y_axis)
    layers: list[alt.Chart] = []
    if band is not None:
        rows = [
            {
                "from": low_year - 0.5,
                "to": high_year + 0.5,
                "low": band.low,
                "high": band.high,
                "mean": band.mean,
                "text": f"Study: {band_label}, {percent(band.low)} to {percent(band.high)}",
            }
        ]
        data = alt.Data(values=rows)
        layers.append(
            alt.Chart(data)
            .mark_rect(opacity=0.16, color=BAND_COLOURS[BandSet.evidence_based])
            .encode(
                x=alt.X("from:Q", scale=x_scale, axis=x_axis),
                x2="to:Q",
                y=alt.Y("low:Q", scale=y_scale, axis=y_axis),
                y2="high:Q",
            )
        )
        layers.append(
            alt.Chart(data)
            .mark_rule(color="#006B4F", strokeDash=[2, 3], strokeWidth=1.5)
            .encode(x=alt.X("from:Q", scale=x_scale), x2="to:Q", y=alt.Y("mean:Q", scale=y_scale))
        )
        layers.append(
            alt.Chart(data)
            .mark_text(align="left", baseline="bottom", dx=4, dy=-3, fontSize=11, color="#004D39")
            .encode(
                x=alt.X("from:Q", scale=x_scale), y=alt.Y("high:Q", scale=y_scale), text="text:N"
            )
        )
    if trend is not None and history:
        line_years = sorted({*(p.year for p in history), *(p.year for p in forecast)})
        trend_rows = [
            {"year": year, "value": min(max(trend.at(year), 0.0), 1.0 if rate else float("inf"))}
            for year in line_years
        ]
        layers.append(
            alt.Chart(alt.Data(values=trend_rows))
            .mark_line(color=CURVE_COLOURS["forecast"], strokeDash=[7, 5], strokeWidth=2.5)
            .encode(x=x, y=y)
        )
    if forecast:
        rows = [
            {"year": p.year, "value": p.value, "shown": _curve_value(p.value, rate)}
            for p in forecast
        ]
        data = alt.Data(values=rows)
        layers.append(
            alt.Chart(data)
            .mark_point(shape="diamond", size=110, filled=False, strokeWidth=2)
            .encode(x=x, y=y, color=alt.value(CURVE_COLOURS["forecast"]))
        )
        layers.append(
            alt.Chart(data)
            .mark_text(dy=16, fontSize=11, color="#8A3A00")
            .encode(x=x, y=y, text="shown:N")
        )
    if history:
        rows = [
            {"year": p.year, "value": p.value, "shown": _curve_value(p.value, rate)}
            for p in history
        ]
        data = alt.Data(values=rows)
        layers.append(
            alt.Chart(data)
            .mark_line(color=CURVE_COLOURS["history"], strokeWidth=3, point=False)
            .encode(x=x, y=y)
        )
        layers.append(
            alt.Chart(data)
            .mark_point(shape="circle", size=90, filled=True, opacity=1)
            .encode(x=x, y=y, color=alt.value(CURVE_COLOURS["history"]))
        )
        layers.append(
            alt.Chart(data)
            .mark_text(dy=-13, fontSize=12, color="#003F66", fontWeight="bold")
            .encode(x=x, y=y, text="shown:N")
        )
    if target is not None:
        data = alt.Data(
            values=[
                {
                    "year": target.year,
                    "value": target.value,
                    "shown": f"Target {_curve_value(target.value, rate)}",
                }
            ]
        )
        layers.append(
            alt.Chart(data)
            .mark_point(shape="triangle-up", size=180, filled=True, opacity=1)
            .encode(x=x, y=y, color=alt.value(CURVE_COLOURS["target"]))
        )
        layers.append(
            alt.Chart(data)
            .mark_text(dy=-15, fontSize=12, fontWeight="bold", color="#000000")
            .encode(x=x, y=y, text="shown:N")
        )
    if not layers:
        layers.append(
            alt.Chart(alt.Data(values=[{"year": low_year, "value": 0}]))
            .mark_point(opacity=0)
            .encode(x=x, y=y)
        )
    subtitle = [
        "Solid blue line and dots: your figures. Dashed orange line: the straight-line trend "
        "if nothing changes;",
        "open diamonds: its forecast for the next three years. Black triangle: your target.",
    ]
    if band is not None:
        subtitle.append(
            f"Shaded band: the study's {band_label} (mean \u00b1 1 SD); dotted line: their mean."
        )
    chart = alt.layer(*layers).properties(width=WIDTH, height=320)
    return _style(
        chart,
        indicator or ("Job outcome rate" if rate else "Job outcomes"),
        subtitle,
        curve_chart_summary(indicator, rate, history, forecast, target, band, band_label),
    )


def curve_chart_summary(
    indicator: str,
    rate: bool,
    history: Sequence,
    forecast: Sequence = (),
    target: object | None = None,
    band: object | None = None,
    band_label: str = "evidence-based services",
) -> str:
    """The curve chart in words: every figure it shows."""
    name = indicator or ("Job outcome rate" if rate else "Job outcomes")
    if not history:
        return f"{name}: no figures yet."
    parts = [
        f"{name}, your figures: "
        + ", ".join(f"{p.label} {_curve_value(p.value, rate)}" for p in history)
        + "."
    ]
    if forecast:
        parts.append(
            "Forecast if nothing changes (straight-line trend): "
            + ", ".join(f"{p.label} {_curve_value(p.value, rate)}" for p in forecast)
            + "."
        )
    else:
        parts.append("No forecast: at least two years of figures are needed for a trend.")
    if target is not None:
        parts.append(f"Target: {_curve_value(target.value, rate)} by {target.label}.")
    if rate and band is not None:
        parts.append(
            f"The study's {band_label} ranged from {percent(band.low)} to {percent(band.high)} "
            f"(mean {percent(band.mean)})."
        )
    return " ".join(parts)


# --------------------------------------------------------------------------------------------
# The commissioning-questions workbook: answers by section, and the IPS-25 total
# --------------------------------------------------------------------------------------------


def _section_label(title: str) -> str:
    return title if len(title) <= 48 else title[:46].rstrip() + "\u2026"


def section_chart(scores: Sequence) -> alt.LayerChart:
    """Each section's score (0-100% of the way up its answer scales) with how many answered.

    ``scores`` are :class:`toolkit.worksheets.commissioning_questions.SectionScore`. Sections with no scored answer have
    no bar, and their label says so.
    """
    rows = []
    for position, score in enumerate(scores):
        answered = f"{score.answered} of {score.total} answered"
        rows.append(
            {
                "section": _section_label(score.title),
                "order": position,
                "percent": score.percent / 100 if score.percent is not None else None,
                "label_x": (score.percent or 0) / 100,
                "label": (
                    f"{score.percent:.0f}% \u00b7 {answered}"
                    if score.percent is not None
                    else f"no scored answer yet \u00b7 {answered}"
                ),
            }
        )
    data = alt.Data(values=rows)
    x_scale = alt.Scale(domain=[0, 1.45], nice=False)
    y = alt.Y(
        "section:N",
        title=None,
        sort=[row["section"] for row in rows],
        axis=alt.Axis(labelLimit=330, labelFontSize=12),
    )
    bars = (
        alt.Chart(data)
        .transform_filter("datum.percent != null")
        .mark_bar(color=OKABE_ITO[0], height=18)
        .encode(
            x=alt.X(
                "percent:Q",
                scale=x_scale,
                axis=alt.Axis(
                    format=".0%",
                    values=[0, 0.25, 0.5, 0.75, 1],
                    title="Score: how far up the answer scale (0% = lowest answer, 100% = top)",
                    domain=False,
                    titleAnchor="start",
                ),
            ),
            y=y,
        )
    )
    labels = (
        alt.Chart(data)
        .mark_text(align="left", dx=5, fontSize=11, color="#1a1a1a")
        .encode(x=alt.X("label_x:Q", scale=x_scale), y=y, text="label:N")
    )
    chart = alt.layer(bars, labels).properties(width=WIDTH, height=alt.Step(30))
    return _style(
        chart,
        "Answers by section",
        "Bar: the section's score from the answers given (Don't know is not scored); "
        "label: score and questions answered",
        section_chart_summary(scores),
    )


def section_chart_summary(scores: Sequence) -> str:
    """The section chart in words."""
    parts = []
    for score in scores:
        answered = f"{score.answered} of {score.total} answered"
        if score.percent is None:
            parts.append(f"{score.title}: no scored answer yet ({answered}).")
        else:
            parts.append(f"{score.title}: score {score.percent:.0f}% ({answered}).")
    return " ".join(parts) or "No sections."


FIDELITY_COLOURS = ["#D55E00", "#E69F00", "#56B4E9", "#009E73"]


def fidelity_chart(
    total: int | None, rated: int, items: int, bands: Sequence, maximum: int = 125
) -> alt.LayerChart:
    """The IPS-25 total (once every item is rated) on a strip of its bands, lowest first.

    ``bands`` are :class:`toolkit.worksheets.commissioning_questions.FidelityBand` (min, max, label). Each band is named
    inside the strip, so the colours are never the only cue.
    """
    ordered = sorted(bands, key=lambda band: band.min)
    lowest = ordered[0].min if ordered else items
    rows = [
        {
            "from": band.min - 0.5,
            "to": band.max + 0.5,
            "mid": (band.min + band.max) / 2,
            "band": band.label,
            "text": f"{band.min}\u2013{band.max}",
            "order": index,
        }
        for index, band in enumerate(ordered)
    ]
    scale = alt.Scale(domain=[lowest - 0.5, maximum + 0.5], nice=False)
    axis = alt.Axis(
        title="IPS-25 total (25 items, each rated 1 to 5)",
        values=[band.min for band in ordered] + [maximum],
        grid=False,
    )
    data = alt.Data(values=rows)
    strip = (
        alt.Chart(data)
        .mark_rect(stroke="#ffffff", strokeWidth=2, opacity=0.55)
        .encode(
            x=alt.X("from:Q", scale=scale, axis=axis),
            x2="to:Q",
            y=alt.value(30),
            y2=alt.value(80),
            color=alt.Color(
                "band:N",
                scale=alt.Scale(
                    domain=[row["band"] for row in rows],
                    range=FIDELITY_COLOURS[: len(rows)],
                ),
                legend=None,
            ),
        )
    )
    names = (
        alt.Chart(data)
        .mark_text(fontSize=11, color="#000000")
        .encode(
            x=alt.X("mid:Q", scale=scale),
            y=alt.value(48),
            text=alt.Text("band:N"),
        )
        .transform_calculate(band="replace(datum.band, ' fidelity', '')")
    )
    ranges = (
        alt.Chart(data)
        .mark_text(fontSize=10, color="#1a1a1a")
        .encode(x=alt.X("mid:Q", scale=scale), y=alt.value(66), text="text:N")
    )
    layers = [strip, names, ranges]
    if total is not None:
        marker = alt.Data(values=[{"total": total, "text": f"Your total: {total}"}])
        layers.append(
            alt.Chart(marker)
            .mark_rule(color="#000000", strokeWidth=3)
            .encode(x=alt.X("total:Q", scale=scale), y=alt.value(22), y2=alt.value(88))
        )
        layers.append(
            alt.Chart(marker)
            .mark_text(fontSize=13, fontWeight="bold", color="#000000")
            .encode(x=alt.X("total:Q", scale=scale), y=alt.value(12), text="text:N")
        )
    chart = alt.layer(*layers).properties(width=WIDTH, height=100)
    subtitle = (
        "Black line: your total"
        if total is not None
        else f"{rated} of {items} items rated: your total appears once all {items} are rated"
    )
    return _style(
        chart,
        "IPS fidelity: total score against its bands",
        subtitle,
        fidelity_chart_summary(total, rated, items, bands),
    )


def fidelity_chart_summary(total: int | None, rated: int, items: int, bands: Sequence) -> str:
    """The fidelity chart in words."""
    ordered = sorted(bands, key=lambda band: band.min)
    names = "; ".join(f"{band.min} to {band.max}: {band.label}" for band in ordered)
    if total is None:
        return f"{rated} of {items} items rated, so there is no total yet. The bands are: {names}."
    band = next((b for b in ordered if b.min <= total <= b.max), None)
    where = f", in the band '{band.label}' ({band.min} to {band.max})" if band else ""
    return f"Your IPS-25 total is {total}{where}. The bands are: {names}."
