"""Small pieces of wording the apps share: counts with the right plural, score beside progress."""

from __future__ import annotations


def counted(number: int, singular: str, plural: str | None = None) -> str:
    """``1 filled box``, ``2 filled boxes``: a count with its noun in the right number."""
    return f"{number} {singular if number == 1 else (plural or singular + 's')}"


def score_and_progress(percent: float | None, answered: int, total: int) -> str:
    """A section's score and how far it is answered, never to be read as one figure.

    A score of 100% from 3 of 12 questions must not look complete, so the score says what it
    is out of and the questions still open are named.
    """
    left = total - answered
    still = f"{counted(left, 'question')} still to answer" if left else "all answered"
    if percent is None:
        return f"No score yet \u00b7 {answered} of {total} answered ({still})"
    return (
        f"Score {percent:.0f}% from the {counted(answered, 'answer')} given \u00b7 "
        f"{answered} of {total} answered ({still})"
    )


def score_and_progress_short(percent: float | None, answered: int, total: int) -> str:
    """The chart label: progress first, then the score so far, on two lines."""
    progress = f"{answered} of {total} answered"
    if percent is None:
        return f"{progress}\nno score yet"
    return f"{progress}\nscore so far {percent:.0f}%"
