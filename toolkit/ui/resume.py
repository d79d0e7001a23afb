"""Entries kept under a private resume id: opened from a link, saved as the user types.

Shared by every app. The id is made on the first save (an unguessable token
from the store); an unknown id opens a blank form and says so. A failed save
never loses what is on screen: the app shows the problem and tries again on
the next change.
"""

from __future__ import annotations

from typing import Any


def open_saved(
    store: Any | None, app: str, token: str | None, what: str
) -> tuple[dict | None, str | None, str]:
    """The saved state for a link (or None), the id to keep using, and a notice for the page.

    ``what`` names the thing restored in the notice ("entries", "answers", "worksheet").
    """
    saved = store.load_state(app, token) if (store is not None and token) else None
    if token and saved is None:
        return None, None, f"That private link was not recognised, so a blank {what} has opened."
    if saved is not None:
        return (
            saved,
            token,
            f"Your saved {what} {'has' if what == 'worksheet' else 'have'} been restored.",
        )
    return None, None, ""


def save_state(
    store: Any | None, app: str, token: str | None, state: dict
) -> tuple[str | None, str]:
    """Save under ``token`` (made now if there is none): the token, and a problem or ``""``."""
    if store is None:
        return token, ""
    from toolkit.network.store import StoreError

    try:
        if token is None:
            token = store.new_token()
        store.save_state(app, token, state)
    except StoreError as exc:
        return (
            token,
            f"Your latest change could not be saved just now ({exc}). It is still on screen.",
        )
    return token, ""
