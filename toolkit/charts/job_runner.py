"""The self-benchmark app's chart job: build and draw its charts from the services' figures.

Runs in the shared chart process (:mod:`toolkit.charts.service`) or, when there
is none, in the kernel (:mod:`toolkit.charts.jobs` imports it only then: it
loads Altair).
"""

from __future__ import annotations

import base64
from typing import Any

from toolkit.charts.benchmark import figures_for_records, render_for_records
from toolkit.charts.data import JOB
from toolkit.charts.draw import chart_png
from toolkit.domain.bands import BandSet
from toolkit.domain.record import ServiceRecord


def run_job(request: dict[str, Any]) -> list[dict[str, str]]:
    """Build and draw the charts a request asks for (in the chart process, or here)."""
    if request.get("job") != JOB:
        raise ValueError(f"unknown chart job {request.get('job')!r}")
    records = [ServiceRecord.model_validate(raw) for raw in request["records"]]
    band_sets = [BandSet(value) for value in request["band_sets"]]
    client_group = str(request.get("client_group", "all"))
    if request.get("format") == "png":
        return [
            {"key": key, "png": base64.b64encode(chart_png(chart)).decode("ascii")}
            for key, chart in figures_for_records(records, band_sets, client_group)
        ]
    return [
        {"key": c.key, "title": c.title, "svg": c.svg, "summary": c.summary}
        for c in render_for_records(records, band_sets, client_group)
    ]
