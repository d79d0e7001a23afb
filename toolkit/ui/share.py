"""Share a service's figures with a learning-network session, from the self-benchmark app.

A panel the self-benchmark app shows near its end: the commissioner types the
session code the facilitator gave them, chooses how they appear (their
organisation's name, or anonymous), ticks the consent box and shares. Only the
figures the consent names are sent (cost, people supported and the three
outcome counts): the optional details (year, client group, support levels...)
stay in the app. The submission is made with the app's private resume token, so
sharing again replaces the figures rather than adding a second submission, and
the same link later withdraws them.

The panel talks to its app only through a :class:`ShareHost` (the store, the
figures being edited, the private token, and a place to remember what was
shared). A named share is remembered in the app's saved state under
``"shared"``; an anonymous one is not, so nothing in the database links the
app's saved entries to the anonymous submission (withdrawing it again later
takes the session code and the private link).
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import ipywidgets as w

from toolkit.content.rules import rules
from toolkit.domain.parsing import is_blank
from toolkit.domain.record import FIELD_LABELS, ServiceRecord, ServiceRecordError, parse_service
from toolkit.network.audiences import consent_text
from toolkit.network.codes import CODE_EXAMPLE, format_code, normalise_code
from toolkit.ui import views

#: The only fields a shared record carries (what the consent text names).
SHARED_FIELDS = ("total_cost", "people_supported", "new_jobs", "jobs_retained", "self_employed")
NAMED, ANONYMOUS = "named", "anonymous"
APPEAR_OPTIONS = [("Our organisation's name", NAMED), ("Anonymous", ANONYMOUS)]
LABEL_STYLE = {"description_width": "17em"}
FIELD_LAYOUT = w.Layout(width="36em")
_MAX_ID_LENGTH = 64

CSS = """
<style>
.toolkit-consent { width: 100% !important; max-width: 60em; height: auto !important; }
.toolkit-consent .widget-label-basic { height: auto !important; white-space: normal !important;
  overflow: visible !important; display: flex !important; align-items: flex-start; }
.toolkit-consent .widget-label-basic span { white-space: normal !important; overflow: visible;
  text-overflow: clip; line-height: 1.45; }
.toolkit-consent input[type="checkbox"] { flex: 0 0 auto; }
</style>
"""


@dataclass(frozen=True)
class ShareHost:
    """All the share panel may use of its app."""

    #: The store figures are sent through (None: sharing is not available).
    store: Any
    #: The raw figures of the service being edited.
    figures: Callable[[], dict[str, Any]]
    #: Save the app's entries if need be and return its private token.
    token: Callable[[], str | None]
    #: Keep (or, with None, forget) a named share in the app's saved state, and save.
    remember: Callable[[dict[str, Any] | None], None]


def shared_record(record: ServiceRecord, name: str) -> ServiceRecord:
    """The record as shared: the consented figures only, under ``name``.

    (An anonymous submission's name is replaced by the store and never kept.)
    """
    values = record.model_dump(include=set(SHARED_FIELDS))
    return ServiceRecord.model_validate({"name": name, **values})


def clean_shared(raw: Any) -> dict[str, Any] | None:
    """A saved ``"shared"`` entry made safe to use, or None."""
    if not isinstance(raw, dict):
        return None
    code = normalise_code(raw.get("code"))
    submission_id = raw.get("submission_id")
    if code is None or not isinstance(submission_id, str):
        return None
    if not 0 < len(submission_id) <= _MAX_ID_LENGTH:
        return None
    name = raw.get("name")
    return {
        "code": format_code(code),
        "submission_id": submission_id,
        "anonymous": raw.get("anonymous") is True,
        "name": name if isinstance(name, str) and name.strip() else None,
    }


def _log_problem() -> None:
    """Write the traceback to the server's own stderr, never into the page."""
    traceback.print_exc(file=sys.__stderr__)


def shared_status_html(shared: dict[str, Any] | None) -> str:
    """What has been shared so far, in words."""
    if not shared:
        return '<p class="toolkit-note">Nothing from this page has been shared with a session.</p>'
    how = (
        "anonymously (the facilitator sees it as a lettered service, with no name)"
        if shared["anonymous"]
        else f"under the name \u201c{views.esc(shared['name'] or 'your service name')}\u201d"
    )
    return (
        '<div class="toolkit-fresh"><strong>Shared:</strong> this service\'s figures are in '
        f"session <strong>{views.esc(shared['code'])}</strong>, {how}. If you change your "
        "figures, press \u201cShare with the session\u201d again to send the new ones (they "
        "replace the old ones). To take them back, press \u201cWithdraw our figures\u201d; you "
        "can also do that later from your private link.</div>"
    )


class SharePanel:
    """The "Share with a learning-network session" part of the self-benchmark app."""

    def __init__(self, host: ShareHost):
        self.host = host
        self.busy = False
        self._shared: dict[str, Any] | None = None
        self._build()
        self._show_shared()

    def restore(self, saved: dict[str, Any] | None) -> dict[str, Any] | None:
        """Show what the app's saved state says was shared; returns the clean entry (or None)."""
        shared = clean_shared((saved or {}).get("shared"))
        self._shared = shared if shared and not shared["anonymous"] else None
        self._clear_messages()
        self._show_shared()
        self.service_changed()
        return self._shared

    def service_changed(self) -> None:
        """The service being edited changed: name it in the consent text and untick the box."""
        name = self.host.figures().get("name")
        self.consent.description = consent_text(
            name if isinstance(name, str) and name.strip() else None
        )
        self.consent.value = False

    # ---------- view ----------
    def _build(self) -> None:
        self.code = w.Text(
            description="Session code",
            placeholder=f"e.g. {CODE_EXAMPLE}",
            style=LABEL_STYLE,
            layout=FIELD_LAYOUT,
        )
        self.code_error = w.HTML()
        self.appear = w.RadioButtons(
            description="How you appear",
            options=APPEAR_OPTIONS,
            value=NAMED,
            style={"description_width": "initial"},
        )
        self.appear.observe(lambda _change: self._show_name_field(), names="value")
        self.org_name = w.Text(
            description="Organisation name",
            placeholder="e.g. Anytown Council",
            style=LABEL_STYLE,
            # its own layout: hiding this field must not hide the others sharing FIELD_LAYOUT
            layout=w.Layout(width=FIELD_LAYOUT.width),
        )
        self.org_error = w.HTML()
        self.consent = w.Checkbox(
            description=consent_text(None), value=False, indent=False, layout=w.Layout(width="100%")
        )
        self.consent.add_class("toolkit-consent")
        self.consent_error = w.HTML()
        self.share_button = w.Button(
            description="Share with the session",
            icon="share",
            button_style="primary",
            tooltip="Send this service's figures to the session",
            layout=w.Layout(width="auto"),
        )
        self.share_button.on_click(lambda _: self.share())
        self.share_message = w.HTML()
        self.withdraw_button = w.Button(
            description="Withdraw our figures",
            icon="undo",
            tooltip="Take this service's figures out of the session",
            layout=w.Layout(width="auto"),
        )
        self.withdraw_button.on_click(lambda _: self.withdraw())
        self.withdraw_message = w.HTML()
        self.status = w.HTML()
        self.widget = w.VBox(
            [
                w.HTML(
                    CSS + "<h2>Share with a learning-network session</h2>"
                    "<p>If a facilitator has given you a session code, you can share the figures "
                    "of the service being edited with that session, so the group can compare "
                    "services and see its pooled figures. Nothing is shared until you tick the "
                    "box and press the button.</p>"
                ),
                self.status,
                self.code,
                self.code_error,
                self.appear,
                self.org_name,
                self.org_error,
                self.consent,
                self.consent_error,
                w.HBox([self.share_button, self.withdraw_button]),
                self.share_message,
                self.withdraw_message,
            ]
        )
        self.widget.add_class("toolkit-share")

    def _show_name_field(self) -> None:
        named = self.appear.value == NAMED
        self.org_name.layout.display = None if named else "none"
        if not named:
            self.org_error.value = ""

    def _show_shared(self) -> None:
        shared = self.shared
        self.status.value = shared_status_html(shared)
        if shared:
            self.code.value = shared["code"]
            self.appear.value = ANONYMOUS if shared["anonymous"] else NAMED
            if shared["name"] and not self.org_name.value:
                self.org_name.value = shared["name"]
        self._show_name_field()

    @property
    def shared(self) -> dict[str, Any] | None:
        return self._shared

    def _clear_messages(self) -> None:
        for box in (
            self.code_error,
            self.org_error,
            self.consent_error,
            self.share_message,
            self.withdraw_message,
        ):
            box.value = ""

    # ---------- glue ----------
    def _record(self) -> ServiceRecord | None:
        """The service being edited, validated; None (with the reason shown) if it is not ready."""
        raw = self.host.figures()
        if all(is_blank(value) for value in raw.values()):
            self.share_message.value = views.error_html(
                "There are no figures to share yet: enter your service's figures above first."
            )
            return None
        try:
            return parse_service(raw)
        except ServiceRecordError as exc:
            problems = "".join(
                f"<li>{views.esc(FIELD_LABELS.get(field, field))}: {views.esc(message)}</li>"
                for field, message in exc.by_field().items()
            )
            self.share_message.value = (
                views.error_html(
                    "Your figures are not complete, so nothing was shared. Put these right "
                    "above, then share again:"
                )
                + f"<ul>{problems}</ul>"
            )
            return None

    def share(self) -> bool:
        """Share the service being edited with the session whose code is typed. True if shared."""
        if self.busy:
            return False
        if not self.consent.value:
            # Leave any earlier message (a double click must not hide "Shared").
            self.consent_error.value = views.error_html(
                "Tick the box to agree before sharing: nothing is shared without your consent."
            )
            return False
        self.busy = True
        self.share_button.disabled = True
        self._clear_messages()
        try:
            return self._share()
        except Exception:  # the page shows plain words, never a traceback
            _log_problem()
            self.share_message.value = views.error_html(
                "Something went wrong while sharing, and your figures may not have been "
                "shared. Please try again in a moment."
            )
            return False
        finally:
            self.busy = False
            self.share_button.disabled = False

    def _share(self) -> bool:
        from toolkit.network.store import (
            ConsentRequired,
            InvalidInput,
            SessionClosed,
            StoreError,
            UnknownSession,
        )

        store = self.host.store
        if store is None:
            self.share_message.value = views.error_html(
                "Sharing is not available here: this copy of the app has no store to send "
                "figures through."
            )
            return False
        ok = True
        code = normalise_code(self.code.value)
        if code is None:
            self.code_error.value = views.error_html(
                "Session code: enter the code your facilitator gave you "
                f"(codes look like {CODE_EXAMPLE})."
            )
            ok = False
        anonymous = self.appear.value == ANONYMOUS
        name = " ".join(self.org_name.value.split())
        limit = rules().validation.max_name_length
        if not anonymous and not name:
            self.org_error.value = views.error_html(
                "Organisation name: enter the name to show to the session, or choose Anonymous."
            )
            ok = False
        elif not anonymous and len(name) > limit:
            self.org_error.value = views.error_html(
                f"Organisation name: keep it to {limit} characters or fewer (it has {len(name)})."
            )
            ok = False
        if not self.consent.value:
            self.consent_error.value = views.error_html(
                "Tick the box to agree before sharing: nothing is shared without your consent."
            )
            ok = False
        record = self._record()
        if not ok or record is None or code is None:
            return False
        shared = self.shared
        if shared and normalise_code(shared["code"]) != code:
            self.share_message.value = views.error_html(
                f"These figures are already shared with session {shared['code']}. Withdraw "
                "them from that session first, then share with the new one."
            )
            return False
        outgoing = shared_record(record, record.name if anonymous else name)
        token = self.host.token()  # saves the entries, making the private token if need be
        if not token:
            self.share_message.value = views.error_html(
                "Your figures were not shared: the app could not save your entries first. "
                "Please try again in a moment."
            )
            return False
        try:
            submission_id = store.submit(
                code,
                outgoing,
                display_name=None if anonymous else name,
                anonymous=anonymous,
                consent=True,
                resume_token=token,
            )
        except SessionClosed as exc:
            self.share_message.value = views.error_html(f"Not shared: {exc}")
            return False
        except UnknownSession as exc:
            self.code_error.value = views.error_html(f"Session code: {exc}")
            return False
        except ConsentRequired as exc:
            self.consent_error.value = views.error_html(str(exc))
            return False
        except InvalidInput as exc:
            target = self.org_error if "name" in str(exc) else self.share_message
            target.value = views.error_html(f"Not shared: {exc}")
            return False
        except StoreError as exc:
            self.share_message.value = views.error_html(
                f"Your figures were not shared: {exc}. Please try again in a moment."
            )
            return False
        updated = shared is not None
        self._shared = {
            "code": format_code(code),
            "submission_id": submission_id,
            "anonymous": anonymous,
            "name": None if anonymous else name,
        }
        # Anonymous: nothing is kept in the saved entries, so they cannot be joined to it.
        self.host.remember(None if anonymous else self._shared)
        self._show_shared()
        self.consent.value = False  # a later click must be agreed to again
        self.share_message.value = (
            f'<p role="status"><strong>{"Updated" if updated else "Shared"}: the figures of '
            f"\u201c{views.esc(record.name)}\u201d are in session "
            f"{views.esc(format_code(code))}.</strong> The facilitator can now see these "
            "figures. To share again, tick the box again.</p>"
        )
        return True

    def withdraw(self) -> bool:
        """Take the shared figures out of the session. True if they are no longer there."""
        self._clear_messages()
        shared = self.shared
        typed = normalise_code(self.code.value)
        code = normalise_code(shared["code"]) if shared else typed
        token = self.host.token() if code else None
        if code is None or self.host.store is None or not token:
            self.withdraw_message.value = views.error_html(
                "There is nothing to withdraw: type the session code you shared with "
                "(from this page's private link) and press the button again."
            )
            return False
        self.withdraw_button.disabled = True
        try:
            removed = self.host.store.withdraw(
                code, shared["submission_id"] if shared else None, token
            )
        except Exception:  # the page shows plain words, never a traceback
            _log_problem()
            self.withdraw_button.disabled = False
            self.withdraw_message.value = views.error_html(
                "Your figures could not be withdrawn just now (the store did not answer). "
                "They are still in the session: please try again in a moment."
            )
            return False
        self.withdraw_button.disabled = False
        self._shared = None
        self.host.remember(None)
        self._show_shared()
        shown = views.esc(format_code(code))
        self.withdraw_message.value = (
            f'<p role="status"><strong>Withdrawn from session {shown}.'
            "</strong> Your figures no longer appear in the session, its pooled figures or "
            "its pack (packs downloaded earlier keep what they had).</p>"
            if removed
            else f'<p role="status"><strong>Nothing to withdraw:</strong> no figures shared '
            f"from this page's private link are in session {shown}.</p>"
        )
        return True
