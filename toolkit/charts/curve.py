"""The turning-the-curve chart: history, the trend if nothing changes, the target, the band.

Specs only; drawing is :mod:`toolkit.charts.draw`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import altair as alt

from toolkit.charts.style import BAND_COLOURS, WIDTH, style
from toolkit.domain.bands import Band, BandSet
from toolkit.present.formatting import percent

if TYPE_CHECKING:
    from toolkit.worksheets.turning_the_curve import Target

CURVE_COLOURS = {"history": "#0072B2", "forecast": "#D55E00", "target": "#000000"}


def _curve_value(value: float, rate: bool) -> str:
    return percent(value) if rate else f"{round(value):,}"


@dataclass(frozen=True)
class _Axes:
    """The curve chart's scales and encodings, shared by every layer."""

    x_scale: alt.Scale
    x_axis: alt.Axis
    y_scale: alt.Scale
    y_axis: alt.Axis
    x: alt.X
    y: alt.Y
    low_year: float
    high_year: float


def _axes(
    rate: bool,
    history: Sequence,
    forecast: Sequence,
    target: Any,
    band: Any,
    y_title: str | None = None,
) -> _Axes:
    years = [p.year for p in history] + [p.year for p in forecast]
    if target is not None:
        years.append(target.year)
    low_year, high_year = (min(years), max(years)) if years else (2020, 2023)
    x_scale = alt.Scale(domain=[low_year - 0.5, high_year + 0.5], nice=False)
    labels = [p.label for p in history] + ([target.label] if target is not None else [])
    if any("/" in label for label in labels):  # financial years: shown as typed, 2021/22
        x_axis = alt.Axis(
            tickMinStep=1,
            title="Financial year",
            labelFlush=False,
            labelExpr="datum.value + '/' + slice(toString(datum.value + 1), 2)",
        )
    else:
        x_axis = alt.Axis(format="d", tickMinStep=1, title="Year", labelFlush=False)
    values = [p.value for p in history] + [p.value for p in forecast]
    if target is not None:
        values.append(target.value)
    if band is not None:
        values.append(band.high)
    top = max(values + [0.0])
    if rate:
        y_scale = alt.Scale(domain=[0, min(1.0, max(0.1, top * 1.15))], nice=False)
        y_axis = alt.Axis(format=".0%", title=y_title or "Job outcome rate (% of people supported)")
    else:
        y_scale = alt.Scale(domain=[0, max(1.0, top * 1.15)], nice=False)
        y_axis = alt.Axis(format=",d", title=y_title or "Job outcomes in the year", tickMinStep=1)
    return _Axes(
        x_scale=x_scale,
        x_axis=x_axis,
        y_scale=y_scale,
        y_axis=y_axis,
        x=alt.X("year:Q", scale=x_scale, axis=x_axis),
        y=alt.Y("value:Q", scale=y_scale, axis=y_axis),
        low_year=low_year,
        high_year=high_year,
    )


def _band_layers(axes: _Axes, band: Any, band_label: str) -> list[alt.Chart]:
    """The study's band behind the lines: shaded range, dotted mean, a label."""
    data = alt.Data(
        values=[
            {
                "from": axes.low_year - 0.5,
                "to": axes.high_year + 0.5,
                "low": band.low,
                "high": band.high,
                "mean": band.mean,
                "text": f"Study: {band_label}, {percent(band.low)} to {percent(band.high)}",
            }
        ]
    )
    x_from = alt.X("from:Q", scale=axes.x_scale)
    return [
        alt.Chart(data)
        .mark_rect(opacity=0.16, color=BAND_COLOURS[BandSet.evidence_based])
        .encode(
            x=alt.X("from:Q", scale=axes.x_scale, axis=axes.x_axis),
            x2="to:Q",
            y=alt.Y("low:Q", scale=axes.y_scale, axis=axes.y_axis),
            y2="high:Q",
        ),
        alt.Chart(data)
        .mark_rule(color="#006B4F", strokeDash=[2, 3], strokeWidth=1.5)
        .encode(x=x_from, x2="to:Q", y=alt.Y("mean:Q", scale=axes.y_scale)),
        alt.Chart(data)
        .mark_text(align="left", baseline="bottom", dx=4, dy=-3, fontSize=11, color="#004D39")
        .encode(x=x_from, y=alt.Y("high:Q", scale=axes.y_scale), text="text:N"),
    ]


def _trend_layer(
    axes: _Axes, rate: bool, history: Sequence, forecast: Sequence, trend: Any
) -> alt.Chart:
    """The straight-line trend if nothing changes, dashed across baseline and forecast years."""
    line_years = sorted({*(p.year for p in history), *(p.year for p in forecast)})
    rows = [
        {"year": year, "value": min(max(trend.at(year), 0.0), 1.0 if rate else float("inf"))}
        for year in line_years
    ]
    return (
        alt.Chart(alt.Data(values=rows))
        .mark_line(color=CURVE_COLOURS["forecast"], strokeDash=[7, 5], strokeWidth=2.5)
        .encode(x=axes.x, y=axes.y)
    )


def _points(points: Sequence, rate: bool) -> alt.Data:
    return alt.Data(
        values=[
            {"year": p.year, "value": p.value, "shown": _curve_value(p.value, rate)} for p in points
        ]
    )


def _forecast_layers(axes: _Axes, rate: bool, forecast: Sequence) -> list[alt.Chart]:
    """The forecast as open diamonds with their figures."""
    data = _points(forecast, rate)
    return [
        alt.Chart(data)
        .mark_point(shape="diamond", size=110, filled=False, strokeWidth=2)
        .encode(x=axes.x, y=axes.y, color=alt.value(CURVE_COLOURS["forecast"])),
        alt.Chart(data)
        .mark_text(dy=16, fontSize=11, color="#8A3A00")
        .encode(x=axes.x, y=axes.y, text="shown:N"),
    ]


def _history_layers(axes: _Axes, rate: bool, history: Sequence) -> list[alt.Chart]:
    """The user's own figures: a solid line, dots and bold figures."""
    data = _points(history, rate)
    return [
        alt.Chart(data)
        .mark_line(color=CURVE_COLOURS["history"], strokeWidth=3, point=False)
        .encode(x=axes.x, y=axes.y),
        alt.Chart(data)
        .mark_point(shape="circle", size=90, filled=True, opacity=1)
        .encode(x=axes.x, y=axes.y, color=alt.value(CURVE_COLOURS["history"])),
        alt.Chart(data)
        .mark_text(dy=-13, fontSize=12, color="#003F66", fontWeight="bold")
        .encode(x=axes.x, y=axes.y, text="shown:N"),
    ]


def _target_layers(axes: _Axes, rate: bool, target: Any) -> list[alt.Chart]:
    """The target as a black triangle with its figure."""
    data = alt.Data(
        values=[
            {
                "year": target.year,
                "value": target.value,
                "shown": f"Target {_curve_value(target.value, rate)}",
            }
        ]
    )
    return [
        alt.Chart(data)
        .mark_point(shape="triangle-up", size=180, filled=True, opacity=1)
        .encode(x=axes.x, y=axes.y, color=alt.value(CURVE_COLOURS["target"])),
        alt.Chart(data)
        .mark_text(dy=-15, fontSize=12, fontWeight="bold", color="#000000")
        .encode(x=axes.x, y=axes.y, text="shown:N"),
    ]


def curve_chart(
    indicator: str,
    rate: bool,
    history: Sequence,
    forecast: Sequence = (),
    trend: Any | None = None,
    target: Any | None = None,
    band: Any | None = None,
    band_label: str = "evidence-based services",
    y_title: str | None = None,
) -> alt.LayerChart:
    """The indicator's history (solid), the trend if nothing changes (dashed) and the target.

    ``history``, ``forecast`` and ``target`` hold points with ``year``, ``value`` and ``label``
    (see :mod:`toolkit.worksheets.turning_the_curve`); ``trend`` is the fitted line (``at(year)``),
    drawn dashed across the baseline and forecast years. ``band`` (a
    :class:`toolkit.domain.bands.Band`) is drawn behind the lines only when the indicator is a rate.
    ``y_title`` names the vertical axis (a population indicator's own words).
    """
    band = band if rate else None
    axes = _axes(rate, history, forecast, target, band, y_title)
    layers: list[alt.Chart] = []
    if band is not None:
        layers += _band_layers(axes, band, band_label)
    if trend is not None and history:
        layers.append(_trend_layer(axes, rate, history, forecast, trend))
    if forecast:
        layers += _forecast_layers(axes, rate, forecast)
    if history:
        layers += _history_layers(axes, rate, history)
    if target is not None:
        layers += _target_layers(axes, rate, target)
    if not layers:
        layers.append(
            alt.Chart(alt.Data(values=[{"year": axes.low_year, "value": 0}]))
            .mark_point(opacity=0)
            .encode(x=axes.x, y=axes.y)
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
    return style(
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
    target: Target | None = None,
    band: Band | None = None,
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
