"""Session codes: how they are drawn, typed and shown (``K7QF-M2XD-9PRT``)."""

from __future__ import annotations

import secrets

#: Characters of a session code: digits and capitals without look-alikes (no 0, O, 1, I, L).
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_GROUPS = 3
CODE_GROUP_LENGTH = 4
CODE_LENGTH = CODE_GROUPS * CODE_GROUP_LENGTH
CODE_EXAMPLE = "K7QF-M2XD-9PRT"
_CODE_SEPARATORS = str.maketrans("", "", "- \t\u2010\u2011\u2012\u2013\u2014")


def new_session_code() -> str:
    """A random code in its stored form (12 characters, about 59 bits), e.g. ``K7QFM2XD9PRT``."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: object) -> str | None:
    """A typed code in its stored form, or None if it cannot be a code.

    Case does not matter, and dashes and spaces are optional: ``k7qf m2xd-9prt``
    is ``K7QFM2XD9PRT``.
    """
    if not isinstance(text, str) or len(text) > 64:
        return None
    code = text.translate(_CODE_SEPARATORS).upper()
    if len(code) != CODE_LENGTH or any(char not in CODE_ALPHABET for char in code):
        return None
    return code


def format_code(code: str) -> str:
    """A stored code as people read it: ``K7QF-M2XD-9PRT``."""
    size = CODE_GROUP_LENGTH
    return "-".join(code[start : start + size] for start in range(0, len(code), size))
