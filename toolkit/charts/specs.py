"""Every chart spec the apps draw, in one import (kept for the apps' ``charts.…`` call sites).

The specs live in :mod:`toolkit.charts.benchmark` (self-benchmark and report),
:mod:`toolkit.charts.curve` (turning the curve) and :mod:`toolkit.charts.workbook`
(commissioning questions); drawing is :mod:`toolkit.charts.draw`. Importing
this module loads Altair.
"""

from __future__ import annotations

import altair as alt

from toolkit.charts.benchmark import (
    band_chart,
    band_chart_summary,
    cost_rate_chart,
    cost_rate_summary,
    figures_for_records,
    render_all,
    render_for_records,
    split_chart,
    split_rows,
    split_summary,
)
from toolkit.charts.curve import curve_chart, curve_chart_summary
from toolkit.charts.data import Entry, RenderedChart, entries_for
from toolkit.charts.draw import chart_png, chart_svg, warm_up
from toolkit.charts.style import BAND_COLOURS, OKABE_ITO, SHAPES
from toolkit.charts.workbook import (
    fidelity_chart,
    fidelity_chart_summary,
    section_chart,
    section_chart_summary,
)

__all__ = [
    "BAND_COLOURS",
    "OKABE_ITO",
    "SHAPES",
    "Entry",
    "RenderedChart",
    "alt",
    "band_chart",
    "band_chart_summary",
    "chart_png",
    "chart_svg",
    "cost_rate_chart",
    "cost_rate_summary",
    "curve_chart",
    "curve_chart_summary",
    "entries_for",
    "fidelity_chart",
    "fidelity_chart_summary",
    "figures_for_records",
    "render_all",
    "render_for_records",
    "section_chart",
    "section_chart_summary",
    "split_chart",
    "split_rows",
    "split_summary",
    "warm_up",
]
