"""Pure measures of the programme: the priority ranking and the feedback summary."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from toolkit.network.programme.models import PriorityRank, TrendYear, YearFigures

MIN_SCORE = 1
MAX_SCORE = 5


def rank_priorities(
    scores: Mapping[str, Sequence[int]], chosen: Iterable[str] = ()
) -> list[PriorityRank]:
    """Issues ranked by mean score (highest first), then by more ratings, then alphabetically.

    Unrated issues come last with no mean. Means are rounded to two decimals.
    """
    picked = set(chosen)
    ranks = []
    for issue, given in scores.items():
        values = [int(v) for v in given]
        if any(not MIN_SCORE <= v <= MAX_SCORE for v in values):
            raise ValueError(f"score for {issue!r}: each must be {MIN_SCORE} to {MAX_SCORE}")
        mean = round(sum(values) / len(values), 2) if values else None
        ranks.append(
            PriorityRank(
                issue=issue,
                mean_score=mean,
                ratings=len(values),
                spread=(max(values) - min(values)) if values else None,
                lowest=min(values) if values else None,
                highest=max(values) if values else None,
                chosen=issue in picked,
            )
        )
    ranks.sort(
        key=lambda r: (r.mean_score is None, -(r.mean_score or 0), -r.ratings, r.issue.lower())
    )
    return ranks


def mean_or_none(values: Sequence[int]) -> float | None:
    """The mean rounded to two decimals, or None for no values (never nan)."""
    return round(sum(values) / len(values), 2) if values else None


def network_trend(figures: Iterable[Sequence[YearFigures]], min_members: int) -> list[TrendYear]:
    """Each year's totals over the members' own figures (one sequence per member).

    A year with fewer than ``min_members`` members sharing shows only the count of members,
    so no member's own figures can be read off the totals.
    """
    by_year: dict[int, list[YearFigures]] = {}
    for member in figures:
        for entry in member:
            by_year.setdefault(entry.year, []).append(entry)
    trend = []
    for year in sorted(by_year):
        entries = by_year[year]
        if len(entries) < min_members:
            trend.append(
                TrendYear(
                    year=year,
                    members=len(entries),
                    people_supported=None,
                    job_outcomes=None,
                    job_outcome_rate=None,
                )
            )
            continue
        people = sum(e.people_supported for e in entries)
        outcomes = sum(e.job_outcomes for e in entries)
        trend.append(
            TrendYear(
                year=year,
                members=len(entries),
                people_supported=people,
                job_outcomes=outcomes,
                job_outcome_rate=(outcomes / people) if people else None,
            )
        )
    return trend


def baseline_text(figures: Sequence[YearFigures]) -> str:
    """A member's job outcomes as a turning-the-curve baseline: one ``year, figure`` per line."""
    return "\n".join(f"{e.year}, {e.job_outcomes}" for e in sorted(figures, key=lambda e: e.year))
