"""The self-benchmark app's chart job: build and draw its charts from the services' figures.

Runs in the shared chart process (:mod:`toolkit.charts.service`) or, when there
is none, in the kernel (:mod:`toolkit.charts.jobs` imports it only then: it
loads Altair).
"""

from __future__ import annotations

import base64
from typing import Any

from toolkit.charts.benchmark import figures_for_records, render_for_records
from toolkit.charts.data import JOB, ChartJob
from toolkit.charts.draw import chart_png


def run_job(request: dict[str, Any]) -> list[dict[str, str]]:
    """Build and draw the charts a request asks for (in the chart process, or here)."""
    if request.get("job") != JOB:  # said plainly, before the request is read
        raise ValueError(f"unknown chart job {request.get('job')!r}")
    job = ChartJob.model_validate(request)
    if job.format == "png":
        return [
            {"key": key, "png": base64.b64encode(chart_png(chart)).decode("ascii")}
            for key, chart in figures_for_records(job.records, job.band_sets, job.client_group)
        ]
    return [
        {"key": c.key, "title": c.title, "svg": c.svg, "summary": c.summary}
        for c in render_for_records(job.records, job.band_sets, job.client_group)
    ]
