"""View data built once from typed results, then rendered as HTML, spreadsheet rows or charts.

Every figure is formatted here and every word comes from the vocabulary, so the
app's panels, the board report and the spreadsheets say the same thing the same
way. Nothing here computes a measure: it only arranges and formats
:class:`~toolkit.domain.results.ServiceResult` and
:class:`~toolkit.domain.invest.WhatIf`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from toolkit.content.vocabulary import vocabulary
from toolkit.domain.bands import BANDED_MEASURES, BandSet, load_bands
from toolkit.domain.invest import WhatIf
from toolkit.domain.measures import is_defined
from toolkit.domain.prices import MONEY_UNITS, band_in_prices
from toolkit.domain.record import CLIENT_GROUP_LABELS, ClientGroup
from toolkit.domain.results import ComparisonResult, Figures, MeanFigures, ServiceResult
from toolkit.present import formatting as fmt
from toolkit.present.vocabulary import (
    Badge,
    band_set_label,
    direction_words,
    judgement_badge,
    measure_label,
    position_label,
)

# --------------------------------------------------------------------------------------------
# Key figures
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyFigures:
    """A service's (or a group's) main figures, formatted."""

    total_cost: str
    people_supported: str
    job_outcomes: str
    cost_per_person: str
    cost_per_job_outcome: str
    job_outcome_rate: str

    @classmethod
    def of(cls, figures: Figures) -> KeyFigures:
        return cls(
            total_cost=fmt.money(figures.total_cost),
            people_supported=fmt.count(figures.people_supported),
            job_outcomes=fmt.count(figures.job_outcomes),
            cost_per_person=fmt.money(figures.cost_per_person),
            cost_per_job_outcome=fmt.money(figures.cost_per_job_outcome),
            job_outcome_rate=fmt.percent(figures.job_outcome_rate),
        )

    @classmethod
    def of_mean(cls, mean: MeanFigures) -> KeyFigures:
        """The plain average of services' own figures (no totals: they are not averaged)."""
        return cls(
            total_cost="",
            people_supported="",
            job_outcomes="",
            cost_per_person=fmt.money(mean.cost_per_person),
            cost_per_job_outcome=fmt.money(mean.cost_per_job_outcome),
            job_outcome_rate=fmt.percent(mean.job_outcome_rate),
        )


def split_text(figures: Figures) -> str:
    """``60% new jobs, 36% retained, 4% self-employed``."""
    split = figures.outcome_split
    if split.new_jobs is None:
        return "no job outcomes to split"
    return (
        f"{fmt.percent(split.new_jobs, 0)} new jobs, {fmt.percent(split.jobs_retained, 0)} "
        f"retained, {fmt.percent(split.self_employed, 0)} self-employed"
    )


def per_100_text(figures: Figures) -> str:
    """``25 new jobs, 15 retained, 1.7 self-employed``."""
    per_100 = figures.per_100_supported
    return (
        f"{fmt.count(per_100.new_jobs)} new jobs, {fmt.count(per_100.jobs_retained)} "
        f"retained, {fmt.count(per_100.self_employed)} self-employed"
    )


def rate_range_text(result: ServiceResult) -> str | None:
    """The job outcome rate's likely range: ``31.4% to 50.5%``."""
    interval = result.rate_interval()
    if interval is None:
        return None
    return f"{fmt.percent(interval.low)} to {fmt.percent(interval.high)}"


@dataclass(frozen=True)
class ServiceFigures:
    """Everything the key-figures panel of one service shows."""

    name: str
    facts: list[tuple[str, str]]
    figures: KeyFigures
    rate_range: str | None
    split: str
    per_100: str
    sli: str | None


def service_figures(result: ServiceResult) -> ServiceFigures:
    service, figures = result.service, result.measures
    facts = []
    if service.year:
        facts.append(("Year", service.year))
    facts.append(("Prices", result.price_base.label))
    if service.client_group:
        facts.append(("Client group", CLIENT_GROUP_LABELS[ClientGroup(service.client_group)]))
    if service.support_model:
        facts.append(("Support model", service.support_model))
    return ServiceFigures(
        name=service.name,
        facts=facts,
        figures=KeyFigures.of(figures),
        rate_range=rate_range_text(result),
        split=split_text(figures),
        per_100=per_100_text(figures),
        sli=None if figures.support_level_index is None else fmt.index(figures.support_level_index),
    )


# --------------------------------------------------------------------------------------------
# Comparison rows
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ComparisonRow:
    """One measure against one set of bands, formatted."""

    key: str
    measure: str
    direction: str
    value: str
    band: str
    mean: str
    position: str
    badge: Badge
    text: str


def comparison_row(c: ComparisonResult) -> ComparisonRow:
    return ComparisonRow(
        key=c.measure,
        measure=measure_label(c.measure),
        direction=direction_words(c.measure),
        value=fmt.measure_value(c.measure, c.value),
        band=fmt.band_range(c.measure, c.low, c.high),
        mean=fmt.measure_value(c.measure, c.mean),
        position=position_label(c.position),
        badge=judgement_badge(c.judgement),
        text=c.text,
    )


@dataclass(frozen=True)
class ComparisonGroup:
    """A service's comparisons with one set of bands."""

    band_set: BandSet
    group: str
    rows: list[ComparisonRow]


def comparison_groups(
    comparisons: Sequence[ComparisonResult], band_sets: Sequence[BandSet] | None = None
) -> list[ComparisonGroup]:
    """A service's comparisons, one group per set of bands, measures in the usual order."""
    found = {(c.bands, c.measure): c for c in comparisons}
    groups = []
    for band_set in band_sets or list(BandSet):
        rows = [
            comparison_row(found[(band_set, measure)])
            for measure in BANDED_MEASURES
            if (band_set, measure) in found
        ]
        if rows:
            groups.append(ComparisonGroup(band_set, band_set_label(band_set), rows))
    return groups


# --------------------------------------------------------------------------------------------
# What a budget buys
# --------------------------------------------------------------------------------------------


def outcomes_text(value: object) -> str:
    """Job outcomes a budget buys, as a whole number (``not meaningful`` when not defined)."""
    return fmt.count(round(value)) if is_defined(value) else "not meaningful"


@dataclass(frozen=True)
class WhatIfCell:
    outcomes: str
    price: str

    def __str__(self) -> str:
        return f"{self.outcomes} (at {self.price})"


@dataclass(frozen=True)
class WhatIfRow:
    label: str
    cells: list[WhatIfCell]
    own: bool = False


@dataclass(frozen=True)
class WhatIfView:
    heading: str
    budget: str
    rows: list[WhatIfRow]
    text: list[str] = field(default_factory=list)
    #: The prices the bands are in (for example "bands in 2024-25 prices (...)"); "" if unknown.
    prices: str = ""
    #: What a reader must know before quoting the what-if.
    caveats: list[str] = field(default_factory=list)


def what_if_view(result: WhatIf, heading: str = "", own_label: str | None = None) -> WhatIfView:
    """A budget's job outcomes at each band (and at the service's own cost when labelled)."""
    rows = []
    if own_label is not None:
        rows.append(WhatIfRow(own_label, [WhatIfCell(outcomes_text(result.at_own_cost), "")], True))
    bands = load_bands()
    for band_set, points in result.at_bands.items():
        band = band_in_prices(bands[("cost_per_job_outcome", band_set)], result.price_base)
        cells = []
        for point, value in points.items():
            cost = getattr(band, point)
            price = "no lower limit" if cost <= 0 else fmt.money(cost)
            cells.append(WhatIfCell(outcomes_text(value), price))
        rows.append(WhatIfRow(band_set_label(band_set), cells))
    prices = result.price_base.label if result.price_base else ""
    return WhatIfView(
        heading, fmt.money(result.budget), rows, list(result.text), prices, list(result.caveats)
    )


# --------------------------------------------------------------------------------------------
# Prices: which prices the bands are in, with the study's own one click away
# --------------------------------------------------------------------------------------------

#: The banded measures that are money, and so are uprated.
MONEY_MEASURES = ("cost_per_person", "cost_per_job_outcome")


@dataclass(frozen=True)
class StudyPricesRow:
    group: str
    measure: str
    study: str
    shown: str


@dataclass(frozen=True)
class PricesView:
    label: str
    uprated: bool
    study_prices: str
    factor: str
    source: str
    year: str
    rows: list[StudyPricesRow]


def prices_view(result: ServiceResult, band_sets: Sequence[BandSet] | None = None) -> PricesView:
    """The prices line and, when uprated, each money band in the study's and the user's prices."""
    price_base = result.price_base
    rows = []
    if price_base.uprated:
        for band_set in band_sets or result.band_sets or list(BandSet):
            for measure in MONEY_MEASURES:
                band = load_bands()[(measure, band_set)]
                if band.unit not in MONEY_UNITS:
                    continue
                shown = band_in_prices(band, price_base)
                rows.append(
                    StudyPricesRow(
                        band_set_label(band_set),
                        measure_label(measure),
                        " / ".join(fmt.money(getattr(band, p)) for p in ("low", "mean", "high")),
                        " / ".join(fmt.money(getattr(shown, p)) for p in ("low", "mean", "high")),
                    )
                )
    return PricesView(
        label=price_base.label,
        uprated=price_base.uprated,
        study_prices=price_base.study_prices[:1].upper() + price_base.study_prices[1:],
        factor=f"\u00d7{price_base.factor:.2f}",
        source=price_base.source,
        year=price_base.year,
        rows=rows,
    )


# --------------------------------------------------------------------------------------------
# Outcome detail: two definitions of a job outcome, and the SLI of the job outcomes
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DefinitionRow:
    label: str
    job_outcomes: str
    rate: str
    cost: str
    compared: str
    note: str


@dataclass(frozen=True)
class OutcomeDetailView:
    rows: list[DefinitionRow]
    #: The Support Level Index of the job outcomes (None: not given).
    sli: str | None
    #: That of the people supported, to set beside it (None: not given).
    people_sli: str | None


def outcome_detail_view(result: ServiceResult) -> OutcomeDetailView:
    """The definitions table and the SLI line; empty when the service gave neither."""
    detail = result.outcome_detail
    rows = [
        DefinitionRow(
            label=d.label,
            job_outcomes=fmt.count(d.job_outcomes),
            rate=fmt.percent(d.job_outcome_rate),
            cost=vocabulary().not_defined
            if d.cost_per_job_outcome is None
            else fmt.money(d.cost_per_job_outcome),
            compared="Yes" if d.compared_with_bands else "No band",
            note=d.note,
        )
        for d in detail.definitions
    ]
    sli = detail.support_level_index_of_job_outcomes
    people = result.measures.support_level_index
    return OutcomeDetailView(
        rows=rows,
        sli=None if sli is None else fmt.index(sli),
        people_sli=None if people is None else fmt.index(people),
    )
