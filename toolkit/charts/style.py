"""The charts' shared look: colour-blind safe colours, shapes, font, width, titles.

Colours are the Okabe-Ito palette (safe for the common forms of colour
blindness) and every series also differs by shape or line style, so colour is
never the only cue.
"""

from __future__ import annotations

import altair as alt

from toolkit.domain.bands import BandSet

#: Okabe-Ito colours (Okabe & Ito 2008), chosen to stay distinct with colour blindness.
OKABE_ITO = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]
SHAPES = ["circle", "square", "triangle-up", "diamond", "cross", "triangle-down", "wedge", "stroke"]
BAND_COLOURS = {BandSet.evidence_based: "#009E73", BandSet.all_sites: "#999999"}
BAND_DASH = {BandSet.evidence_based: [1, 0], BandSet.all_sites: [6, 3]}
FONT = "DejaVu Sans, Arial, Helvetica, sans-serif"
WIDTH = 560

#: Axis labels in whole pounds.
MONEY_LABEL = "'\u00a3' + format(datum.value, ',.0f')"


def style(
    chart: alt.TopLevelMixin, title: str, subtitle: str | list[str], description: str
) -> alt.TopLevelMixin:
    """Title, subtitle, description (the text summary) and the shared look."""
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
