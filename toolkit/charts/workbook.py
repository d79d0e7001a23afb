"""The commissioning-questions workbook's charts: answers by section, the IPS-25 total.

Specs only; drawing is :mod:`toolkit.charts.draw`.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt

from toolkit.charts.style import OKABE_ITO, WIDTH, style


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
    return style(
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


def _total_marker(total: int, scale: alt.Scale) -> list[alt.Chart]:
    """The user's total as a black line with its figure above."""
    layers: list[alt.Chart] = []
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
    return layers


def fidelity_chart(
    total: int | None, rated: int, items: int, bands: Sequence, maximum: int = 125
) -> alt.LayerChart:
    """The IPS-25 total (once every item is rated) on a strip of its bands, lowest first.

    ``bands`` are :class:`toolkit.worksheets.commissioning_questions.FidelityBand` (min, max,
    label). Each band is named inside the strip, so the colours are never the only cue.
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
        layers += _total_marker(total, scale)
    chart = alt.layer(*layers).properties(width=WIDTH, height=100)
    subtitle = (
        "Black line: your total"
        if total is not None
        else f"{rated} of {items} items rated: your total appears once all {items} are rated"
    )
    return style(
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
