"""Compare a service with the published bands, allowing for chance.

Position says where the figure sits against a band (below, within or above
mean +/- one standard deviation). Judgement knows the better direction and
allows for chance, as public-health benchmarking does: the 95% Wilson interval
of the job outcome rate (and the cost-per-job interval it implies) is set
against the band's mean. Cost per person has no better direction: a low figure
can mean thin support, so it is never judged.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from statistics import NormalDist

from toolkit.content.rules import rules
from toolkit.content.vocabulary import vocabulary
from toolkit.domain.bands import BAND_SET_LABELS, MEASURE_LABELS, Band, BandSet, band_for
from toolkit.domain.measures import ServiceMeasures, is_defined
from toolkit.present.formatting import band_range, count, measure_value, percent


class Position(StrEnum):
    below = "below"
    within = "within"
    above = "above"


class Judgement(StrEnum):
    better = "better"
    similar = "similar"
    worse = "worse"
    no_judgement = "no_judgement"


#: Which way is better for each measure (None: no better direction).
BETTER_DIRECTION: dict[str, str | None] = {
    "cost_per_person": None,
    "cost_per_job_outcome": "lower",
    "job_outcome_rate": "higher",
}


@dataclass(frozen=True)
class Interval:
    """A range of likely values; ``high`` is None when there is no upper limit."""

    low: float
    high: float | None


@dataclass(frozen=True)
class Comparison:
    """One measure of one service against one set of bands."""

    measure: str
    bands: BandSet
    band: Band
    value: float | None
    interval: Interval | None
    position: Position | None
    judgement: Judgement
    text: str

    def to_dict(self) -> dict[str, object]:
        """The JSON shape used by the command line and exports."""
        return {
            "measure": self.measure,
            "bands": self.bands.value,
            "low": self.band.low,
            "mean": self.band.mean,
            "high": self.band.high,
            "value": self.value,
            "interval": None
            if self.interval is None
            else {"low": self.interval.low, "high": self.interval.high},
            "position": None if self.position is None else self.position.value,
            "judgement": self.judgement.value,
            "text": self.text,
        }


def z_value(confidence: float) -> float:
    """Two-sided normal quantile for a confidence level (1.96 for 95%)."""
    return NormalDist().inv_cdf(1 - (1 - confidence) / 2)


def wilson_interval(successes: int, trials: int, confidence: float = 0.95) -> Interval:
    """Wilson score interval for a proportion (good for small counts and 0% or 100%)."""
    if trials <= 0:
        raise ValueError("trials: must be at least 1")
    if not 0 <= successes <= trials:
        raise ValueError("successes: must be between 0 and the number of trials")
    z = z_value(confidence)
    share = successes / trials
    denominator = 1 + z * z / trials
    centre = (share + z * z / (2 * trials)) / denominator
    spread = (
        z * math.sqrt(share * (1 - share) / trials + z * z / (4 * trials * trials)) / denominator
    )
    low = 0.0 if successes == 0 else max(0.0, centre - spread)
    high = 1.0 if successes == trials else min(1.0, centre + spread)
    return Interval(low, high)


def cost_per_job_interval(total_cost: float, people: int, rate: Interval) -> Interval:
    """The cost-per-job range implied by the job outcome rate's interval."""
    low = total_cost / (people * rate.high) if rate.high else math.nan
    high = total_cost / (people * rate.low) if rate.low > 0 else None
    return Interval(low, high)


def position_of(value: float, band: Band) -> Position:
    """Below, within or above the band (mean minus to plus one standard deviation)."""
    if value < band.low:
        return Position.below
    if value > band.high:
        return Position.above
    return Position.within


def judge(measure: str, interval: Interval, band_mean: float) -> Judgement:
    """Better, similar or worse than the band mean, given the interval."""
    direction = BETTER_DIRECTION[measure]
    if direction is None:
        return Judgement.no_judgement
    entirely_below = interval.high is not None and interval.high < band_mean
    entirely_above = interval.low > band_mean
    if direction == "lower":
        return (
            Judgement.better
            if entirely_below
            else Judgement.worse
            if entirely_above
            else Judgement.similar
        )
    return (
        Judgement.better
        if entirely_above
        else Judgement.worse
        if entirely_below
        else Judgement.similar
    )


def _range_text(measure: str, band: Band) -> str:
    return f"{band_range(measure, band.low, band.high)}, average {measure_value(measure, band.mean)}"


def _interval_text(measure: str, interval: Interval) -> str:
    low = measure_value(measure, interval.low)
    if interval.high is None:
        return f"{low} or more"
    return f"between {low} and {measure_value(measure, interval.high)}"


def _judgement_text(measure: str, judgement: Judgement, band: Band, group: str) -> str:
    mean = measure_value(measure, band.mean)
    if judgement is Judgement.similar:
        return f"Allowing for chance, it is similar to the average for {group} ({mean})."
    word = {
        ("cost_per_job_outcome", Judgement.better): "lower (better)",
        ("cost_per_job_outcome", Judgement.worse): "higher (worse)",
        ("job_outcome_rate", Judgement.better): "higher (better)",
        ("job_outcome_rate", Judgement.worse): "lower (worse)",
    }[(measure, judgement)]
    return f"Even allowing for chance, it is {word} than the average for {group} ({mean})."


def describe(
    measure: str,
    value: float,
    band: Band,
    position: Position,
    judgement: Judgement,
    interval: Interval | None,
) -> str:
    """A sentence a commissioner could read aloud."""
    label = MEASURE_LABELS[measure]
    group = BAND_SET_LABELS[band.bands]
    sentence = (
        f"{label} of {measure_value(measure, value)} is {vocabulary().positions[position.value]} "
        f"for {group} ({_range_text(measure, band)})."
    )
    if judgement is Judgement.no_judgement:
        return (
            f"{sentence} Cost per person has no better direction: a low figure can mean thin "
            "support, so it is not judged."
        )
    likely = f" The likely true figure is {_interval_text(measure, interval)}." if interval else ""
    return f"{sentence}{likely} {_judgement_text(measure, judgement, band, group)}"


def compare_measures(
    measures: ServiceMeasures, band_set: BandSet | str, confidence: float | None = None
) -> list[Comparison]:
    """Each banded measure of a service against one set of bands."""
    band_set = BandSet(band_set)
    confidence = confidence or rules().comparison.confidence_level
    rate_interval = wilson_interval(measures.job_outcomes, measures.people_supported, confidence)
    intervals = {
        "cost_per_person": None,
        "job_outcome_rate": rate_interval,
        "cost_per_job_outcome": cost_per_job_interval(
            measures.total_cost, measures.people_supported, rate_interval
        )
        if measures.job_outcomes
        else None,
    }
    comparisons: list[Comparison] = []
    for measure in ("cost_per_person", "cost_per_job_outcome", "job_outcome_rate"):
        band = band_for(measure, band_set)
        value = getattr(measures, measure)
        interval = intervals[measure]
        if not is_defined(value):
            comparisons.append(
                Comparison(
                    measure,
                    band_set,
                    band,
                    None,
                    None,
                    None,
                    Judgement.no_judgement,
                    f"{MEASURE_LABELS[measure]} is not defined: {value.reason}. "
                    f"It cannot be placed against the range for {BAND_SET_LABELS[band_set]}.",
                )
            )
            continue
        position = position_of(value, band)
        judgement = (
            judge(measure, interval, band.mean) if interval is not None else Judgement.no_judgement
        )
        text = describe(measure, value, band, position, judgement, interval)
        comparisons.append(
            Comparison(measure, band_set, band, value, interval, position, judgement, text)
        )
    return comparisons


def chance_note(measures: ServiceMeasures, confidence: float | None = None) -> str | None:
    """A plain warning for small services, whose figures move a lot by chance."""
    threshold = rules().comparison.small_service_people
    if measures.people_supported >= threshold:
        return None
    confidence = confidence or rules().comparison.confidence_level
    interval = wilson_interval(measures.job_outcomes, measures.people_supported, confidence)
    return (
        f"With {count(measures.people_supported)} people supported, chance alone moves these "
        f"figures a lot: the job outcome rate could well be anywhere from {percent(interval.low)} "
        f"to {percent(interval.high)}. That is why a small service is only called better or worse "
        "when the difference is too big to be chance."
    )
