"""The turning-the-curve chart: history, the trend if nothing changes, the target, the band.

Specs only; drawing is :mod:`toolkit.charts.draw`.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt

from toolkit.charts.style import BAND_COLOURS, WIDTH, style
from toolkit.domain.bands import BandSet
from toolkit.present.formatting import percent

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
