"""Typed results: one service's result and a group's result, built once.

:class:`ServiceResult` (record, measures, comparisons, notes) is what the
command line prints as JSON (``model_dump(mode="json")``), what the exports
write and what the apps, the board report and the charts read.
:class:`GroupResult` holds several services with their pooled figures, the
plain average of their own figures and the study average they are set against.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pydantic import BaseModel, ConfigDict, Field, field_serializer

from toolkit.domain.bands import BandSet
from toolkit.domain.common_prices import CommonPrices, records_in_common_prices
from toolkit.domain.compare import (
    Comparison,
    Judgement,
    Position,
    chance_note,
    compare_measures,
)
from toolkit.domain.measures import (
    Measure,
    ServiceMeasures,
    is_defined,
    mean_of_service_figures,
    measure_service,
    pool_services,
)
from toolkit.domain.outcome_detail import OutcomeDetail, outcome_detail
from toolkit.domain.prices import PriceBase, price_base_for
from toolkit.domain.record import ClientGroup, ServiceRecord

ALL_BAND_SETS = (BandSet.evidence_based, BandSet.all_sites)

#: The client groups the study publishes their own averages for (Tables 4 to 6).
GROUPS_WITH_AVERAGES = (ClientGroup.learning_disability, ClientGroup.mental_health)


def plain(value: Measure | None, places: int = 4) -> float | None:
    """A measure as a JSON number, or None when it is not defined."""
    return round(value, places) if is_defined(value) else None


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class OutcomeParts(_Frozen):
    """One figure for each kind of job outcome (None: not defined)."""

    new_jobs: float | None
    jobs_retained: float | None
    self_employed: float | None

    @classmethod
    def of(cls, values: dict[str, Measure], places: int) -> OutcomeParts:
        return cls(**{key: plain(value, places) for key, value in values.items()})


class Figures(_Frozen):
    """A service's (or a pooled group's) measures as numbers: the JSON ``measures`` object."""

    total_cost: float
    people_supported: int
    cost_per_person: float | None
    cost_per_job_outcome: float | None
    job_outcome_rate: float | None
    job_outcomes: int
    outcome_split: OutcomeParts
    per_100_supported: OutcomeParts
    support_level_index: float | None

    @classmethod
    def of(cls, measures: ServiceMeasures) -> Figures:
        return cls(
            total_cost=measures.total_cost,
            people_supported=measures.people_supported,
            cost_per_person=plain(measures.cost_per_person, 2),
            cost_per_job_outcome=plain(measures.cost_per_job_outcome, 2),
            job_outcome_rate=plain(measures.job_outcome_rate),
            job_outcomes=measures.job_outcomes,
            outcome_split=OutcomeParts.of(measures.outcome_split, 4),
            per_100_supported=OutcomeParts.of(measures.per_100_supported, 2),
            support_level_index=plain(measures.support_level_index, 3),
        )


class MeanFigures(_Frozen):
    """The plain average of services' own figures, each service counting once."""

    cost_per_person: float | None
    cost_per_job_outcome: float | None
    job_outcome_rate: float | None


class IntervalResult(_Frozen):
    low: float
    high: float | None


class ComparisonResult(_Frozen):
    """One measure against one set of bands (the JSON shape of a comparison)."""

    measure: str
    bands: BandSet
    low: float
    mean: float
    high: float
    value: float | None
    interval: IntervalResult | None
    position: Position | None
    judgement: Judgement
    text: str

    @classmethod
    def of(cls, comparison: Comparison) -> ComparisonResult:
        interval = comparison.interval
        return cls(
            measure=comparison.measure,
            bands=comparison.bands,
            low=comparison.band.low,
            mean=comparison.band.mean,
            high=comparison.band.high,
            value=comparison.value,
            interval=None
            if interval is None
            else IntervalResult(low=interval.low, high=interval.high),
            position=comparison.position,
            judgement=comparison.judgement,
            text=comparison.text,
        )


class ServiceResult(BaseModel):
    """The full result for one service."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    service: ServiceRecord
    measures: Figures
    #: The prices the bands were put into (the JSON ``price_base`` object).
    price_base: PriceBase
    comparisons: list[ComparisonResult]
    #: Job outcomes under two definitions, and their Support Level Index.
    outcome_detail: OutcomeDetail
    notes: list[str]
    #: The measures with their reasons when not defined (not part of the JSON).
    measured: ServiceMeasures = Field(exclude=True, repr=False)

    @field_serializer("price_base")
    def _price_base_json(self, price_base: PriceBase) -> dict[str, object]:
        return price_base.to_dict()

    @property
    def name(self) -> str:
        return self.service.name

    @property
    def band_sets(self) -> list[BandSet]:
        """The sets of bands this result was compared with, in the usual order."""
        present = {c.bands for c in self.comparisons}
        return [band_set for band_set in BandSet if band_set in present]

    def comparison(self, band_set: BandSet, measure: str) -> ComparisonResult | None:
        """The comparison of one measure with one set of bands, if it was made."""
        return next(
            (c for c in self.comparisons if c.bands == band_set and c.measure == measure), None
        )

    def rate_interval(self) -> IntervalResult | None:
        """The likely range of the job outcome rate (the same for every set of bands)."""
        return next(
            (
                c.interval
                for c in self.comparisons
                if c.measure == "job_outcome_rate" and c.interval
            ),
            None,
        )


def measures_to_dict(measures: ServiceMeasures) -> dict[str, object]:
    """The ``measures`` object of the JSON output (for callers that store plain data)."""
    return Figures.of(measures).model_dump(mode="json")


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
) -> ServiceResult:
    """The full result for one service."""
    measures = measure_service(record)
    notes = list(measures.notes) + not_defined_notes(measures)
    if record.support_levels is None:
        notes.append("Support Level Index not worked out: the support-level counts were not given.")
    if note := chance_note(measures):
        notes.append(note)
    prices = record_price_base(record)
    notes.append(f"Prices: {prices.label}.")
    return ServiceResult(
        service=record,
        measures=Figures.of(measures),
        price_base=prices,
        comparisons=[ComparisonResult.of(c) for c in comparisons_for(measures, band_sets, prices)],
        outcome_detail=outcome_detail(record),
        notes=notes,
        measured=measures,
    )


def average_group_for(records: Iterable[ServiceRecord]) -> str:
    """Which study average services are set against: ``all``, or their own client group.

    A group's own average fits only when every service shown belongs to that group and
    the study published an average for it; otherwise (mixed, other or not given) the
    average for all services. The apps, the board report and the charts all ask here.
    """
    groups = {record.client_group for record in records}
    if len(groups) == 1:
        (group,) = groups
        if group in GROUPS_WITH_AVERAGES:
            return group.value
    return "all"


class GroupResult(BaseModel):
    """Several services' results, their pooled figures and the plain average of their own."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    services: list[ServiceResult]
    #: Worked out from the services' totals; None for fewer than two services.
    pooled: Figures | None
    pooled_measures: ServiceMeasures | None = Field(exclude=True, repr=False)
    #: Each service's own figure averaged, each counting once; None for fewer than two.
    mean_of_services: MeanFigures | None
    #: The study average these services are set against (see :func:`average_group_for`).
    average_group: str
    #: The one price base the pooled and average rows are in (services from different years
    #: are uprated to the latest year given); None for fewer than two services.
    prices: CommonPrices | None = None

    @property
    def records(self) -> list[ServiceRecord]:
        return [result.service for result in self.services]

    @property
    def band_sets(self) -> list[BandSet]:
        """The sets of bands any service was compared with (both when there is none)."""
        present = {band_set for result in self.services for band_set in result.band_sets}
        return [band_set for band_set in BandSet if band_set in present] or list(BandSet)


def group_result(results: Sequence[ServiceResult]) -> GroupResult:
    """The group's result for services already worked out."""
    results = list(results)
    records = [result.service for result in results]
    pooled = mean = prices = None
    pooled_measures = None
    if len(results) > 1:
        uprated, prices = records_in_common_prices(records)
        pooled_measures = pool_services(uprated)
        pooled = Figures.of(pooled_measures)
        uprated_measures = [measure_service(record) for record in uprated]
        mean = MeanFigures(
            **{
                key: plain(mean_of_service_figures(getattr(m, key) for m in uprated_measures), 4)
                for key in ("cost_per_person", "cost_per_job_outcome", "job_outcome_rate")
            }
        )
    return GroupResult(
        services=results,
        pooled=pooled,
        pooled_measures=pooled_measures,
        mean_of_services=mean,
        average_group=average_group_for(records),
        prices=prices,
    )


def group_of_records(
    records: Sequence[ServiceRecord], band_sets: Iterable[BandSet | str] = ALL_BAND_SETS
) -> GroupResult:
    """The group's result for validated services."""
    band_sets = list(band_sets)
    return group_result([service_result(record, band_sets) for record in records])
