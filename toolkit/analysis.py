"""The toolkit for analysts: measures, comparisons and bands as pandas DataFrames.

For work in JupyterLab (see ``analysis/analyst_example.ipynb``). Every figure comes from
the same pure functions as the apps (:mod:`toolkit.domain`), so a table worked out here matches
what the apps, the command line and the report show.

The table of services has one row per service. Its columns are the record's field names
(``name``, ``total_cost``, ``people_supported``, ``new_jobs``, ``jobs_retained``, and optionally
``self_employed``, ``client_group``, ``support_model``, ``year`` and the three support-level
counts) or the labels people see for them ("Service name", "People supported", ...). Other
columns (a region, say) are left alone. A measure that cannot be worked out is missing (NaN) in the
frame, and the ``notes`` column says why.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any

import pandas as pd

from toolkit.content.sources import cite
from toolkit.domain.bands import BAND_SET_LABELS, BandSet, load_averages, load_bands
from toolkit.domain.compare import compare_measures
from toolkit.domain.measures import Measure, ServiceMeasures, is_defined, measure_service
from toolkit.domain.record import (
    FIELD_LABELS,
    REQUIRED_FIELDS,
    ServiceRecord,
    ServiceRecordError,
    parse_service,
)

ALL_BAND_SETS = tuple(BandSet)
#: Column names accepted for each field: its name or the label people see.
_COLUMN_FIELDS = {
    **{field: field for field in FIELD_LABELS},
    **{v: k for k, v in FIELD_LABELS.items()},
}


class ServiceTableError(ValueError):
    """Some rows of the table could not be read; ``problems`` holds (row, field label, message)."""

    def __init__(self, problems: list[tuple[Hashable, str, str]]):
        self.problems = problems
        listed = "\n".join(f"- row {row}, {label}: {message}" for row, label, message in problems)
        super().__init__(f"{len(problems)} problem(s) in the table of services:\n{listed}")


def _value(value: Any) -> Any:
    """A cell as the record expects it: blank (NaN, None, NA) becomes None."""
    if value is None or (not isinstance(value, str) and bool(pd.isna(value))):
        return None
    return value.item() if hasattr(value, "item") else value  # numpy scalars to Python


def read_services(services: pd.DataFrame) -> list[tuple[Hashable, ServiceRecord]]:
    """Each row validated as a service record, keyed by the frame's index.

    Raises :class:`ServiceTableError` listing every problem (row, field and what is expected).
    """
    fields = {
        column: _COLUMN_FIELDS[str(column)]
        for column in services.columns
        if str(column) in _COLUMN_FIELDS
    }
    missing = [FIELD_LABELS[field] for field in REQUIRED_FIELDS if field not in fields.values()]
    if missing:
        raise ServiceTableError(
            [("(header)", label, "no column for this figure") for label in missing]
        )
    records: list[tuple[Hashable, ServiceRecord]] = []
    problems: list[tuple[Hashable, str, str]] = []
    for row, cells in services.iterrows():
        values = {fields[column]: _value(cells[column]) for column in fields}
        try:
            records.append((row, parse_service({k: v for k, v in values.items() if v is not None})))
        except ServiceRecordError as exc:
            problems.extend((row, problem.label, problem.message) for problem in exc.problems)
    if problems:
        raise ServiceTableError(problems)
    return records


def _number(value: Measure | None) -> float | None:
    return value if is_defined(value) else None


def _measure_row(record: ServiceRecord, measures: ServiceMeasures) -> dict[str, Any]:
    reasons = [
        f"{label}: {value.reason}"
        for label, value in (
            ("cost per job outcome", measures.cost_per_job_outcome),
            ("support level index", measures.support_level_index),
        )
        if value is not None and not is_defined(value)
    ]
    return {
        "name": record.name,
        "client_group": record.client_group.value if record.client_group else None,
        "total_cost": measures.total_cost,
        "people_supported": measures.people_supported,
        "job_outcomes": measures.job_outcomes,
        "cost_per_person": _number(measures.cost_per_person),
        "cost_per_job_outcome": _number(measures.cost_per_job_outcome),
        "job_outcome_rate": _number(measures.job_outcome_rate),
        **{
            f"{key}_per_100_supported": _number(value)
            for key, value in measures.per_100_supported.items()
        },
        "support_level_index": _number(measures.support_level_index),
        "notes": "; ".join(reasons + measures.notes),
    }


#: Columns of :func:`service_measures` that hold numbers (missing where not defined).
MEASURE_COLUMNS = (
    "total_cost",
    "people_supported",
    "job_outcomes",
    "cost_per_person",
    "cost_per_job_outcome",
    "job_outcome_rate",
    "new_jobs_per_100_supported",
    "jobs_retained_per_100_supported",
    "self_employed_per_100_supported",
    "support_level_index",
)


def service_measures(services: pd.DataFrame) -> pd.DataFrame:
    """One row per service (same index as ``services``) with its measures of value for money."""
    rows = [_measure_row(record, measure_service(record)) for _, record in read_services(services)]
    frame = pd.DataFrame(
        rows, index=services.index, columns=["name", "client_group", *MEASURE_COLUMNS, "notes"]
    )
    for column in MEASURE_COLUMNS:
        frame[column] = pd.to_numeric(frame[column])
    return frame


def compare_services(
    services: pd.DataFrame, band_sets: Iterable[BandSet | str] = ALL_BAND_SETS
) -> pd.DataFrame:
    """Each service's banded measures against each chosen set of bands (one row per comparison).

    Columns: ``service`` (the row's index label in ``services``), ``name``, ``bands``,
    ``measure``, ``value``, the band's ``low``, ``mean`` and ``high``, the likely range
    (``interval_low``, ``interval_high``), ``position`` (below, within, above), ``judgement``
    (better, similar, worse, no_judgement: it allows for chance) and the sentence ``text``.
    """
    chosen = [BandSet(band_set) for band_set in band_sets]
    rows: list[dict[str, Any]] = []
    for row, record in read_services(services):
        measures = measure_service(record)
        for band_set in chosen:
            for comparison in compare_measures(measures, band_set):
                interval = comparison.interval
                rows.append(
                    {
                        "service": row,
                        "name": record.name,
                        "bands": band_set.value,
                        "measure": comparison.measure,
                        "value": comparison.value,
                        "low": comparison.band.low,
                        "mean": comparison.band.mean,
                        "high": comparison.band.high,
                        "interval_low": interval.low if interval else None,
                        "interval_high": interval.high if interval else None,
                        "position": comparison.position.value if comparison.position else None,
                        "judgement": comparison.judgement.value,
                        "text": comparison.text,
                    }
                )
    return pd.DataFrame(rows)


def bands_frame() -> pd.DataFrame:
    """The study's published bands (``data/bands.csv``), one row per measure and set of bands."""
    return pd.DataFrame(
        [
            {
                "measure": band.measure,
                "bands": band.bands.value,
                "bands_label": BAND_SET_LABELS[band.bands],
                "unit": band.unit,
                "range_min": band.range_min,
                "low": band.low,
                "mean": band.mean,
                "high": band.high,
                "range_max": band.range_max,
                "services": band.services,
                "source": band.source,
            }
            for band in load_bands().values()
        ]
    )


def averages_frame() -> pd.DataFrame:
    """The study's published averages (``data/averages.csv``), one row per client group and measure."""
    return pd.DataFrame(
        [
            {
                "client_group": item.client_group,
                "measure": item.measure,
                "value": item.value,
                "unit": item.unit,
                "services": item.services,
                "source": cite(item.source_document, item.source_table),
            }
            for item in load_averages().values()
        ]
    )
