"""Making typed text safe in a spreadsheet cell (no content files needed, so cheap to import)."""

from __future__ import annotations

from typing import Any

#: What a spreadsheet would run as a formula at the start of a cell.
INERT_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def inert(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe; numbers pass.

    Cells beginning with = + - @ tab or carriage return are prefixed with ``'`` (the OWASP
    advice for CSV injection). Only text is changed: a negative number stays a number.
    """
    if isinstance(value, str) and value.startswith(INERT_PREFIXES):
        return "'" + value
    return value
