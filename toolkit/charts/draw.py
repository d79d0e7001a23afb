"""Drawing a chart spec as SVG or PNG: through the shared chart process, or here.

Specs are built in :mod:`toolkit.charts.benchmark`, :mod:`toolkit.charts.curve`
and :mod:`toolkit.charts.workbook`; this module only draws them. It imports
neither Altair nor vl-convert until it must draw in this process.
"""

from __future__ import annotations

import os
from typing import Any

from toolkit.charts import client

IN_PROCESS = "TOOLKIT_RENDER_IN_PROCESS"
#: A spec small enough to draw instantly, used to load and check the renderer.
TINY_SPEC = {
    "mark": "point",
    "data": {"values": [{"x": 1}]},
    "encoding": {"x": {"field": "x", "type": "quantitative"}},
}


def draw(spec: dict, fmt: str, scale: float = 2.0) -> bytes:
    """Draw with the shared process when it answers, else with vl-convert in this process."""
    if os.environ.get(IN_PROCESS) != "1":
        try:
            return client.request({"format": fmt, "spec": spec, "scale": scale})
        except (OSError, RuntimeError):
            pass
    # vl-convert adds about 70 MB to a process: loaded only when there is no chart process.
    import vl_convert as vlc

    if fmt == "png":
        return vlc.vegalite_to_png(spec, scale=scale)
    return vlc.vegalite_to_svg(spec).encode("utf-8")


def chart_svg(chart: Any) -> str:
    """Render an Altair chart to SVG offline (vl-convert bundles Vega; no network)."""
    return draw(chart.to_dict(validate=False), "svg").decode("utf-8")


def chart_png(chart: Any, scale: float = 2.0) -> bytes:
    """Render an Altair chart to PNG offline, at ``scale`` times its size (sharp on a projector)."""
    return draw(chart.to_dict(validate=False), "png", scale)


def warm_up() -> None:
    """Make sure the chart renderer is ready before a page is requested (kernel preheating).

    Starts the shared drawing process if it is not running (see
    :mod:`toolkit.charts.service`); if it cannot start, loads vl-convert here instead.
    """
    if os.environ.get(IN_PROCESS) == "1" or not client.ensure_running():
        os.environ[IN_PROCESS] = "1"
    draw(TINY_SPEC, "svg")
