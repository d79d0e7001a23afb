"""Pure measures of the programme: the priority ranking and the feedback summary."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from toolkit.network.programme.models import PriorityRank

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
