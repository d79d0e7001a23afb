"""What a budget could buy: job outcomes at a given cost per job outcome."""

from __future__ import annotations

import math
from dataclasses import dataclass

from toolkit.domain.bands import BandSet, band_for
from toolkit.domain.measures import Measure, NotDefined, ServiceMeasures, is_defined
from toolkit.domain.prices import PriceBase, band_in_prices, study_price_base
from toolkit.present.formatting import count, money

BAND_POINTS = ("low", "mean", "high")


def job_outcomes_for_budget(budget: float, cost_per_job: Measure) -> Measure:
    """Job outcomes a budget buys at a cost per job outcome."""
    if budget < 0:
        raise ValueError("budget: cannot be negative")
    if not is_defined(cost_per_job):
        return NotDefined("there is no cost per job outcome to divide by")
    if cost_per_job <= 0:
        return NotDefined(
            "a cost per job outcome of £0 is the study's way of saying the band has no lower "
            "limit, so it cannot say how many jobs the money would buy"
        )
    return budget / cost_per_job


def band_outcomes(
    budget: float, band_set: BandSet | str, price_base: PriceBase | None = None
) -> dict[str, Measure]:
    """Job outcomes at the band's low, mean and high cost per job outcome (in ``price_base``)."""
    band = band_in_prices(band_for("cost_per_job_outcome", band_set), price_base)
    return {point: job_outcomes_for_budget(budget, getattr(band, point)) for point in BAND_POINTS}


@dataclass(frozen=True)
class WhatIf:
    """A budget set against the service's own cost per job and the bands."""

    budget: float
    at_own_cost: Measure
    at_bands: dict[BandSet, dict[str, Measure]]
    more_outcomes_to_reach_evidence_mean: int | None
    text: list[str]
    price_base: PriceBase | None = None
    caveats: tuple[str, ...] = ()


def more_outcomes_needed(total_cost: float, job_outcomes: int, target_cost_per_job: float) -> int:
    """Extra job outcomes needed, for the same spend, to bring cost per job down to the target."""
    if target_cost_per_job <= 0:
        raise ValueError("target_cost_per_job: must be more than £0")
    needed = math.ceil(round(total_cost / target_cost_per_job, 9))
    return max(0, needed - job_outcomes)


def what_if_caveats(price_base: PriceBase) -> tuple[str, ...]:
    """What a reader must know before quoting the what-if (in our words)."""
    return (
        f"Prices: {price_base.label}. The study's figures were {price_base.study_prices}.",
        "The study offers its figures as a starting point for local discussion only, not as "
        "targets or forecasts.",
        "Each band comes from the mean of the services' own figures (each service counts "
        "once), not from pooled spending and job outcomes.",
        "For learning disability services the study expects real costs at the top of the "
        "evidence-based band or a little above it: some of the services' budgets left out "
        "council overheads.",
    )


def what_if(
    budget: float, measures: ServiceMeasures | None = None, price_base: PriceBase | None = None
) -> WhatIf:
    """Job outcomes a budget buys at the service's own cost per job and at each band.

    The bands are put into ``price_base`` (the study's own prices when None), and the
    result carries the caveats a reader needs before quoting it.
    """
    prices = price_base or study_price_base()
    at_bands = {band_set: band_outcomes(budget, band_set, prices) for band_set in BandSet}
    evidence = band_in_prices(band_for("cost_per_job_outcome", BandSet.evidence_based), prices)
    at_mean = at_bands[BandSet.evidence_based]["mean"]
    prices_in = f"in {prices.year} prices" if prices.uprated else "in the study's own prices"
    text = [
        f"At the evidence-based average of {money(evidence.mean)} per job outcome "
        f"({prices_in}), "
        f"{money(budget)} would buy about {count(round(at_mean) if is_defined(at_mean) else at_mean)} "
        "job outcomes."
    ]
    own: Measure = NotDefined("no service figures were given")
    extra: int | None = None
    if measures is not None:
        own = job_outcomes_for_budget(budget, measures.cost_per_job_outcome)
        if is_defined(own):
            text.insert(
                0,
                f"At your own cost per job outcome of {money(measures.cost_per_job_outcome)}, "
                f"{money(budget)} would buy about {count(round(own))} job outcomes.",
            )
        extra = more_outcomes_needed(measures.total_cost, measures.job_outcomes, evidence.mean)
        if extra:
            text.append(
                "To reach the evidence-based average cost per job outcome "
                f"({money(evidence.mean)}, {prices_in}) you would need {count(extra)} more job outcomes "
                f"for the same spend of {money(measures.total_cost)}."
            )
        else:
            text.append(
                "Your cost per job outcome is already at or below the evidence-based average."
            )
    return WhatIf(budget, own, at_bands, extra, text, prices, what_if_caveats(prices))
