"""The study's national figures for spend (``data/spend_national.csv``), each with its source."""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass

from toolkit.content.paths import data_dir
from toolkit.content.sources import cite


@dataclass(frozen=True)
class NationalFigure:
    """One published figure: what it measures, its value and where it is printed."""

    measure: str
    category: str
    subgroup: str
    value: float
    base: int | None
    source_document: str
    source_table: str
    notes: str

    @property
    def source(self) -> str:
        """The figure's source as a user sees it, from the sources register: title and table."""
        return cite(self.source_document, self.source_table)


@functools.cache
def national_figures() -> tuple[NationalFigure, ...]:
    """Every row of ``data/spend_national.csv``."""
    path = data_dir() / "spend_national.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return tuple(
        NationalFigure(
            measure=row["measure"],
            category=row["category"],
            subgroup=row["subgroup"],
            value=float(row["value"]),
            base=int(row["base"]) if row["base"].strip() else None,
            source_document=row["source_document"],
            source_table=row["source_table"],
            notes=row["notes"],
        )
        for row in rows
    )


def figure(measure: str, category: str, subgroup: str | None = None) -> NationalFigure:
    """The one figure for a measure and category (and subgroup, when several)."""
    found = [
        item for item in national_figures()
        if item.measure == measure and item.category == category
        and (subgroup is None or item.subgroup == subgroup)
    ]
    if len(found) != 1:
        raise KeyError(f"{measure}/{category}/{subgroup}: {len(found)} figures in spend_national.csv")
    return found[0]


def paid_work_share() -> NationalFigure:
    """The study's 32% of spend on support into paid work."""
    return figure("share_of_spend_by_support_type", "support into paid work")


def other_share_upper() -> NationalFigure:
    """The study's 'up to 20%' other or unspecified (mental health and learning disability)."""
    return figure("share_of_spend_by_support_type", "other")


def study_mix() -> list[tuple[str, float, str]]:
    """The study's mix of spend by type as far as its text gives it: (label, share, source).

    The report prints the shares for paid work and self-employment; the rest of its
    chart is not given in figures, so it is one 'not broken down in the report text' part.
    """
    paid = paid_work_share()
    self_employed = figure("share_of_spend_by_support_type", "self-employment")
    rest = 1 - paid.value - self_employed.value
    return [
        ("support into paid work", paid.value, paid.source),
        ("self-employment", self_employed.value, self_employed.source),
        ("other types (not broken down in the report text)", rest, paid.source),
    ]


def budget_change_shares(kind: str, subset: bool = False) -> dict[str, float]:
    """Table 2's row for a stream kind ('social care', 'health', 'combined'): change -> share."""
    subgroup = f"{kind} ({'subset' if subset else 'whole'})"
    return {
        item.category: item.value for item in national_figures()
        if item.measure == "budget_change_2011_12_to_2012_13" and item.subgroup == subgroup
    }


def five_year_shares(subset: bool = False) -> dict[str, float]:
    """The five-year answers: more / same / less -> share of respondents."""
    subgroup = "subset" if subset else "whole"
    return {
        item.category: item.value for item in national_figures()
        if item.measure == "spend_against_five_years_ago" and item.subgroup == subgroup
    }
