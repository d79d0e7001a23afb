"""One service's annual figures, validated.

Follows the study's reduced data request (seed 004, Appendix 5) and the data
it derived (Appendix 6). Every error names the field by its label and says
what is expected; :class:`ServiceRecordError` carries all of them at once so a
form can show each beside its field.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from toolkit.content.rules import rules
from toolkit.domain.parsing import is_blank, parse_count, parse_hours, parse_money
from toolkit.domain.prices import deflator_factor, parse_factor, parse_financial_year


class ClientGroup(StrEnum):
    """Main group the service supports (more than half of the people, as in the study)."""

    learning_disability = "learning_disability"
    mental_health = "mental_health"
    other = "other"


CLIENT_GROUP_LABELS: dict[ClientGroup, str] = {
    ClientGroup.learning_disability: "Learning disability",
    ClientGroup.mental_health: "Mental health",
    ClientGroup.other: "Other or mixed",
}

#: The label of each field as a user sees it (the app uses these exact words).
FIELD_LABELS: dict[str, str] = {
    "name": "Service name",
    "total_cost": "Total annual cost (£)",
    "people_supported": "People supported",
    "new_jobs": "Gained a new job",
    "jobs_retained": "Retained a job",
    "self_employed": "Became self-employed",
    "client_group": "Client group",
    "support_model": "Support model",
    "year": "Year the figures cover",
    "uprating_factor": "Your own uprating factor",
    "support_under_7_hours": "People needing under 7 hours support a week",
    "support_7_to_40_hours": "People needing 7 to 40 hours support a week",
    "support_over_40_hours": "People needing over 40 hours support a week",
    "outcomes_35_plus_hours": "Job outcomes working 35 or more hours a week",
    "outcomes_16_to_34_hours": "Job outcomes working 16 to 34 hours a week",
    "outcomes_5_to_15_hours": "Job outcomes working 5 to 15 hours a week",
    "outcomes_1_to_4_hours": "Job outcomes working 1 to 4 hours a week",
    "outcomes_support_under_7_hours": "Job outcomes: people needing under 7 hours support a week",
    "outcomes_support_7_to_40_hours": "Job outcomes: people needing 7 to 40 hours support a week",
    "outcomes_support_over_40_hours": "Job outcomes: people needing over 40 hours support a week",
    "hours_of_paid_work": "Total hours of paid work a week",
    "average_weekly_hours": "Average weekly hours worked",
}

REQUIRED_FIELDS = ("name", "total_cost", "people_supported", "new_jobs", "jobs_retained")
SUPPORT_LEVEL_FIELDS = ("support_under_7_hours", "support_7_to_40_hours", "support_over_40_hours")
OUTCOME_FIELDS = ("new_jobs", "jobs_retained", "self_employed")
#: Job outcomes by hours worked a week (seed 004, Appendix 4), longest first.
OUTCOME_HOURS_FIELDS = (
    "outcomes_35_plus_hours",
    "outcomes_16_to_34_hours",
    "outcomes_5_to_15_hours",
    "outcomes_1_to_4_hours",
)
#: Job outcomes by the support level of the people who got them (seed 004, Appendix 6).
OUTCOME_SUPPORT_FIELDS = (
    "outcomes_support_under_7_hours",
    "outcomes_support_7_to_40_hours",
    "outcomes_support_over_40_hours",
)


@dataclass(frozen=True)
class FieldProblem:
    """One thing wrong with one field."""

    field: str
    message: str

    @property
    def label(self) -> str:
        return FIELD_LABELS.get(self.field, self.field)

    def __str__(self) -> str:
        return f"{self.label}: {self.message}"


class ServiceRecordError(ValueError):
    """The figures could not be accepted; ``problems`` lists each field's error."""

    def __init__(self, problems: list[FieldProblem]):
        self.problems = problems
        super().__init__("; ".join(str(problem) for problem in problems))

    def by_field(self) -> dict[str, str]:
        """First message for each field, for showing beside the inputs."""
        messages: dict[str, str] = {}
        for problem in self.problems:
            messages.setdefault(problem.field, problem.message)
        return messages


class ServiceRecord(BaseModel):
    """A service's figures for one year, as the study asked for them."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    name: str
    total_cost: float
    people_supported: int
    new_jobs: int
    jobs_retained: int
    self_employed: int = 0
    client_group: ClientGroup | None = None
    support_model: str | None = None
    year: str | None = None
    uprating_factor: float | None = None
    support_under_7_hours: int | None = None
    support_7_to_40_hours: int | None = None
    support_over_40_hours: int | None = None
    outcomes_35_plus_hours: int | None = None
    outcomes_16_to_34_hours: int | None = None
    outcomes_5_to_15_hours: int | None = None
    outcomes_1_to_4_hours: int | None = None
    outcomes_support_under_7_hours: int | None = None
    outcomes_support_7_to_40_hours: int | None = None
    outcomes_support_over_40_hours: int | None = None
    hours_of_paid_work: float | None = None
    average_weekly_hours: float | None = None

    @field_validator("name", mode="before")
    @classmethod
    def _name(cls, value: Any) -> str:
        if is_blank(value):
            raise ValueError("enter the service's name")
        text = str(value).strip()
        limit = rules().validation.max_name_length
        if len(text) > limit:
            raise ValueError(f"keep it to {limit} characters or fewer (it has {len(text)})")
        return text

    @field_validator("total_cost", mode="before")
    @classmethod
    def _cost(cls, value: Any) -> float:
        if is_blank(value):
            raise ValueError("enter what the service cost to run in the year, in pounds")
        amount = parse_money(value)
        if amount <= 0:
            raise ValueError("must be more than £0")
        cap = rules().validation.max_total_cost_gbp
        if amount > cap:
            raise ValueError(
                f"£{amount:,.0f} is more than £{cap:,.0f} for one service in one year; "
                "check for extra digits"
            )
        return amount

    @field_validator("people_supported", mode="before")
    @classmethod
    def _people(cls, value: Any) -> int:
        if is_blank(value):
            raise ValueError("enter how many people the service supported in the year")
        count = parse_count(value)
        if count == 0:
            raise ValueError("must be at least 1 when a cost is given")
        cap = rules().validation.max_people_supported
        if count > cap:
            raise ValueError(f"{count:,} is more than {cap:,}; check for extra digits")
        return count

    @field_validator("new_jobs", "jobs_retained", mode="before")
    @classmethod
    def _required_count(cls, value: Any) -> int:
        if is_blank(value):
            raise ValueError("enter a whole number (0 if none)")
        return parse_count(value)

    @field_validator("self_employed", mode="before")
    @classmethod
    def _self_employed(cls, value: Any) -> int:
        return 0 if is_blank(value) else parse_count(value)

    @field_validator(
        *SUPPORT_LEVEL_FIELDS, *OUTCOME_HOURS_FIELDS, *OUTCOME_SUPPORT_FIELDS, mode="before"
    )
    @classmethod
    def _optional_count(cls, value: Any) -> int | None:
        return None if is_blank(value) else parse_count(value)

    @field_validator("hours_of_paid_work", mode="before")
    @classmethod
    def _hours_total(cls, value: Any) -> float | None:
        return None if is_blank(value) else parse_hours(value)

    @field_validator("average_weekly_hours", mode="before")
    @classmethod
    def _hours_average(cls, value: Any) -> float | None:
        if is_blank(value):
            return None
        hours = parse_hours(value)
        cap = rules().validation.max_average_weekly_hours
        if hours > cap:
            raise ValueError(f"{hours:g} hours a week is more than {cap:g}; check the figure")
        return hours

    @field_validator("client_group", mode="before")
    @classmethod
    def _client_group(cls, value: Any) -> ClientGroup | None:
        if is_blank(value):
            return None
        if isinstance(value, ClientGroup):
            return value
        text = str(value).strip().lower()
        for group, label in CLIENT_GROUP_LABELS.items():
            if text in {group.value, label.lower(), group.value.replace("_", " ")}:
                return group
        aliases = {"ld": "learning_disability", "mh": "mental_health", "mixed": "other"}
        if text in aliases:
            return ClientGroup(aliases[text])
        choices = ", ".join(CLIENT_GROUP_LABELS.values())
        raise ValueError(f"'{value}' is not a client group; choose one of: {choices}")

    @field_validator("support_model", mode="before")
    @classmethod
    def _optional_text(cls, value: Any) -> str | None:
        return None if is_blank(value) else str(value).strip()

    @field_validator("year", mode="before")
    @classmethod
    def _year(cls, value: Any) -> str | None:
        if is_blank(value):
            return None
        parse_financial_year(value)  # raises with a message naming the expected form
        return str(value).strip()

    @field_validator("uprating_factor", mode="before")
    @classmethod
    def _factor(cls, value: Any) -> float | None:
        return None if is_blank(value) else parse_factor(value)

    @property
    def job_outcomes(self) -> int:
        """Everyone who gained a new job, kept a job or became self-employed."""
        return self.new_jobs + self.jobs_retained + self.self_employed

    @property
    def support_levels(self) -> tuple[int, int, int] | None:
        """People by support level, or None unless all three counts are given."""
        under_7, from_7_to_40, over_40 = (
            self.support_under_7_hours,
            self.support_7_to_40_hours,
            self.support_over_40_hours,
        )
        if under_7 is None or from_7_to_40 is None or over_40 is None:
            return None
        return under_7, from_7_to_40, over_40

    @model_validator(mode="after")
    def _consistent(self) -> ServiceRecord:
        if self.job_outcomes > self.people_supported:
            raise ValueError(
                "outcomes|"
                f"job outcomes (new {self.new_jobs} + retained {self.jobs_retained} + "
                f"self-employed {self.self_employed} = {self.job_outcomes}) are more than the "
                f"{self.people_supported} people supported; each person counts once at most"
            )
        if (
            self.year is not None
            and self.uprating_factor is None
            and deflator_factor(self.year) is None
        ):
            raise ValueError(
                f"year|the price series shipped with the toolkit does not reach "
                f"{parse_financial_year(self.year)}; give your own uprating factor for it "
                "(or a year the series covers)"
            )
        given = [getattr(self, name) for name in SUPPORT_LEVEL_FIELDS]
        if any(level is not None for level in given) and any(level is None for level in given):
            raise ValueError(
                "support_levels|give all three support-level counts, or leave all three blank"
            )
        for key, fields in (
            ("outcome_hours", OUTCOME_HOURS_FIELDS),
            ("outcome_support", OUTCOME_SUPPORT_FIELDS),
        ):
            counts = [getattr(self, name) for name in fields]
            if any(c is not None for c in counts) and any(c is None for c in counts):
                raise ValueError(
                    f"{key}|give all {len(fields)} of these job-outcome counts (0 where none), "
                    "or leave them all blank"
                )
            if all(c is not None for c in counts) and sum(counts) > self.job_outcomes:
                raise ValueError(
                    f"{key}|these job-outcome counts add up to {sum(counts)}, more than the "
                    f"{self.job_outcomes} job outcomes"
                )
        if self.support_levels is not None and sum(self.support_levels) > self.people_supported:
            raise ValueError(
                "support_levels|"
                f"the support-level counts add up to {sum(self.support_levels)}, more than the "
                f"{self.people_supported} people supported"
            )
        return self


#: Which field a cross-field problem is shown against.
_CROSS_FIELD = {
    "outcomes": "people_supported",
    "support_levels": "support_under_7_hours",
    "outcome_hours": "outcomes_35_plus_hours",
    "outcome_support": "outcomes_support_under_7_hours",
}


def _problems_from(exc: ValidationError) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    for error in exc.errors():
        message = str(error["msg"]).removeprefix("Value error, ")
        if error["loc"]:
            field = str(error["loc"][0])
            if error["type"] == "missing":
                message = "this figure is needed"
            elif error["type"] == "extra_forbidden":
                message = "is not a field the toolkit knows"
        else:
            key, _, message = message.partition("|")
            field = _CROSS_FIELD.get(key, key)
        problems.append(FieldProblem(field, message))
    return problems


def parse_service(values: dict[str, Any]) -> ServiceRecord:
    """Validate raw figures (typed text or numbers) into a :class:`ServiceRecord`.

    Raises :class:`ServiceRecordError` listing every field that is wrong.
    """
    try:
        return ServiceRecord.model_validate(values)
    except ValidationError as exc:
        raise ServiceRecordError(_problems_from(exc)) from None
