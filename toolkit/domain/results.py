"""One service's full result (record, measures, comparisons, notes) as plain data.

This is the shape the command line prints as JSON and the exports write; the
apps use the same objects.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from toolkit.domain.bands import BandSet
from toolkit.domain.compare import Comparison, chance_note, compare_measures
from toolkit.domain.measures import Measure, ServiceMeasures, is_defined, measure_service
from toolkit.domain.outcome_detail import outcome_detail
from toolkit.domain.prices import PriceBase, price_base_for
from toolkit.domain.record import ServiceRecord

ALL_BAND_SETS = (BandSet.evidence_based, BandSet.all_sites)


def plain(value: Measure | None, places: int = 4) -> float | None:
    """A measure as a JSON number, or None when it is not defined."""
    return round(value, places) if is_defined(value) else None  # type: ignore[arg-type]


def measures_to_dict(measures: ServiceMeasures) -> dict[str, Any]:
    """The ``measures`` object of the JSON output."""
    return {
        "total_cost": measures.total_cost,
        "people_supported": measures.people_supported,
        "cost_per_person": plain(measures.cost_per_person, 2),
        "cost_per_job_outcome": plain(measures.cost_per_job_outcome, 2),
        "job_outcome_rate": plain(measures.job_outcome_rate),
        "job_outcomes": measures.job_outcomes,
        "outcome_split": {key: plain(value) for key, value in measures.outcome_split.items()},
        "per_100_supported": {
            key: plain(value, 2) for key, value in measures.per_100_supported.items()
        },
        "support_level_index": plain(measures.support_level_index, 3),
    }


def not_defined_notes(measures: ServiceMeasures) -> list[str]:
    """One note for each measure that has no value, saying why."""
    notes = []
    for label, value in (
        ("Cost per job outcome", measures.cost_per_job_outcome),
        ("Outcome split", measures.outcome_split["new_jobs"]),
    ):
        if value is not None and not is_defined(value):
            notes.append(f"{label} is not defined: {value.reason}.")
    return notes


def comparisons_for(
    measures: ServiceMeasures,
    band_sets: Iterable[BandSet | str] = ALL_BAND_SETS,
    price_base: PriceBase | None = None,
) -> list[Comparison]:
    """Comparisons with each chosen set of bands, in the price base's prices."""
    return [
        c
        for band_set in band_sets
        for c in compare_measures(measures, band_set, price_base=price_base)
    ]


def record_price_base(record: ServiceRecord) -> PriceBase:
    """The prices a service's figures are in: its year, with its own factor if given."""
    return price_base_for(record.year, record.uprating_factor)


def service_result(
    record: ServiceRecord, band_sets: Iterable[BandSet | str] = ALL_BAND_SETS
) -> dict[str, Any]:
    """The full result for one service, in the documented JSON shape."""
    measures = measure_service(record)
    notes = list(measures.notes) + not_defined_notes(measures)
    if record.support_levels is None:
        notes.append("Support Level Index not worked out: the support-level counts were not given.")
    if note := chance_note(measures):
        notes.append(note)
    prices = record_price_base(record)
    notes.append(f"Prices: {prices.label}.")
    return {
        "service": record.model_dump(mode="json"),
        "measures": measures_to_dict(measures),
        "price_base": prices.to_dict(),
        "comparisons": [c.to_dict() for c in comparisons_for(measures, band_sets, prices)],
        "outcome_detail": outcome_detail(record),
        "notes": notes,
    }
