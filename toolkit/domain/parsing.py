"""Read the figures people type: money, whole-number counts and dates.

Each parser returns a number or raises :class:`ValueError` with a sentence a
commissioner can act on. The sentence does not name the field; the record adds
the field's label.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal, InvalidOperation

_PLAIN_NUMBER = re.compile(r"^\d+(\.\d+)?$")
_GROUPED_NUMBER = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")


def is_blank(value: object) -> bool:
    """True for None, empty or whitespace-only text, and a missing spreadsheet cell (NaN)."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return isinstance(value, float) and math.isnan(value)


def _number_from_text(text: str, what: str, example: str) -> float:
    cleaned = text.strip().replace("\u00a3", "").replace(" ", "").replace("\u00a0", "")
    if cleaned.startswith("-"):
        raise ValueError(f"cannot be negative (you typed '{text.strip()}')")
    if not (_PLAIN_NUMBER.match(cleaned) or _GROUPED_NUMBER.match(cleaned)):
        raise ValueError(f"could not read '{text.strip()}' as {what}; type digits only, {example}")
    try:
        return float(Decimal(cleaned.replace(",", "")))
    except InvalidOperation:  # pragma: no cover - the patterns above rule this out
        raise ValueError(f"could not read '{text.strip()}' as {what}") from None


def _number(value: object, what: str, example: str) -> float:
    if isinstance(value, bool):
        raise ValueError(f"expected {what}, not a yes/no value")
    if isinstance(value, int | float | Decimal):
        number = float(value)
        if not math.isfinite(number):
            raise ValueError(f"must be an ordinary finite number, not '{value}'")
        if number < 0:
            raise ValueError(f"cannot be negative (you gave {value})")
        return number
    if isinstance(value, str):
        return _number_from_text(value, what, example)
    raise ValueError(f"expected {what}")


def parse_date(value: object) -> dt.date:
    """A calendar date typed as ``YYYY-MM-DD`` (surrounding spaces ignored), or a date given as one."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"'{value}' is not a date; use YYYY-MM-DD, e.g. 2026-03-14")


def parse_money(value: object) -> float:
    """Pounds from what people type: ``120000``, ``£120,000``, ``120,000.50``."""
    amount = _number(value, "an amount of money", "for example 120000 or £120,000.50")
    return round(amount, 2)


def parse_count(value: object) -> int:
    """A whole number of people or outcomes: ``120`` or ``1,200``."""
    number = _number(value, "a whole number", "for example 120 or 1,200")
    if number != int(number):
        raise ValueError(f"must be a whole number (you gave {number:g})")
    return int(number)


def parse_hours(value: object) -> float:
    """Hours, which may have a fractional part: ``16`` or ``7.5``."""
    return _number(value, "a number of hours", "for example 16 or 7.5")
