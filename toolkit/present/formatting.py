"""Numbers as people read them: £2,180, 41.7%, 1,200."""

from __future__ import annotations

from toolkit.content.vocabulary import vocabulary
from toolkit.domain.measures import NotDefined, is_defined


def not_defined_text() -> str:
    """Shown in place of a figure that cannot be worked out (data/vocabulary.yaml)."""
    return vocabulary().not_defined


def money(value: float | NotDefined | None) -> str:
    """Pounds, whole pounds from £10 upwards: ``£2,180``; pence below: ``£7.50``."""
    if not is_defined(value):
        return not_defined_text()
    if abs(value) < 10 and value != int(value):  # type: ignore[arg-type]
        return f"£{value:,.2f}"
    return f"£{value:,.0f}"


def percent(value: float | NotDefined | None, places: int = 1) -> str:
    """A share (0 to 1) as a percentage: ``41.7%``."""
    if not is_defined(value):
        return not_defined_text()
    text = f"{100 * value:.{places}f}"  # type: ignore[operator]
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}%"


def count(value: int | float | NotDefined | None) -> str:
    """A count with thousands separators: ``1,200``; one decimal place if fractional."""
    if not is_defined(value):
        return not_defined_text()
    if float(value) == int(value):  # type: ignore[arg-type]
        return f"{int(value):,}"  # type: ignore[arg-type]
    return f"{value:,.1f}"


def index(value: float | NotDefined | None) -> str:
    """The Support Level Index to two decimal places."""
    if not is_defined(value):
        return not_defined_text()
    return f"{value:.2f}"


def measure_value(measure: str, value: float | NotDefined | None) -> str:
    """Format a value by what the measure is."""
    if measure == "job_outcome_rate":
        return percent(value)
    if measure == "support_level_index":
        return index(value)
    return money(value)


def band_range(measure: str, low: float, high: float) -> str:
    """A band as people read it: ``£0 (no lower limit) to £24,000``."""
    low_text = measure_value(measure, low)
    if measure == "cost_per_job_outcome" and low <= 0:
        low_text = "\u00a30 (no lower limit)"
    return f"{low_text} to {measure_value(measure, high)}"
