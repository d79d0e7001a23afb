"""What a chart is drawn from and what it becomes, without Altair.

:class:`Entry` (a service, or the pooled group, and its measures) and
:class:`RenderedChart` (title, SVG and summary) live here rather than in
:mod:`toolkit.charts.specs` so that code that only passes them around (the
self-benchmark app, its views) need not import Altair, which costs about
40 MB per kernel.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, field_validator

from toolkit.domain.bands import BandSet
from toolkit.domain.measures import ServiceMeasures, measure_service, pool_services
from toolkit.domain.record import ServiceRecord

POOLED_LABEL = "All services together (pooled)"
#: The self-benchmark app's chart job (see toolkit.charts.jobs and toolkit.charts.job_runner).
JOB = "self_benchmark"


@dataclass(frozen=True)
class Entry:
    """One service (or pooled group) to draw."""

    label: str
    measures: ServiceMeasures


@dataclass(frozen=True)
class RenderedChart:
    """A chart ready to show: title, SVG markup and its text summary."""

    key: str
    title: str
    svg: str
    summary: str

    def img_tag(self) -> str:
        """An <img> with the SVG as a data URI and the summary as its alternative text."""
        data = base64.b64encode(self.svg.encode("utf-8")).decode("ascii")
        alt_text = html.escape(f"{self.title}. {self.summary}", quote=True)
        return (
            f'<img class="toolkit-chart" src="data:image/svg+xml;base64,{data}" alt="{alt_text}" '
            'style="max-width:100%;height:auto">'
        )


def entries_for(records: Sequence[ServiceRecord]) -> list[Entry]:
    """Each service's measures, plus the pooled group when there are several services."""
    entries = [Entry(record.name, measure_service(record)) for record in records]
    if len(records) > 1:
        entries.append(Entry(POOLED_LABEL, pool_services(records)))
    return entries


class ChartJob(BaseModel):
    """A request for the self-benchmark app's charts, as sent to the chart process."""

    model_config = ConfigDict(frozen=True)

    job: str = JOB
    format: Literal["svg", "png"] = "svg"
    records: list[ServiceRecord]
    band_sets: list[BandSet]
    client_group: str = "all"

    @field_validator("job")
    @classmethod
    def _known_job(cls, value: str) -> str:
        if value != JOB:
            raise ValueError(f"unknown chart job {value!r}")
        return value


def job_request(
    records: Sequence[ServiceRecord],
    band_sets: Sequence[BandSet | str],
    client_group: str = "all",
    fmt: str = "svg",
) -> dict[str, Any]:
    """The request for the charts of these services, as JSON-ready data (the wire form)."""
    job = ChartJob.model_validate(
        {
            "format": fmt,
            "records": list(records),
            "band_sets": [BandSet(band_set) for band_set in band_sets],
            "client_group": client_group,
        }
    )
    return job.model_dump(mode="json")
