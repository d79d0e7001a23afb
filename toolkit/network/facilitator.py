"""A facilitator's controls over their session, and the words they are told: one place for all.

The command line (``python -m toolkit session close|reopen|cap|delete``) and the
dashboard's private view both call these, so they do the same thing and say the same.
The facilitator can close the session (no new or changed figures), reopen it, cap how
many services may share, delete it with everything shared to it, and see which names
were typed by the people sharing (self-declared, checked by nobody).

Every action takes the store, the session code and the facilitator key; a wrong code or
key raises :class:`toolkit.network.store.WrongKey`, as everywhere else. Deleting needs a
confirmation that names the session and says what goes (:func:`delete_warning`).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from toolkit.network.codes import format_code
from toolkit.network.summary import SessionSummary

CAP_LABEL = "Most services to take"
#: Largest cap accepted (far above any meeting; keeps the number inside the database's integer).
MAX_CAP = 1_000_000
CLOSED = (
    "Closed: the session takes no new or changed figures from now on; members can still "
    "withdraw theirs."
)
DELETE_NEEDS_YES = (
    "--yes is needed: deleting removes the session and every service's figures in it, "
    "and cannot be undone (packs downloaded earlier keep what they had)"
)


class SessionControls(BaseModel):
    """What the facilitator's controls show about a session."""

    model_config = ConfigDict(frozen=True)

    code: str
    title: str
    closed: bool
    #: The size cap (None: no cap).
    max_services: int | None
    services: int
    #: Names as the people sharing typed them (nobody has checked them), in name order.
    self_declared: tuple[str, ...]
    anonymous: int


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def controls_of(summary: SessionSummary, max_services: int | None) -> SessionControls:
    """The controls' view of a session, from its (disclosure-checked) summary and its cap."""
    entries = summary.submissions
    return SessionControls(
        code=summary.session.code,
        title=summary.session.title,
        closed=summary.session.closed,
        max_services=max_services,
        services=summary.services,
        self_declared=tuple(sorted(e.shown_as for e in entries if e.name_self_declared)),
        anonymous=sum(1 for e in entries if e.anonymous),
    )


def read_controls(store: Any, code: str, facilitator_key: str) -> SessionControls:
    """The session's controls, read from the store."""
    summary = store.session_summary(code, facilitator_key)
    return controls_of(summary, store.max_services(code, facilitator_key))


# --------------------------------------------------------------------------- the words


def state_sentence(controls: SessionControls) -> str:
    """Whether the session takes figures, and its cap, in one sentence."""
    shared = f"{_plural(controls.services, 'service')} so far"
    if controls.closed:
        return (
            f"Closed: the session takes no new or changed figures ({shared}). Members can "
            "still withdraw theirs. Reopen it to take figures again."
        )
    if controls.max_services is None:
        return f"Open: the session takes figures from anyone with its code ({shared}; no cap)."
    full = controls.services >= controls.max_services
    return (
        f"Open: the session takes figures from at most {_plural(controls.max_services, 'service')} "
        f"({shared})." + (" It is full: nobody new can share." if full else "")
    )


def self_declared_sentence(controls: SessionControls) -> str:
    """Which names were typed by the people sharing (self-declared), and how many are anonymous."""
    anonymous = (
        f" {_plural(controls.anonymous, 'service')} shared anonymously."
        if controls.anonymous
        else ""
    )
    if not controls.self_declared:
        return "No service has shared under a name." + anonymous
    return (
        "Names typed by the people sharing (self-declared: nobody has checked them): "
        + "; ".join(controls.self_declared)
        + "."
        + anonymous
    )


def parse_cap(text: str | None, no_cap: str = "leave it blank") -> int | None:
    """A typed size cap: a whole number of 1 or more, or blank (or "none") for no cap.

    Raises ``ValueError`` with a message naming the field and what it expects; ``no_cap``
    says how to ask for no cap where the message is read (the CLI: "give none").
    """
    cleaned = (text or "").strip().replace(",", "")
    if not cleaned or cleaned.lower() in ("none", "no cap"):
        return None
    if not (cleaned.isascii() and cleaned.isdigit()) or not 1 <= int(cleaned) <= MAX_CAP:
        raise ValueError(
            f"{CAP_LABEL}: \u201c{text}\u201d is not a whole number from 1 to {MAX_CAP:,}; type "
            f"a number such as 12, or {no_cap} for no cap."
        )
    return int(cleaned)


def cap_message(most: int | None, services: int) -> str:
    """What setting the cap did."""
    if most is None:
        return "No cap: the session takes figures from any number of services."
    message = f"Cap set: the session takes figures from at most {_plural(most, 'service')}."
    if services > most:
        message += (
            f" {_plural(services, 'service')} have already shared: their figures stay, and "
            "nobody new can share."
        )
    elif services == most:
        message += " It is full now: nobody new can share."
    return message


def reopened_message(max_services: int | None) -> str:
    cap = f" (from at most {_plural(max_services, 'service')})" if max_services is not None else ""
    return f"Reopened: the session takes figures again{cap}."


def delete_warning(controls: SessionControls) -> str:
    """The confirmation asked before deleting: which session, and what is lost."""
    shared = (
        "It has no figures shared with it yet."
        if controls.services == 0
        else f"The figures of the {_plural(controls.services, 'service')} shared with it go too, "
        "with the pooled figures and the session pack."
    )
    return (
        f"Delete the session \u201c{controls.title}\u201d (code {controls.code}) for good? "
        f"{shared} Members' private links will no longer find their shares, and the code will "
        "no longer work. Session packs downloaded earlier keep what they had. This cannot be "
        "undone."
    )


def deleted_message(title: str, code: str) -> str:
    return (
        f"Deleted: the session \u201c{title}\u201d (code {code}) and every service's figures in "
        "it are gone from the store."
    )


# --------------------------------------------------------------------------- the actions


def close_session(store: Any, code: str, facilitator_key: str) -> str:
    """Take no new (or changed) figures from now on; returns what to tell the facilitator."""
    store.close_session(code, facilitator_key)
    return CLOSED


def reopen_session(store: Any, code: str, facilitator_key: str) -> str:
    """Take figures again (any cap still applies); returns what to tell the facilitator."""
    store.reopen_session(code, facilitator_key)
    return reopened_message(store.max_services(code, facilitator_key))


def set_size_cap(store: Any, code: str, facilitator_key: str, most: int | None) -> str:
    """Cap how many services may share (None: no cap); returns what to tell the facilitator."""
    store.set_max_services(code, facilitator_key, most)
    services = len(store.submissions_for(code, facilitator_key))
    return cap_message(most, services)


def delete_session(store: Any, code: str, facilitator_key: str) -> str:
    """Delete the session and everything shared to it; returns what to tell the facilitator.

    Callers ask first, showing :func:`delete_warning` (the CLI needs ``--yes``).
    """
    info = store.session_info(code, facilitator_key)
    store.delete_session(code, facilitator_key)
    return deleted_message(info.title, format_code(info.code))
