"""The measures of value for money, as pure functions.

A measure that cannot be worked out (cost per job outcome when there were no
job outcomes, say) is a :class:`NotDefined` carrying the reason, never ``inf``
or ``nan``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from typing_extensions import TypeIs  # typing.TypeIs arrives in Python 3.13

from toolkit.domain.record import ServiceRecord

#: Weights of the Support Level Index (seed 004, footnote 10 to Section 5, Table 4 support levels).
SUPPORT_LEVEL_WEIGHTS = (1.0, 3.0, 10.0)


@dataclass(frozen=True)
class NotDefined:
    """A measure that has no value, and why."""

    reason: str

    def __bool__(self) -> bool:
        return False


Measure = float | NotDefined


def is_defined(value: object) -> TypeIs[float]:
    """True for a real value, False for :class:`NotDefined` and ``None``."""
    return value is not None and not isinstance(value, NotDefined)


def cost_per_person(total_cost: float, people_supported: int) -> Measure:
    """Total annual cost divided by the people supported in the year."""
    if people_supported <= 0:
        return NotDefined("no people were supported, so there is no cost per person")
    return total_cost / people_supported


def cost_per_job_outcome(total_cost: float, job_outcomes: int) -> Measure:
    """Total annual cost divided by the job outcomes (new, retained, self-employed)."""
    if job_outcomes <= 0:
        return NotDefined(
            "there were no job outcomes, so the cost per job outcome cannot be worked out "
            "(the money bought no jobs that year)"
        )
    return total_cost / job_outcomes


def job_outcome_rate(job_outcomes: int, people_supported: int) -> Measure:
    """Share of the people supported who gained, kept or created a job (0 to 1)."""
    if people_supported <= 0:
        return NotDefined("no people were supported, so there is no job outcome rate")
    return job_outcomes / people_supported


def outcome_split(new_jobs: int, jobs_retained: int, self_employed: int) -> dict[str, Measure]:
    """Share of job outcomes that were new jobs, retained jobs and self-employment."""
    total = new_jobs + jobs_retained + self_employed
    if total <= 0:
        reason = NotDefined("there were no job outcomes to split")
        return {"new_jobs": reason, "jobs_retained": reason, "self_employed": reason}
    return {
        "new_jobs": new_jobs / total,
        "jobs_retained": jobs_retained / total,
        "self_employed": self_employed / total,
    }


def per_100_supported(count: int, people_supported: int) -> Measure:
    """How many of every 100 people supported had this outcome."""
    if people_supported <= 0:
        return NotDefined("no people were supported")
    return 100.0 * count / people_supported


def support_level_index(under_7: int, from_7_to_40: int, over_40: int) -> Measure:
    """Support Level Index: share under 7 h + 3 x share 7-40 h + 10 x share over 40 h.

    Shares are of the people whose support level is known (the three counts),
    so the index runs from 1 (everyone needs under 7 hours) to 10 (everyone
    needs over 40). Seed 004, footnote 10 (Section 5).
    """
    known = under_7 + from_7_to_40 + over_40
    if known <= 0:
        return NotDefined("no support-level counts were given")
    shares = (under_7 / known, from_7_to_40 / known, over_40 / known)
    return sum(weight * share for weight, share in zip(SUPPORT_LEVEL_WEIGHTS, shares, strict=True))


def support_level_index_from_shares(under_7: float, from_7_to_40: float, over_40: float) -> float:
    """The index from published shares (as in Table 4), used as they are printed."""
    return sum(
        weight * share
        for weight, share in zip(
            SUPPORT_LEVEL_WEIGHTS, (under_7, from_7_to_40, over_40), strict=True
        )
    )


@dataclass(frozen=True)
class ServiceMeasures:
    """Every measure for one service (or for a pooled group of services)."""

    total_cost: float
    people_supported: int
    job_outcomes: int
    new_jobs: int
    jobs_retained: int
    self_employed: int
    cost_per_person: Measure
    cost_per_job_outcome: Measure
    job_outcome_rate: Measure
    outcome_split: dict[str, Measure]
    per_100_supported: dict[str, Measure]
    support_level_index: Measure | None = None
    notes: list[str] = field(default_factory=list)


def _measures_from_totals(
    total_cost: float,
    people: int,
    new_jobs: int,
    retained: int,
    self_employed: int,
    sli: Measure | None,
    notes: list[str],
) -> ServiceMeasures:
    outcomes = new_jobs + retained + self_employed
    return ServiceMeasures(
        total_cost=total_cost,
        people_supported=people,
        job_outcomes=outcomes,
        new_jobs=new_jobs,
        jobs_retained=retained,
        self_employed=self_employed,
        cost_per_person=cost_per_person(total_cost, people),
        cost_per_job_outcome=cost_per_job_outcome(total_cost, outcomes),
        job_outcome_rate=job_outcome_rate(outcomes, people),
        outcome_split=outcome_split(new_jobs, retained, self_employed),
        per_100_supported={
            "new_jobs": per_100_supported(new_jobs, people),
            "jobs_retained": per_100_supported(retained, people),
            "self_employed": per_100_supported(self_employed, people),
        },
        support_level_index=sli,
        notes=notes,
    )


def measure_service(record: ServiceRecord) -> ServiceMeasures:
    """All the measures for one validated service."""
    notes: list[str] = []
    sli: Measure | None = None
    if record.support_levels is not None:
        sli = support_level_index(*record.support_levels)
        known = sum(record.support_levels)
        if 0 < known < record.people_supported:
            notes.append(
                f"The Support Level Index uses the {known} of {record.people_supported} people "
                "whose support level was given."
            )
    return _measures_from_totals(
        record.total_cost,
        record.people_supported,
        record.new_jobs,
        record.jobs_retained,
        record.self_employed,
        sli,
        notes,
    )


def pool_services(records: Iterable[ServiceRecord]) -> ServiceMeasures:
    """Pooled measures for several services, worked out from their totals.

    Pooled cost per job outcome is the sum of costs over the sum of job
    outcomes. This is not the average of each service's cost per job outcome
    (see :func:`mean_of_service_figures`), which gives a small service as much
    weight as a large one.
    """
    records = list(records)
    if not records:
        raise ValueError("services: give at least one service to pool")
    levels = [record.support_levels for record in records]
    sli: Measure | None = None
    if all(level is not None for level in levels):
        sli = support_level_index(*(sum(column) for column in zip(*levels, strict=True)))
    return _measures_from_totals(
        sum(record.total_cost for record in records),
        sum(record.people_supported for record in records),
        sum(record.new_jobs for record in records),
        sum(record.jobs_retained for record in records),
        sum(record.self_employed for record in records),
        sli,
        [
            f"Pooled figures for {len(records)} services, worked out from their totals "
            "(total cost divided by total people or total job outcomes)."
        ],
    )


def mean_of_service_figures(values: Iterable[Measure]) -> Measure:
    """The plain average of services' own figures, each service counting once.

    This is how the study's published averages were formed; services whose
    figure is not defined are left out.
    """
    defined = [value for value in values if is_defined(value)]
    if not defined:
        return NotDefined("no service had this figure")
    return sum(defined) / len(defined)
