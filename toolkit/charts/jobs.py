"""The self-benchmark app's charts, drawn by the shared chart process.

Building the Altair charts needs Altair (about 40 MB in every kernel that
imports it) and holds the kernel's interpreter while the specifications are
put together. So the app sends the services' validated figures to the shared
drawing process (:mod:`toolkit.charts.service`), which builds and draws the
three charts and sends back their titles, summaries and images. When that
process cannot be reached, the same job runs in the kernel: charts never
depend on it.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Sequence
from typing import Any

from toolkit.charts import client
from toolkit.charts.data import RenderedChart, job_request
from toolkit.domain.bands import BandSet
from toolkit.domain.record import ServiceRecord

IN_PROCESS = "TOOLKIT_RENDER_IN_PROCESS"
#: Seconds to wait for the chart process before reporting it busy.
JOB_TIMEOUT = 60.0


class ChartsBusy(RuntimeError):
    """The chart process is there but did not answer in time (a machine under heavy load)."""


def _answer(request: dict[str, Any]) -> list[dict[str, str]]:
    """The job's answer from the chart process, or worked out here when there is none.

    A chart process that is there but slow is waited for and then reported as busy
    (:class:`ChartsBusy`), not replaced by drawing here: on a machine too busy to answer,
    loading Altair and vl-convert in every kernel (about 110 MB and seconds of CPU each)
    would only make it busier.
    """
    if os.environ.get(IN_PROCESS) != "1":
        try:
            return json.loads(client.request(request, timeout=JOB_TIMEOUT))
        except client.NOT_THERE:
            pass  # no chart process: draw here
        except (RuntimeError, ValueError):
            pass  # a chart process from an older version that takes no jobs: draw here
        except OSError as exc:  # timed out or cut off while drawing
            raise ChartsBusy("the chart process is busy") from exc
    return run_job(request)


def run_job(request: dict[str, Any]) -> list[dict[str, str]]:
    """Build and draw the charts here, in the kernel (when there is no chart process)."""
    # Altair costs about 40 MB in every kernel that imports it: loaded only to draw here.
    from toolkit.charts import job_runner

    return job_runner.run_job(request)


def self_benchmark_charts(
    records: Sequence[ServiceRecord],
    band_sets: Sequence[BandSet | str],
    client_group: str = "all",
) -> list[RenderedChart]:
    """The three charts as SVG with their titles and text summaries."""
    answer = _answer(job_request(records, band_sets, client_group))
    return [RenderedChart(a["key"], a["title"], a["svg"], a["summary"]) for a in answer]


def self_benchmark_pngs(
    records: Sequence[ServiceRecord],
    band_sets: Sequence[BandSet | str],
    client_group: str = "all",
) -> list[tuple[str, bytes]]:
    """The three charts as PNG (twice their size, sharp on a projector), by key."""
    answer = _answer(job_request(records, band_sets, client_group, "png"))
    return [(a["key"], base64.b64decode(a["png"])) for a in answer]


def warm_up() -> None:
    """Before the page is requested: make sure charts can be drawn quickly.

    Starts the shared chart process if none is running and checks that it takes
    chart jobs; if it cannot, loads Altair and vl-convert in this kernel instead.
    """
    if os.environ.get(IN_PROCESS) != "1" and client.ensure_running():
        try:
            json.loads(client.request(job_request([], [BandSet.evidence_based])))
            return
        except (*client.NOT_THERE, RuntimeError, ValueError):
            pass  # gone again, or an older version that takes no jobs
        except OSError:
            return  # there but busy (a loaded machine): keep using it
    os.environ[IN_PROCESS] = "1"
    run_job(job_request([], [BandSet.evidence_based]))  # loads Altair and vl-convert here
