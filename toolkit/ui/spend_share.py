"""The spend map app's learning-network parts: share the map's totals, and the facilitator's
view of the network's pooled mix against the national one.

Widgets and glue only: what is shared is
:func:`toolkit.worksheets.spend_map.network.shared_payload`, the store calls are in
:mod:`toolkit.network.spend_sharing`, the pool and its disclosure control in
:func:`toolkit.worksheets.spend_map.network.network_mix`, and the consent words in
:func:`toolkit.network.audiences.spend_consent_text`.

The facilitator's view lives in the spend map app (not the learning-network dashboard) so
that one page holds the whole spend map story, and because the dashboard module is being
reworked; :class:`NetworkMixPanel` is self-contained and can be placed there too.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import ipywidgets as w

from toolkit.charts import jobs as chart_jobs
from toolkit.charts.data import RenderedChart
from toolkit.charts.spend import mix_charts
from toolkit.network.audiences import spend_consent_text
from toolkit.network.codes import CODE_EXAMPLE, format_code, normalise_code
from toolkit.network.spend_sharing import (
    SpendConsentRequired,
    is_shared,
    share_spend,
    spend_mix,
    withdraw_spend,
)
from toolkit.network.store import InvalidInput, SessionClosed, StoreError, UnknownSession, WrongKey
from toolkit.present import formatting as fmt
from toolkit.ui import views
from toolkit.ui.share import CSS as CONSENT_CSS
from toolkit.worksheets.spend_map.network import (
    BREAKDOWN_TITLES,
    BREAKDOWNS,
    mix_sentences,
    part_label,
)

LABEL_STYLE = {"description_width": "14em"}
FIELD_LAYOUT = w.Layout(width="32em", max_width="100%")


def _log_problem() -> None:
    """Write the traceback to the server's own stderr, never into the page."""
    traceback.print_exc(file=sys.__stderr__)


@dataclass(frozen=True)
class SpendShareHost:
    """All the share panel may use of its app."""

    #: The store (None: sharing is not available).
    store: Any
    #: What would be shared now: the map's totals, or None when the map has no spend yet.
    payload: Callable[[], dict[str, Any] | None]
    #: Save the app's entries if need be and return its private token.
    token: Callable[[], str | None]
    #: Entries that could not be read (sharing waits until there are none).
    problems: Callable[[], list[str]] = lambda: []


class SpendSharePanel:
    """"Share the map's totals with a learning-network session"."""

    def __init__(self, host: SpendShareHost):
        self.host = host
        self.shared_code: str | None = None
        self.code = w.Text(description="Session code to share with",
                           placeholder=f"e.g. {CODE_EXAMPLE}", style=LABEL_STYLE,
                           layout=FIELD_LAYOUT)
        self.consent = w.Checkbox(description=spend_consent_text(), value=False, indent=False,
                                  layout=w.Layout(width="100%"))
        self.consent.add_class("toolkit-consent")
        self.share_button = w.Button(description="Share the map's totals", icon="share",
                                     button_style="primary", layout=w.Layout(width="auto"))
        self.withdraw_button = w.Button(description="Withdraw our totals", icon="undo",
                                        layout=w.Layout(width="auto"))
        self.share_button.on_click(lambda _: self.share())
        self.withdraw_button.on_click(lambda _: self.withdraw())
        self.message = w.HTML()
        self.widget = w.VBox([
            w.HTML(CONSENT_CSS + "<h3>Share the map's totals with a learning-network session"
                   "</h3><p>If a facilitator has given you a session code, you can add this "
                   "map's totals to the network's pooled mix of spend. Only the totals named "
                   "in the box below are sent, never your provision lines. Nothing is shared "
                   "until you tick the box and press the button.</p>"),
            self.code, self.consent, w.HBox([self.share_button, self.withdraw_button]),
            self.message,
        ])

    def _code(self) -> str | None:
        code = normalise_code(self.code.value)
        if code is None:
            self.message.value = views.error_html(
                f"Session code: enter the code your facilitator gave you (codes look like "
                f"{CODE_EXAMPLE}).")
        return code

    def share(self) -> bool:
        """Share the map's totals with the typed session. True if they were shared."""
        if not self.consent.value:
            self.message.value = views.error_html(
                "Tick the box to agree before sharing: nothing is shared without your consent.")
            return False
        code = self._code()
        if code is None:
            return False
        if self.host.store is None:
            self.message.value = views.error_html(
                "Sharing is not available here: this copy of the app has no store.")
            return False
        if self.host.problems():
            self.message.value = views.error_html(
                "Not shared: some entries could not be read (see \u201cNot read yet, and "
                "why\u201d in section 3), so the totals would leave them out. Put them right "
                "first, then share.")
            return False
        payload = self.host.payload()
        if payload is None:
            self.message.value = views.error_html(
                "There is nothing to share yet: enter provision lines with their annual spend "
                "first.")
            return False
        self.share_button.disabled = True
        try:
            token = self.host.token()
            if not token:
                self.message.value = views.error_html(
                    "Not shared: the map could not be saved first. Please try again in a moment.")
                return False
            updated = is_shared(self.host.store, code, token)
            share_spend(self.host.store, code, payload, True, token)
        except (SessionClosed, UnknownSession, SpendConsentRequired, InvalidInput) as exc:
            self.message.value = views.error_html(f"Not shared: {exc}")
            return False
        except StoreError as exc:
            self.message.value = views.error_html(f"Not shared: {exc}. Please try again.")
            return False
        except Exception:  # the page shows plain words, never a traceback
            _log_problem()
            self.message.value = views.error_html(
                "Something went wrong while sharing, and the totals may not have been shared. "
                "Please try again in a moment.")
            return False
        finally:
            self.share_button.disabled = False
        self.shared_code = format_code(code)
        self.consent.value = False  # a later share must be agreed to again
        self.message.value = (
            f'<p role="status"><strong>{"Updated" if updated else "Shared"}: this map\'s '
            f"totals are in session {views.esc(self.shared_code)}.</strong> If you change the "
            "map, share again to replace them (tick the box again first). To take them back, "
            "press \u201cWithdraw our totals\u201d, now or later from this page's private "
            "link.</p>")
        return True

    def withdraw(self) -> bool:
        """Take this map's totals out of the typed session. True if the store answered."""
        code = self._code()
        if code is None or self.host.store is None:
            return False
        try:
            token = self.host.token()
            removed = bool(token) and withdraw_spend(self.host.store, code, token or "")
        except Exception:  # the page shows plain words, never a traceback
            _log_problem()
            self.message.value = views.error_html(
                "The totals could not be withdrawn just now: they are still in the session. "
                "Please try again in a moment.")
            return False
        shown = views.esc(format_code(code))
        if removed:
            self.shared_code = None
        self.message.value = (
            f'<p role="status"><strong>Withdrawn from session {shown}.</strong> This map no '
            "longer counts towards the network's mix.</p>" if removed else
            f'<p role="status"><strong>Nothing to withdraw:</strong> no totals shared from '
            f"this page's private link are in session {shown}.</p>")
        return True


# --------------------------------------------------------------------------- the facilitator


def _share(value: float | None) -> str:
    return fmt.percent(value) if value is not None else "not shown"


def breakdown_table_html(name: str, breakdown: dict[str, Any], national: dict[str, float]) -> str:
    """One breakdown of the pooled mix as a table (amount, share, the study's share)."""
    shares = breakdown["shares"] or {}
    with_national = name == "by_support_type"
    rows = []
    for part, amount in breakdown["amounts"].items():
        nat = national.get(part) if with_national else None
        rows.append(
            f'<tr><th scope="row">{views.esc(part_label(name, part))}</th>'
            f'<td class="num">{views.esc(fmt.money(amount))}</td>'
            f'<td class="num">{views.esc(_share(shares.get(part)))}</td>'
            + (f'<td class="num">{views.esc(fmt.percent(nat) if nat is not None else "not given")}'
               "</td>" if with_national else "") + "</tr>")
    head = ('<th scope="col">Part</th><th scope="col" class="num">Pooled spend</th>'
            '<th scope="col" class="num">Share</th>'
            + ('<th scope="col" class="num">The study, national</th>' if with_national else ""))
    rows.append(f'<tr><th scope="row">Total</th><td class="num">'
                f"{views.esc(fmt.money(breakdown['total']))}</td><td class=\"num\">"
                f"{'100%' if breakdown['total'] else ''}</td>"
                + ("<td></td>" if with_national else "") + "</tr>")
    caption = f"The network's spend by {BREAKDOWN_TITLES[name].lower()}"
    return (f'<table class="toolkit-table"><caption>{views.esc(caption)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")


def mix_html(mix: dict[str, Any]) -> str:
    """The facilitator's view of the pooled mix: sentences, then one table per breakdown."""
    said = "".join(f"<li>{views.esc(s)}</li>" for s in mix_sentences(mix))
    if not mix["shown"]:
        return f'<div class="toolkit-network-mix"><ul>{said}</ul></div>'
    national = {item["label"]: item["share"] for item in mix["national_mix"]}
    tables = "".join(
        breakdown_table_html(name, mix["pooled"][name], national)
        for name in BREAKDOWNS if mix["pooled"][name]["amounts"])
    sources = sorted({item["source"] for item in mix["national_mix"]})
    return (f'<div class="toolkit-network-mix"><ul>{said}</ul>{tables}'
            f'<p class="toolkit-note">National figures: {views.esc("; ".join(sources))}. '
            "Other parts of the study's mix are not given in its report text, so they are "
            "shown as not given, never estimated.</p></div>")


class NetworkMixPanel:
    """The facilitator's view: the network's pooled mix of spend against the national one."""

    def __init__(self, store: Any):
        self.store = store
        self.rendered: list[RenderedChart] = []
        self.code = w.Text(description="Session code to view", placeholder=f"e.g. {CODE_EXAMPLE}",
                           style=LABEL_STYLE, layout=FIELD_LAYOUT)
        self.key = w.Password(description="Facilitator key", style=LABEL_STYLE,
                              layout=FIELD_LAYOUT)
        self.show_button = w.Button(description="Show the network's mix", icon="eye",
                                    layout=w.Layout(width="auto"))
        self.show_button.on_click(lambda _: self.show())
        self.chart = w.HTML()
        self.result = w.HTML()
        self.widget = w.VBox([
            w.HTML("<h3>For facilitators: the network's mix of spend</h3><p>Type the session's "
                   "code and your facilitator key to see the pooled mix of the maps shared with "
                   "the session, against the study's national figures. No single area's map is "
                   "shown, so this view can be projected.</p>"),
            self.code, self.key, self.show_button, self.chart, self.result,
        ])

    def show(self) -> dict[str, Any] | None:
        """Fetch and show the pooled mix; returns it (None when it could not be fetched)."""
        self.chart.value = ""
        code = normalise_code(self.code.value)
        if code is None or not self.key.value.strip():
            self.result.value = views.error_html(
                f"Session code and facilitator key: enter both (codes look like {CODE_EXAMPLE}).")
            return None
        if self.store is None:
            self.result.value = views.error_html("This copy of the app has no store.")
            return None
        try:
            mix = spend_mix(self.store, code, self.key.value.strip())
        except WrongKey as exc:
            self.result.value = views.error_html(str(exc))
            return None
        except Exception:  # the page shows plain words, never a traceback
            _log_problem()
            self.result.value = views.error_html(
                "The network's mix could not be fetched just now. Please try again in a moment.")
            return None
        self.result.value = mix_html(mix)
        shares = mix["pooled"]["by_support_type"]["shares"] if mix["shown"] else None
        self.rendered = []
        if shares:
            try:
                self.rendered = mix_charts(shares, f"The network ({mix['maps']} areas)",
                                           mix["price_base"]["label"])
            except chart_jobs.ChartsBusy:
                self.chart.value = ("<p>The chart could not be drawn just now (the server is "
                                    "busy); the table below holds its figures.</p>")
            if self.rendered:
                self.chart.value = "".join(views.chart_html(c) for c in self.rendered)
        return mix
