"""Share a service's figures with a learning-network session, from the self-benchmark app.

A panel the self-benchmark app shows near its end: the commissioner types the
session code the facilitator gave them, chooses how they appear (their
organisation's name, or anonymous), ticks the consent box and shares. Only the
figures the consent names are sent (cost, people supported and the three
outcome counts): the optional details (year, client group, support levels...)
stay in the app. The submission is made with the app's private resume token, so
sharing again replaces the figures rather than adding a second submission, and
the same link later withdraws them. The submission id and session code are kept
in the app's saved state under ``"shared"``.
"""

from __future__ import annotations

import sys
import traceback
from typing import Any

import ipywidgets as w

from toolkit.content.rules import DisclosureRules, rules
from toolkit.domain.parsing import is_blank
from toolkit.domain.record import FIELD_LABELS, ServiceRecord, ServiceRecordError, parse_service
from toolkit.network.sessions import CODE_EXAMPLE, format_code, normalise_code
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


def consent_text(disclosure: DisclosureRules | None = None) -> str:
    """What ticking the consent box agrees to: exactly what is shared, and with whom."""
    disclosure = disclosure or rules().disclosure
    return (
        "I agree to share this service's figures with the learning-network session whose code "
        "is above: its total annual cost, the number of people supported, and how many gained "
        "a new job, kept (retained) a job or became self-employed, with the measures worked out "
        "from them (cost per person supported, cost per job outcome, job outcome rate and the "
        "outcome split). The session's facilitator will see them, shown under the organisation "
        "name given above or, if we choose Anonymous, as 'Service A', 'Service B'... with no "
        "name. The other members of that session will see them as part of the group's pooled "
        "figures (shown only once at least "
        f"{disclosure.min_services_for_pooled} services have shared) and as our point on the "
        "group's band chart. Counts under "
        f"{disclosure.min_count_shown} are not shown, nor any figure they could be worked out "
        "from. Nothing else we typed is shared, and we can withdraw the figures at any time "
        "with our private link."
    )


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
    """The "Share with a learning-network session" part of the self-benchmark app.

    ``app`` gives ``store``, ``token``, ``state``, ``current`` (the raw figures of the
    service being edited) and ``save()``.
    """

    def __init__(self, app: Any):
        self.app = app
        self.busy = False
        self._build()
        self.restore(None)

    def restore(self, saved: dict[str, Any] | None) -> None:
        """Show what the app's saved state says was shared (nothing, for a new form)."""
        shared = clean_shared((saved or {}).get("shared"))
        if shared:
            self.app.state["shared"] = shared
        else:
            self.app.state.pop("shared", None)
        self._clear_messages()
        self._show_shared()

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
            description=consent_text(), value=False, indent=False, layout=w.Layout(width="100%")
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
        self.withdraw_button.disabled = shared is None
        if shared:
            self.code.value = shared["code"]
            self.appear.value = ANONYMOUS if shared["anonymous"] else NAMED
            if shared["name"] and not self.org_name.value:
                self.org_name.value = shared["name"]
        self._show_name_field()

    @property
    def shared(self) -> dict[str, Any] | None:
        return self.app.state.get("shared")

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
        raw = self.app.current
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
        from toolkit.network.store import ConsentRequired, InvalidInput, StoreError, UnknownSession

        store = self.app.store
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
        self.app.save()  # makes the private resume token if there is none yet
        try:
            submission_id = store.submit(
                code,
                outgoing,
                display_name=None if anonymous else name,
                anonymous=anonymous,
                consent=True,
                resume_token=self.app.token,
            )
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
        self.app.state["shared"] = {
            "code": format_code(code),
            "submission_id": submission_id,
            "anonymous": anonymous,
            "name": None if anonymous else name,
        }
        self.app.save()
        self._show_shared()
        self.share_message.value = (
            f'<p role="status"><strong>{"Updated" if updated else "Shared"} with session '
            f"{views.esc(format_code(code))}.</strong> The facilitator can now see these "
            "figures.</p>"
        )
        return True

    def withdraw(self) -> bool:
        """Take the shared figures out of the session. True if they are no longer there."""
        self._clear_messages()
        shared = self.shared
        if shared is None or self.app.store is None or not self.app.token:
            self.withdraw_message.value = views.error_html(
                "There is nothing to withdraw: these figures have not been shared from this page."
            )
            return False
        self.withdraw_button.disabled = True
        try:
            removed = self.app.store.withdraw(
                shared["code"], shared["submission_id"], self.app.token
            )
        except Exception:  # the page shows plain words, never a traceback
            _log_problem()
            self.withdraw_button.disabled = False
            self.withdraw_message.value = views.error_html(
                "Your figures could not be withdrawn just now (the store did not answer). "
                "They are still in the session: please try again in a moment."
            )
            return False
        self.app.state.pop("shared", None)
        self.app.save()
        self._show_shared()
        self.withdraw_message.value = (
            f'<p role="status"><strong>Withdrawn from session {views.esc(shared["code"])}.'
            "</strong> Your figures no longer appear in the session, its pooled figures or "
            "its pack.</p>"
            if removed
            else f'<p role="status"><strong>Already withdrawn:</strong> your figures were no '
            f"longer in session {views.esc(shared['code'])}.</p>"
        )
        return True
