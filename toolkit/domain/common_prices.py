"""Several services' figures in one stated price base, so they compare like with like.

Each service says which financial year its figures cover (or gives its own uprating factor).
Put side by side, the services, their pooled group and the study's bands must all be in the
prices of one year: the latest year any of them gives. Each service's costs are uprated from
its own year to that year through the study's prices: ``common factor / own factor`` (both
factors turn the study's prices into a year's prices). A service that gave no year cannot be
uprated: its figures are shown as given, and the notes say so. Only money is uprated
(``total_cost``; the costs per person and per job outcome follow from it); counts, rates and
shares are not.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from toolkit.domain.prices import (
    PriceBase,
    PriceError,
    parse_financial_year,
    price_base_for,
    study_price_base,
)
from toolkit.domain.record import ServiceRecord


class CommonPrices(BaseModel):
    """The one price base for a set of services, and each service's factor into it."""

    model_config = ConfigDict(frozen=True)

    price_base: PriceBase
    #: Per service, in the order given: multiply its costs by this to reach ``price_base``.
    factors: list[float]
    #: Sentences saying what was uprated and what could not be (empty when nothing needed).
    notes: list[str]

    @property
    def caption(self) -> str:
        """One line for a chart's caption or a summary: which prices the money is in."""
        return f"Prices: {self.price_base.label}."

    def describe(self) -> str:
        """The caption and the notes, as one paragraph of plain text."""
        return " ".join([self.caption, *self.notes])


def _own_base(record: ServiceRecord) -> PriceBase:
    return price_base_for(record.year, record.uprating_factor)


def _year_key(year: str) -> int:
    return int(parse_financial_year(year)[:4])


def _common_base(records: Sequence[ServiceRecord], bases: Sequence[PriceBase]) -> PriceBase:
    """The latest year given; the GDP deflator's base for it where the series reaches it."""
    dated = [(record, base) for record, base in zip(records, bases, strict=True) if record.year]
    if not dated:
        own = [base for base in bases if base.uprated]
        return own[0] if own else study_price_base()
    latest = max(_year_key(record.year or "") for record, _ in dated)
    candidates = [base for record, base in dated if _year_key(record.year or "") == latest]
    deflated = next((base for base in candidates if base.method == "gdp_deflator"), None)
    if deflated is not None:
        return deflated
    try:
        return price_base_for(candidates[0].year)
    except PriceError:  # beyond the shipped series: that service's own factor sets the base
        return candidates[0]


def common_prices(
    records: Sequence[ServiceRecord], names: Sequence[str] | None = None
) -> CommonPrices:
    """The price base the services are shown in together, and each one's factor into it.

    ``names`` are how the services are shown (for the notes); their own names by default.
    """
    names = list(names) if names is not None else [record.name for record in records]
    bases = [_own_base(record) for record in records]
    common = _common_base(records, bases)
    factors, notes = [], []
    undated = []
    for name, base in zip(names, bases, strict=True):
        if not base.uprated:
            factors.append(1.0)
            if common.uprated:
                undated.append(name)
            continue
        factor = common.factor / base.factor
        factors.append(factor)
        if abs(factor - 1.0) > 1e-9:
            notes.append(
                f"{name}'s figures ({base.year} prices) are uprated to {common.year} prices "
                f"(\u00d7{factor:.2f}), so every service is in the same prices."
            )
    if undated:
        who = ", ".join(undated)
        verb = "gives" if len(undated) == 1 else "give"
        notes.append(
            f"{who} {verb} no year for the figures, so they cannot be uprated and are shown "
            f"as given; they compare fairly only if they are in {common.year} prices."
        )
    return CommonPrices(price_base=common, factors=factors, notes=notes)


def in_common_prices(record: ServiceRecord, factor: float) -> ServiceRecord:
    """The record with its costs multiplied by ``factor`` (counts unchanged)."""
    if abs(factor - 1.0) <= 1e-12:
        return record
    return record.model_copy(update={"total_cost": record.total_cost * factor})


def records_in_common_prices(
    records: Sequence[ServiceRecord], names: Sequence[str] | None = None
) -> tuple[list[ServiceRecord], CommonPrices]:
    """The records with their costs in one price base, and that base with its notes."""
    prices = common_prices(records, names)
    shown = [
        in_common_prices(record, factor)
        for record, factor in zip(records, prices.factors, strict=True)
    ]
    return shown, prices
