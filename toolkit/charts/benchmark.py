"""The self-benchmark app's three charts (and the board report's): specs only, no drawing.

No measure is computed here: charts take :class:`ServiceMeasures` and the
published bands and only arrange them; words come from the vocabulary. Drawing
is :mod:`toolkit.charts.draw`.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt

from toolkit.charts.data import Entry, RenderedChart, entries_for
from toolkit.charts.draw import chart_svg
from toolkit.charts.style import BAND_COLOURS, MONEY_LABEL, OKABE_ITO, SHAPES, WIDTH, style
from toolkit.domain.bands import BANDED_MEASURES, BandSet, average_for, band_for
from toolkit.domain.common_prices import CommonPrices, records_in_common_prices
from toolkit.domain.compare import Comparison, compare_measures
from toolkit.domain.measures import is_defined
from toolkit.domain.prices import PriceBase, band_in_prices, study_price_base
from toolkit.domain.record import ServiceRecord
from toolkit.present.formatting import measure_value, money, percent
from toolkit.present.vocabulary import (
    average_group_label,
    band_set_label,
    direction_words,
    measure_label,
    outcome_part_label,
    position_phrase,
)

#: An arrow beside the direction words, pointing the better way along the axis.
DIRECTION_ARROWS = {
    "cost_per_person": "",
    "cost_per_job_outcome": " \u2190",
    "job_outcome_rate": " \u2192",
}

#: The study's published average share of each kind of job outcome (data/averages.csv).
SPLIT_AVERAGES = (
    ("new_jobs", "share_new_jobs"),
    ("jobs_retained", "share_jobs_retained"),
    ("self_employed", "share_self_employed"),
)


def _direction_note(measure: str) -> str:
    return direction_words(measure) + DIRECTION_ARROWS[measure]


def _price_base(prices: CommonPrices | None) -> PriceBase:
    """The price base a chart is drawn in (the study's own prices when none is given)."""
    return prices.price_base if prices is not None else study_price_base()


def prices_line(prices: CommonPrices | None) -> str:
    """The chart's caption line: which prices every money figure on it is in."""
    base = _price_base(prices)
    if not base.uprated:
        return (
            "Bands in the study's own prices (cash terms of 2011/12 or 2012/13), not uprated: "
            "give the year the figures cover to compare in the same prices"
        )
    how = "your own uprating factor" if base.method == "own_factor" else "GDP deflator"
    return (
        f"All money (bands, averages and services) in {base.year} prices "
        f"({how}, \u00d7{base.factor:.2f})"
    )


def prices_summary(prices: CommonPrices | None) -> str:
    """The prices in words, for the start of a chart's text summary."""
    if prices is None:
        return f"Prices: {study_price_base().label}."
    return prices.describe()


def _band_rows(
    measure: str, band_sets: Sequence[BandSet], prices: CommonPrices | None = None
) -> list[dict]:
    rows = []
    for band_set in band_sets:
        band = band_in_prices(band_for(measure, band_set), _price_base(prices))
        rows.append(
            {
                "group": f"Study: {band_set_label(band_set)}",
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


def _x_axis(measure: str, title: str) -> alt.Axis:
    if measure == "job_outcome_rate":
        return alt.Axis(format=".0%", title=title)
    return alt.Axis(labelExpr=MONEY_LABEL, title=title)


def _axis_format(measure: str) -> dict:
    if measure == "job_outcome_rate":
        return {"format": ".0%", "title": "Job outcome rate (% of people supported)"}
    return {"format": None, "title": f"{measure_label(measure)} (\u00a3)"}


def _service_layers(services: list[dict], rows: list[str], scale: alt.Scale) -> list[alt.Chart]:
    """Each service's likely range (a line), its figure (a point) and the figure in words."""
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
    return [interval, point, label]


def _measure_panel(
    measure: str,
    entries: Sequence[Entry],
    band_sets: Sequence[BandSet],
    prices: CommonPrices | None = None,
) -> alt.LayerChart:
    band_rows = _band_rows(measure, band_sets, prices)
    bands = alt.Data(values=band_rows)
    services = _service_rows(measure, entries)
    axis = _axis_format(measure)
    upper = max(
        [row["high"] for row in band_rows] + [row["interval_high"] for row in services] + [0]
    )
    scale = alt.Scale(domain=[0, upper * 1.08 if upper else 1], nice=False, clamp=True)
    x = alt.X("low:Q", scale=scale, axis=_x_axis(measure, axis["title"]))
    rows = [row["group"] for row in band_rows] + [r["service"] for r in services]
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
                    domain=[f"Study: {band_set_label(b)}" for b in band_sets],
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
        layers += _service_layers(services, rows, scale)
    return (
        alt.layer(*layers)
        .resolve_scale(color="independent", shape="independent")
        .properties(
            width=WIDTH,
            height=34 * len(rows),
            title=alt.TitleParams(
                f"{measure_label(measure)} ({_direction_note(measure)})",
                anchor="start",
                fontSize=14,
            ),
        )
    )


def band_chart(
    entries: Sequence[Entry],
    band_sets: Sequence[BandSet | str],
    prices: CommonPrices | None = None,
) -> alt.VConcatChart:
    """Spine chart: bands (mean +/- 1 SD, mean marked) with each service and its likely range.

    ``prices`` is the one price base of the entries' money figures (see
    :mod:`toolkit.domain.common_prices`); the bands are drawn in it too.
    """
    sets = [BandSet(b) for b in band_sets]
    panels = [_measure_panel(measure, entries, sets, prices) for measure in BANDED_MEASURES]
    chart = alt.vconcat(*panels, spacing=28)
    return style(
        chart,
        "Where the service sits against the study's bands",
        [
            "Shaded bar: mean \u00b1 1 standard deviation; black tick: mean; "
            "point and line: the service and its likely range (95%)",
            prices_line(prices),
        ],
        band_chart_summary(entries, sets, prices),
    )


def band_chart_summary(
    entries: Sequence[Entry],
    band_sets: Sequence[BandSet | str],
    prices: CommonPrices | None = None,
) -> str:
    """The band chart in words: the prices, then each service's figures and position."""
    sentences = []
    price_base = _price_base(prices)
    for entry in entries:
        parts = []
        for band_set in band_sets:
            for comparison in compare_measures(entry.measures, band_set, price_base=price_base):
                parts.append(_position_phrase(comparison))
        sentences.append(f"{entry.label}: " + "; ".join(parts) + ".")
    if not sentences:
        return "No service figures yet."
    return " ".join([prices_summary(prices), *sentences])


def _position_phrase(comparison: Comparison) -> str:
    label = measure_label(comparison.measure).lower()
    group = band_set_label(comparison.bands)
    if comparison.position is None:
        return f"{label} not defined"
    value = measure_value(comparison.measure, comparison.value)
    return f"{label} {value}, {position_phrase(comparison.position)} for {group}"


def _equal_cost_lines(
    band_sets: Sequence[BandSet], price_base: PriceBase
) -> tuple[list[dict], list[float], list[dict]]:
    """Lines of equal cost per job outcome at each band's points, and each band's box."""
    max_rate = 1.0
    lines, boxes = [], []
    equal_cost: list[float] = []
    for band_set in band_sets:
        cost_band = band_in_prices(band_for("cost_per_job_outcome", band_set), price_base)
        for point, dash_label in (("low", "low"), ("mean", "mean"), ("high", "high")):
            cost_per_job = getattr(cost_band, point)
            if cost_per_job <= 0:
                continue
            name = f"{band_set_label(band_set)}: {money(cost_per_job)} per job ({dash_label})"
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
        person = band_in_prices(band_for("cost_per_person", band_set), price_base)
        rate_band = band_for("job_outcome_rate", band_set)
        boxes.append(
            {
                "group": f"Study: {band_set_label(band_set)} (\u00b1 1 SD)",
                "rate_low": rate_band.low,
                "rate_high": rate_band.high,
                "cost_low": person.low,
                "cost_high": person.high,
            }
        )
    return lines, equal_cost, boxes


def _cost_rate_services(entries: Sequence[Entry]) -> list[dict]:
    """Each service with a cost per person, placed by its rate and cost."""
    return [
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


def _cost_rate_points(services: list[dict], x_scale: alt.Scale, y_scale: alt.Scale) -> list:
    """Each service as a point (colour and shape) with its name beside it."""
    layers: list = []
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
    return layers


def cost_rate_chart(
    entries: Sequence[Entry],
    band_sets: Sequence[BandSet | str],
    prices: CommonPrices | None = None,
) -> alt.LayerChart:
    """Cost per person against job outcome rate, with lines of equal cost per job outcome.

    Cost per person = cost per job outcome x job outcome rate, so each line of
    equal cost per job outcome is straight through the origin. Bands, lines and
    services are all in ``prices``.
    """
    sets = [BandSet(b) for b in band_sets]
    lines, equal_cost, boxes = _equal_cost_lines(sets, _price_base(prices))
    services = _cost_rate_services(entries)
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
                    range=[BAND_COLOURS[b] for b in sets],
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
        layers += _cost_rate_points(services, x_scale, y_scale)
    chart = (
        alt.layer(*layers)
        .resolve_scale(color="independent", shape="independent")
        .properties(width=WIDTH, height=360)
    )
    return style(
        chart,
        "Cost per person against job outcome rate",
        [
            "Grey lines: equal cost per job outcome at the study's bands (solid: evidence-based, "
            "dashed: all services); boxes: the bands (mean \u00b1 1 SD)",
            prices_line(prices),
        ],
        cost_rate_summary(entries, prices),
    )


def cost_rate_summary(entries: Sequence[Entry], prices: CommonPrices | None = None) -> str:
    """The cost and rate chart in words, starting with the prices."""
    evidence = band_in_prices(
        band_for("cost_per_job_outcome", BandSet.evidence_based), _price_base(prices)
    )
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
    if not sentences:
        return "No service figures yet."
    return " ".join([prices_summary(prices), *sentences])


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
                        "outcome": outcome_part_label(key),
                        "share": share,
                    }
                )
    study_label = f"Study average: {average_group_label(client_group)}"
    for key, measure in SPLIT_AVERAGES:
        average = average_for(client_group, measure)
        if average is not None:
            rows.append(
                {
                    "who": study_label,
                    "order": len(entries),
                    "outcome": outcome_part_label(key),
                    "share": average.value,
                }
            )
    return rows


def split_chart(entries: Sequence[Entry], client_group: str = "all") -> alt.Chart:
    """Shares of job outcomes (new, retained, self-employed) beside the study's average."""
    rows = split_rows(entries, client_group)
    order = [outcome_part_label(key) for key, _ in SPLIT_AVERAGES]
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
    return style(
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
            f"The study's average for {average_group_label(client_group)} was "
            f"{percent(new.value, 0)} new, "
            f"{percent(kept.value, 0)} retained and {percent(own.value, 0)} self-employed "
            f"({new.source_table})."
        )
    return " ".join(sentences)


def render_all(
    entries: Sequence[Entry],
    band_sets: Sequence[BandSet | str],
    client_group: str = "all",
    prices: CommonPrices | None = None,
) -> list[RenderedChart]:
    """All three charts as SVG with their titles and summaries (money in ``prices``)."""
    charts = [
        (
            "bands",
            "Where the service sits against the study's bands",
            band_chart(entries, band_sets, prices),
            band_chart_summary(entries, band_sets, prices),
        ),
        (
            "cost_rate",
            "Cost per person against job outcome rate",
            cost_rate_chart(entries, band_sets, prices),
            cost_rate_summary(entries, prices),
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
    """The three self-benchmark charts for these services (and their pooled group).

    The services' costs and the bands are put into one price base first: the latest year
    the services give (see :mod:`toolkit.domain.common_prices`).
    """
    shown, prices = records_in_common_prices(records)
    return render_all(entries_for(shown), band_sets, client_group, prices)


def figures_for_records(
    records: Sequence[ServiceRecord],
    band_sets: Sequence[BandSet | str],
    client_group: str = "all",
) -> list[tuple[str, alt.TopLevelMixin]]:
    """The three self-benchmark charts as Altair charts, by key (for PNG export)."""
    shown, prices = records_in_common_prices(records)
    entries = entries_for(shown)
    return [
        ("bands", band_chart(entries, band_sets, prices)),
        ("cost_rate", cost_rate_chart(entries, band_sets, prices)),
        ("split", split_chart(entries, client_group)),
    ]
