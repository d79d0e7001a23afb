"""Job outcomes in more detail: two definitions side by side, and who got the jobs.

The study had no single definition of a job outcome: most areas counted any paid work (one
hour a week or more), some only 16 hours a week or more (seed 004, Section 3). Where a service
gives its job outcomes by weekly hours (the bands of Appendix 4), the measures are shown for
both: "any paid work" is the study's definition and is the one compared with its bands; "16 or
more hours a week" has no band, and says so. Where it gives its job outcomes by support level
(Appendix 6), the Support Level Index of the job outcomes is set beside that of the people
supported.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from toolkit.domain.measures import is_defined, support_level_index
from toolkit.domain.record import OUTCOME_HOURS_FIELDS, OUTCOME_SUPPORT_FIELDS, ServiceRecord


class DefinitionMeasures(BaseModel):
    """The outcome measures under one definition of a job outcome."""

    model_config = ConfigDict(frozen=True)

    definition: str
    label: str
    job_outcomes: int
    job_outcome_rate: float
    cost_per_job_outcome: float | None
    compared_with_bands: bool
    note: str


def _measures(record: ServiceRecord, count: int) -> tuple[float, float | None]:
    rate = count / record.people_supported
    return rate, (record.total_cost / count if count > 0 else None)


def outcome_definitions(record: ServiceRecord) -> list[DefinitionMeasures]:
    """Measures for "any paid work" and "16 or more hours a week"; [] without the hours counts."""
    counts = [getattr(record, name) for name in OUTCOME_HOURS_FIELDS]
    if any(count is None for count in counts):
        return []
    sixteen_plus = counts[0] + counts[1]
    known = sum(counts)
    any_rate, any_cost = _measures(record, record.job_outcomes)
    rate, cost = _measures(record, sixteen_plus)
    unknown = record.job_outcomes - known
    note = (
        "The study has no band for this definition, so it is not compared; use it to follow "
        "your own progress."
    )
    if unknown:
        note += (
            f" Hours are not known for {unknown} of the {record.job_outcomes} job outcomes, so "
            "the true count could be higher."
        )
    if sixteen_plus == 0:
        note += " No job outcome was of 16 hours or more, so there is no cost per job outcome."
    return [
        DefinitionMeasures(
            definition="any_paid_work",
            label="Any paid work (the study's definition)",
            job_outcomes=record.job_outcomes,
            job_outcome_rate=any_rate,
            cost_per_job_outcome=any_cost,
            compared_with_bands=True,
            note="Most areas in the study counted any paid work of an hour a week or more; "
            "this is the definition compared with the study's bands.",
        ),
        DefinitionMeasures(
            definition="16_hours_or_more",
            label="16 or more hours a week",
            job_outcomes=sixteen_plus,
            job_outcome_rate=rate,
            cost_per_job_outcome=cost,
            compared_with_bands=False,
            note=note,
        ),
    ]


def outcome_support_level_index(record: ServiceRecord) -> float | None:
    """Support Level Index of the people who got or kept jobs; None without the counts."""
    counts = [getattr(record, name) for name in OUTCOME_SUPPORT_FIELDS]
    if any(count is None for count in counts):
        return None
    value = support_level_index(*counts)
    return value if is_defined(value) else None


class OutcomeDetail(BaseModel):
    """The ``outcome_detail`` object of the JSON output."""

    model_config = ConfigDict(frozen=True)

    definitions: list[DefinitionMeasures]
    support_level_index_of_job_outcomes: float | None


def outcome_detail(record: ServiceRecord) -> OutcomeDetail:
    """Both definitions of a job outcome (rounded as in the JSON) and the SLI of job outcomes."""
    sli = outcome_support_level_index(record)
    return OutcomeDetail(
        definitions=[
            d.model_copy(
                update={
                    "job_outcome_rate": round(d.job_outcome_rate, 4),
                    "cost_per_job_outcome": None
                    if d.cost_per_job_outcome is None
                    else round(d.cost_per_job_outcome, 2),
                }
            )
            for d in outcome_definitions(record)
        ],
        support_level_index_of_job_outcomes=None if sli is None else round(sli, 3),
    )
