"""Records of the spend map: provision lines, budget streams and the questionnaire's answers.

Pydantic models. Text a user types is parsed with case and space tolerance
(:mod:`.vocab`); money must be a finite amount of £0 or more.
"""

from __future__ import annotations

import math
import re
from enum import StrEnum
from typing import SupportsFloat, cast

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from toolkit.worksheets.spend_map.vocab import (
    BudgetChange,
    ClientGroup,
    FiveYearChange,
    Flag,
    Organisation,
    SupportType,
    normalise,
    parse_client_group,
    parse_five_year,
    parse_flag,
    parse_organisation,
    parse_support_type,
)


class Eligibility(StrEnum):
    """Question 2d: who the funded services are open to."""

    eligible_only = "eligible people only"
    open_to_others = "open to others"


class KnownUse(StrEnum):
    """Question 2e: whether people are known to spend personal budgets on employment support."""

    known_yes = "we know they are"
    known_no = "we know they are not"
    unknown = "we do not know"


class Factor(StrEnum):
    """Question 3: factors behind the pattern of investment, to be ranked."""

    history = "past or historical investment pattern"
    strategy = "an employment plan or strategy from the last two years"
    ring_fenced = "ring-fenced external funding"
    local_evidence = "local evidence or outcome-based learning"
    national = "national policy and evidence"
    user_demand = "demand led by people who use services"
    other = "other"


class ChangeArea(StrEnum):
    """Question 2g: what is expected to change."""

    support_types = "types of support"
    organisations = "delivery organisations"
    client_groups = "client groups"
    total_spend = "total spend"


_YEAR = re.compile(r"^\s*(\d{4})\s*(?:[-/\u2013]\s*(\d{2}|\d{4}))?\s*$")


def parse_year(text: object) -> str:
    """A financial year as 'YYYY-YY' from '2025-26', '2025/2026' or '2025'."""
    match = _YEAR.match(str(text))
    if not match:
        raise ValueError(f"'{str(text).strip()}' is not a year; write it like 2025-26")
    start = int(match.group(1))
    if match.group(2):
        end = int(match.group(2)[-2:])
        if end != (start + 1) % 100:
            raise ValueError(f"'{str(text).strip()}' is not one financial year; write it like "
                             f"{start}-{(start + 1) % 100:02d}")
    if not 1990 <= start <= 2100:
        raise ValueError(f"'{str(text).strip()}' is outside the years the map covers (1990 to 2100)")
    return f"{start}-{(start + 1) % 100:02d}"


def shift_year(year: str, by: int) -> str:
    """The financial year ``by`` years after ``year`` ('YYYY-YY')."""
    start = int(year[:4]) + by
    return f"{start}-{(start + 1) % 100:02d}"


def _money(value: object, what: str) -> float | None:
    if value is None:
        return None
    # Whatever float() accepts, as before; anything else raises its TypeError or ValueError.
    amount = float(cast("SupportsFloat", value))
    if not math.isfinite(amount):
        raise ValueError(f"{what} must be an amount in £")
    if amount < 0:
        raise ValueError(f"{what} cannot be negative")
    return amount


def _text(value: object, what: str) -> str:
    text = " ".join(str(value or "").split())
    if not text:
        raise ValueError(f"give the {what}")
    if len(text) > 200:
        raise ValueError(f"the {what} is too long (200 characters at most)")
    return text


class ProvisionLine(BaseModel):
    """One piece of provision: who delivers it, from which stream, what and for whom, at what cost."""

    model_config = ConfigDict(frozen=True)

    provider: str
    funding_stream: str
    support_type: SupportType
    client_group: ClientGroup
    annual_spend: float
    people_supported: int | None = Field(default=None, ge=0)
    job_outcomes: int | None = Field(default=None, ge=0)

    @field_validator("provider")
    @classmethod
    def _provider(cls, value: object) -> str:
        return _text(value, "provider")

    @field_validator("funding_stream")
    @classmethod
    def _stream(cls, value: object) -> str:
        return _text(value, "funding stream").lower()

    @field_validator("support_type", mode="before")
    @classmethod
    def _support(cls, value: object) -> SupportType:
        return parse_support_type(value)

    @field_validator("client_group", mode="before")
    @classmethod
    def _group(cls, value: object) -> ClientGroup:
        return parse_client_group(value)

    @field_validator("annual_spend", mode="before")
    @classmethod
    def _spend(cls, value: object) -> float:
        amount = _money(value, "the annual spend")
        if amount is None:
            raise ValueError("give the annual spend in £ (0 if none)")
        return amount

    @property
    def has_figures(self) -> bool:
        """Spend and people supported both known: enough to open in the self-benchmark app."""
        return self.annual_spend > 0 and bool(self.people_supported)


class StreamSpend(BaseModel):
    """Question 2a: one budget stream's spend in three consecutive years (None = not known)."""

    model_config = ConfigDict(frozen=True)

    stream: str
    amounts: tuple[float | None, float | None, float | None] = (None, None, None)
    flag: Flag | None = None

    @field_validator("stream")
    @classmethod
    def _stream(cls, value: object) -> str:
        return _text(value, "budget stream").lower()

    @field_validator("amounts", mode="before")
    @classmethod
    def _amounts(cls, value: object) -> tuple:
        items = list(value)  # type: ignore[call-overload]
        if len(items) != 3:
            raise ValueError("give three years' spend (blank where not known)")
        return tuple(_money(item, "spend") for item in items)

    @field_validator("flag", mode="before")
    @classmethod
    def _flag(cls, value: object) -> Flag | None:
        return None if value in (None, "") else parse_flag(value)


class SpendMap(BaseModel):
    """A commissioner's map of one area's spend on employment support for one year."""

    area: str = ""
    year: str | None = None
    #: The financial year whose prices the money figures are in (None: the year they cover).
    price_year: str | None = None
    example: bool = False
    lines: list[ProvisionLine] = Field(default_factory=list)
    lines_flag: Flag | None = None
    other_groups_named: str = ""
    collects_numbers_into_work: bool | None = None
    streams: list[StreamSpend] = Field(default_factory=list)
    five_year: FiveYearChange | None = None
    organisations: dict[Organisation, float] = Field(default_factory=dict)
    organisations_flag: Flag | None = None
    eligibility: Eligibility | None = None
    personal_budgets_allowed: bool | None = None
    personal_budgets_use: KnownUse | None = None
    personal_budgets_amount_known: bool | None = None
    under_18_options: str = ""
    under_18_spend: float | None = None
    expected_change: FiveYearChange | None = None
    expected_change_areas: list[ChangeArea] = Field(default_factory=list)
    expected_change_notes: str = ""
    factor_ranks: dict[Factor, int] = Field(default_factory=dict)
    other_factor: str = ""

    @field_validator("year", "price_year", mode="before")
    @classmethod
    def _year(cls, value: object) -> str | None:
        return None if value in (None, "") else parse_year(value)

    @field_validator("five_year", "expected_change", mode="before")
    @classmethod
    def _five(cls, value: object) -> FiveYearChange | None:
        return None if value in (None, "") else parse_five_year(value)

    @field_validator("lines_flag", "organisations_flag", mode="before")
    @classmethod
    def _flags(cls, value: object) -> Flag | None:
        return None if value in (None, "") else parse_flag(value)

    @field_validator("organisations", mode="before")
    @classmethod
    def _organisations(cls, value: object) -> dict:
        shares: dict[Organisation, float] = {}
        for key, share in dict(value or {}).items():  # type: ignore[call-overload]
            if share in (None, ""):
                continue
            amount = float(share)
            if not math.isfinite(amount) or not 0 <= amount <= 1:
                raise ValueError(f"the share for {key} must lie between 0% and 100%")
            shares[parse_organisation(key)] = amount
        if sum(shares.values()) > 1.005:
            raise ValueError(
                f"the delivery organisation shares add to {sum(shares.values()):.0%}; "
                "they cannot add to more than 100%"
            )
        return shares

    @field_validator("under_18_spend", mode="before")
    @classmethod
    def _under_18(cls, value: object) -> float | None:
        return None if value in (None, "") else _money(value, "spend on under-18s")

    @field_validator("factor_ranks", mode="before")
    @classmethod
    def _ranks(cls, value: object) -> dict:
        ranks: dict[Factor, int] = {}
        for key, rank in dict(value or {}).items():  # type: ignore[call-overload]
            if rank in (None, ""):
                continue
            number = int(rank)
            if not 1 <= number <= len(Factor):
                raise ValueError(f"rank for '{key}' must be a whole number from 1 to {len(Factor)}")
            ranks[Factor(normalise(key)) if not isinstance(key, Factor) else key] = number
        if len(set(ranks.values())) != len(ranks):
            raise ValueError("give each factor a different rank (1 is the most important)")
        return ranks

    @model_validator(mode="after")
    def _streams_unique(self) -> SpendMap:
        names = [stream.stream for stream in self.streams]
        if len(set(names)) != len(names):
            raise ValueError("each budget stream may appear once")
        return self

    @property
    def stream_years(self) -> tuple[str, str, str] | None:
        """Last year, this year and next year, when the map's year is known."""
        if self.year is None:
            return None
        return (shift_year(self.year, -1), self.year, shift_year(self.year, 1))


__all__ = [
    "BudgetChange",
    "ChangeArea",
    "Eligibility",
    "Factor",
    "KnownUse",
    "ProvisionLine",
    "SpendMap",
    "StreamSpend",
    "parse_year",
]
