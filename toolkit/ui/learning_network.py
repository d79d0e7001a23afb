"""The facilitator's dashboard for a learning-network session (``learning_network.ipynb``).

The facilitator opens their session with its code and their private key (typed
into the form, or from the private link shown when the session was started),
and sees who has shared figures, the pooled figures, the spread within the group
and everyone's place against the study's bands. Every figure comes from
:meth:`toolkit.network.store.Store.session_summary`, which applies disclosure control;
nothing here re-derives a figure the summary hides.

The private link is ``learning_network.ipynb?code=CODE&key=KEY``. Voila hands
only the query string to the kernel; a key in the URL fragment would never reach
it without JavaScript in the page, which the toolkit's pages do not run. So the
key travels in the query string, to this server only: the page makes no request
elsewhere (so no Referer carries it), the server's log redacts query values
(``toolkit.serving.redact`` in ``voila.json``; Jupyter Server also scrubs parameters
named ``key`` and ``code``), the key is shown just once (when the session starts)
and never on the dashboard, and the dashboard warns that the key is in the
address bar when opened from the link.

The private view also holds the session's controls: close it to new figures or reopen
it, cap how many services may share, delete it (the first click only asks, naming the
session and what goes), and the names the people sharing typed themselves. They call
:mod:`toolkit.network.facilitator`, as the command line does, and show the sentence it
returns for each outcome.

While a dashboard is open it checks for new figures every ``REFRESH_SECONDS``
seconds: an asyncio task on the kernel's event loop reads the summary in a worker
thread and redraws only when something changed. The task is cancelled when the
dashboard is closed, when another session is opened, and when the kernel ends;
any error is shown as a plain sentence and the next check goes ahead.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import datetime as dt
import sys
import traceback
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.parse import parse_qs, urlencode

import ipywidgets as w
from markupsafe import Markup

from toolkit.charts import specs as charts
from toolkit.domain.bands import BAND_SET_LABELS, BANDED_MEASURES, MEASURE_LABELS, BandSet
from toolkit.domain.common_prices import CommonPrices
from toolkit.domain.compare import compare_measures
from toolkit.domain.prices import PriceBase
from toolkit.network import facilitator
from toolkit.network.audiences import (
    HIDDEN,
    NOT_FOR_PROJECTING,
    POINT_FIGURES,
    ProjectorView,
    chart_measures,
    projector_view,
)
from toolkit.network.codes import CODE_EXAMPLE
from toolkit.network.facilitator import CAP_LABEL
from toolkit.network.pack import NOT_DEFINED, NOT_SHOWN, session_pack_bytes
from toolkit.network.summary import BOTH_BANDS, SessionSummary, SpreadRow, median_sentence
from toolkit.present import formatting as fmt
from toolkit.present import html
from toolkit.ui import views

APP = "learning_network"
PAGE = "learning_network.ipynb"
REFRESH_SECONDS = 10.0
FORMATS: dict[str, Callable[[float], str]] = {
    "money": fmt.money,
    "count": fmt.count,
    "percent": fmt.percent,
}
CODE_PARAMETER, KEY_PARAMETER = "code", "key"
LABEL_STYLE = {"description_width": "12em"}
FIELD_LAYOUT = w.Layout(width="34em")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_MAX_PARAMETER = 256

#: Figures in the services table: (heading, key in the summary's measures, kind).
SERVICE_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("Total annual cost", "total_cost", "money"),
    ("People supported", "people_supported", "count"),
    ("Job outcomes", "job_outcomes", "count"),
    ("Cost per person supported", "cost_per_person", "money"),
    ("Cost per job outcome", "cost_per_job_outcome", "money"),
    ("Job outcome rate", "job_outcome_rate", "percent"),
)
POOLED_ROWS = SERVICE_COLUMNS + (
    ("Gained a new job", "new_jobs", "count"),
    ("Retained a job", "jobs_retained", "count"),
    ("Became self-employed", "self_employed", "count"),
)

#: The dashboard's own styles (toolkit/present/static/network.css) as a <style> element.
CSS = html.style_sheet("network")


def _log_problem() -> None:
    """Write the traceback to the server's own stderr, never into the page."""
    traceback.print_exc(file=sys.__stderr__)


# --------------------------------------------------------------------------- the private link


def private_link(code: str, key: str) -> str:
    """The dashboard's private link (relative to the page), carrying the code and key."""
    return f"{PAGE}?{urlencode({CODE_PARAMETER: code, KEY_PARAMETER: key})}"


def link_params(query: str | None) -> tuple[str | None, str | None]:
    """The session code and facilitator key in a page's query string (None where absent)."""
    values = parse_qs(query or "")

    def first(name: str) -> str | None:
        found = values.get(name)
        value = found[0] if found else None
        return value[:_MAX_PARAMETER] if value else None

    return first(CODE_PARAMETER), first(KEY_PARAMETER)


def link_from_request() -> tuple[str | None, str | None]:
    """The code and key of the current page request, if it came from the private link."""
    from toolkit.ui.request import query_string

    return link_params(query_string())


# --------------------------------------------------------------------------- HTML (pure)


def figure_text(
    measures: Mapping[str, Any], reasons: Mapping[str, str], path: str, kind: str
) -> str:
    """One figure as people read it, or "not shown" / "not defined"."""
    value = measures.get(path)
    if value is None:
        return NOT_SHOWN if path in reasons else NOT_DEFINED
    return FORMATS[kind](value)


def _when(moment: dt.datetime) -> str:
    moment = moment.astimezone(dt.UTC)
    return f"{moment:%H:%M} UTC, {moment.day} {moment:%b %Y}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def status_html(text: str, role: str = "status") -> str:
    """A sentence the page announces: a status, or an alert (``role="alert"``)."""
    return html.message_html(text, role=role)


def paragraph_html(text: str) -> str:
    return html.message_html(text, role=None)


def heading_html(summary: SessionSummary | ProjectorView) -> str:
    """The session's title, date and code (the code is for commissioners, so it is shown)."""
    if isinstance(summary, SessionSummary):
        title, date, code, closed = (
            summary.session.title,
            summary.session.date,
            summary.session.code,
            summary.session.closed,
        )
    else:
        title, date, code, closed = summary.title, summary.date, summary.code, summary.closed
    return html.fragment("network_heading", title=title, date=date, code=code, closed=closed)


def services_html(summary: SessionSummary) -> str:
    """Who has shared figures, as each chose to appear, with their (disclosure-controlled) figures."""
    count = summary.services
    said = (
        "No services have shared figures yet."
        if count == 0
        else f"{_plural(count, 'service')} {'has' if count == 1 else 'have'} shared figures."
    )
    rows = [
        {
            "label": entry.shown_as,
            "how": "name as typed by the submitter (not checked)"
            if entry.name_self_declared
            else "anonymous",
            "when": _when(entry.submitted_at),
            "cells": [
                figure_text(entry.measures, entry.suppressed, path, kind)
                for _, path, kind in SERVICE_COLUMNS
            ],
        }
        for entry in summary.submissions
    ]
    heads = [heading for heading, _, _ in SERVICE_COLUMNS]
    return html.fragment("network_services", said=said, rows=rows, heads=heads)


def pooled_html(
    pooled: Mapping[str, Any] | None, reasons: Mapping[str, str], note: str, not_judged: str
) -> str:
    """The group's figures pooled from the services' rounded totals, or why they are not shown."""
    if pooled is None:
        return html.fragment("network_not_yet", note=note)
    return html.fragment(
        "network_pooled",
        rows=[
            (label, figure_text(pooled, reasons, path, kind)) for label, path, kind in POOLED_ROWS
        ],
        notes=[reason for path, reason in reasons.items() if "." not in path],
        note=note,
        not_judged=not_judged,
    )


def spread_html(rows: Sequence[SpreadRow] | None, note: str) -> str:
    """Lowest, median and highest of the members' own figures, with the median against the bands."""
    if rows is None:
        return html.fragment("network_not_yet", note=note)

    def shown(row: SpreadRow, value: float | None) -> str:
        return FORMATS[row.kind](value) if value is not None else NOT_SHOWN

    return html.fragment(
        "network_spread",
        rows=[
            {
                "label": row.label,
                "figures": [shown(row, v) for v in (row.low, row.median, row.high)],
                "note": row.note,
            }
            for row in rows
        ],
        with_notes=any(row.note for row in rows),
        medians=[
            median_sentence(row)
            for row in rows
            if row.median is not None and row.key in BANDED_MEASURES
        ],
    )


def _point_cell(point: Any, key: str) -> tuple[str, bool]:
    """One member's figure with where it sits, as (text, is a number)."""
    value = point.values.get(key)
    if value is None:
        return NOT_SHOWN, False
    where = point.positions.get(key, {}).get(str(BOTH_BANDS[0]), "")
    band = BAND_SET_LABELS[BOTH_BANDS[0]]
    return f"{fmt.measure_value(key, value)} ({where} the band for {band})", True


def points_html(view: ProjectorView) -> str:
    """Each member's point against the bands, in words (rates only; sorted, never by arrival)."""
    return html.fragment(
        "network_points",
        heads=[MEASURE_LABELS[key] for key in POINT_FIGURES],
        rows=[
            (point.label, [_point_cell(point, key) for key in POINT_FIGURES])
            for point in view.points
        ],
    )


def projector_sections(summary: SessionSummary) -> dict[str, str]:
    """The projector view's sections: only what members agreed the room may see."""
    view = projector_view(summary)
    return {
        "projector_heading": heading_html(view),
        "projector_pooled": pooled_html(
            view.pooled, view.pooled_hidden, view.pooled_note, view.group_not_judged
        ),
        "projector_points": points_html(view),
        "projector_spread": spread_html(view.spread, view.spread_note),
    }


def not_shown_html(summary: SessionSummary) -> str:
    return html.fragment("network_not_shown", reasons=list(summary.suppressed))


# --------------------------------------------------------------------------- charts


def service_entries(summary: SessionSummary) -> list[charts.Entry]:
    """Each service as the band chart draws it, labelled as it chose to appear."""
    return [
        charts.Entry(entry.shown_as, chart_measures(entry.measures, entry.suppressed))
        for entry in summary.submissions
    ]


def positions_summary(
    entries: Sequence[charts.Entry],
    band_sets: Sequence[BandSet],
    price_base: PriceBase | None = None,
) -> str:
    """The band chart in words, saying "not shown" for figures hidden by disclosure control."""
    sentences = []
    for entry in entries:
        parts = []
        comparisons = {
            band_set: {
                c.measure: c
                for c in compare_measures(entry.measures, band_set, price_base=price_base)
            }
            for band_set in band_sets
        }
        for measure in BANDED_MEASURES:
            value = getattr(entry.measures, measure)
            label = MEASURE_LABELS[measure].lower()
            if value is HIDDEN:
                parts.append(f"{label} not shown")
                continue
            first = comparisons[band_sets[0]][measure]
            if first.position is None:
                parts.append(f"{label} not defined")
                continue
            positions = [(b, comparisons[b][measure].position) for b in band_sets]
            where = ", ".join(
                f"{position.value} the band for {BAND_SET_LABELS[b]}"
                for b, position in positions
                if position is not None
            )
            parts.append(f"{label} {fmt.measure_value(measure, value)} ({where})")
        sentences.append(f"{entry.label}: " + "; ".join(parts) + ".")
    return " ".join(sentences)


def render_band_chart(
    key: str, title: str, entries: Sequence[charts.Entry], prices: CommonPrices | None = None
) -> charts.RenderedChart:
    """The band chart with the bands in the members' price base (the summary's ``prices``)."""
    svg = charts.chart_svg(charts.band_chart(entries, BOTH_BANDS, prices))
    base = prices.price_base if prices is not None else None
    summary = positions_summary(entries, BOTH_BANDS, base)
    if prices is not None:
        summary = f"{prices.describe()} {summary}"
    return charts.RenderedChart(key, title, svg, summary)


# --------------------------------------------------------------------------- auto-refresh


def _kernel_loop() -> asyncio.AbstractEventLoop | None:
    from toolkit.ui.self_benchmark import kernel_loop

    return kernel_loop()


class AutoRefresh:
    """Every ``interval`` seconds, ``fetch()`` in a worker thread, then ``apply(result)``.

    Runs as an asyncio task on the kernel's event loop (``apply`` runs there too, so it
    may touch widgets). Any error from either goes to ``on_error`` and the next round
    goes ahead; nothing is raised into the page. Outside a Jupyter kernel (plain Python,
    tests, where another library's loop may be running that nobody drives for us)
    :meth:`start` does nothing and returns False; ``find_loop`` overrides that.
    """

    def __init__(
        self,
        interval: float,
        fetch: Callable[[], Any],
        apply: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
        find_loop: Callable[[], asyncio.AbstractEventLoop | None] | None = None,
    ):
        self.interval = interval
        self.find_loop = find_loop or _kernel_loop
        self.fetch = fetch
        self.apply = apply
        self.on_error = on_error
        self._task: asyncio.Task | None = None
        self._exit_hook = False

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self) -> bool:
        self.stop()
        loop = self.find_loop()
        if loop is None:
            return False
        if not self._exit_hook:
            atexit.register(self.stop)  # the kernel is ending: cancel, do not leave it pending
            self._exit_hook = True
        self._task = loop.create_task(self._run())
        return True

    def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None and not task.done():
            with contextlib.suppress(RuntimeError):  # its loop has already closed
                task.cancel()

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(self.interval)
            try:
                result = await loop.run_in_executor(None, self.fetch)
                self.apply(result)
            except Exception as exc:  # report it and try again next round
                try:
                    self.on_error(exc)
                except Exception:  # even the report failed: keep going
                    _log_problem()


# --------------------------------------------------------------------------- the app


class LearningNetworkApp:
    """The facilitator's dashboard: start a session, or open one with its code and key."""

    def __init__(
        self,
        store: Any,
        code: str | None = None,
        key: str | None = None,
        refresh_seconds: float = REFRESH_SECONDS,
    ):
        self.store = store
        self.code: str | None = None
        self._key: str | None = None
        self._created: Any = None
        self._rendered_for: str | None = None
        self.summary: SessionSummary | None = None
        self.from_link = False
        self.refresher = AutoRefresh(
            refresh_seconds, self._fetch, self._apply, self._refresh_failed
        )
        self._build()
        if code or key:
            self.from_link = True
            if not self.open(code or "", key or ""):
                self.from_link = False
                self.notice.value = (
                    "<p><strong>That private link did not open a session.</strong> Check the "
                    "link, or type the session code and your facilitator key below.</p>"
                )

    def __repr__(self) -> str:  # never print the key by accident
        return f"LearningNetworkApp(code={self.code!r})"

    # ---------- view ----------
    def _build(self) -> None:
        self.code_box = w.Text(
            description="Session code",
            placeholder=f"e.g. {CODE_EXAMPLE}",
            style=LABEL_STYLE,
            layout=FIELD_LAYOUT,
        )
        self.key_box = w.Password(
            description="Facilitator key",
            placeholder="the private key you were given",
            style=LABEL_STYLE,
            layout=FIELD_LAYOUT,
        )
        self.open_button = w.Button(
            description="Open the dashboard", button_style="primary", layout=w.Layout(width="auto")
        )
        self.open_button.on_click(lambda _: self.open(self.code_box.value, self.key_box.value))
        self.open_error = w.HTML()
        self.notice = w.HTML()

        self.title_box = w.Text(
            description="Title",
            placeholder="e.g. North East network, March",
            style=LABEL_STYLE,
            layout=FIELD_LAYOUT,
        )
        self.date_box = w.DatePicker(description="Date", style=LABEL_STYLE)
        self.create_button = w.Button(
            description="Start a new session", layout=w.Layout(width="auto")
        )
        self.create_button.on_click(lambda _: self.create_session())
        self.create_error = w.HTML()
        self.created = w.HTML()
        self.open_created_button = w.Button(
            description="Open this session's dashboard", layout=w.Layout(width="auto")
        )
        self.open_created_button.on_click(lambda _: self.open_created())
        self.open_created_button.layout.display = "none"

        self.forms = w.VBox(
            [
                w.HTML("<h2>Open your session</h2>"),
                self.notice,
                self.code_box,
                self.key_box,
                w.HBox([self.open_button]),
                self.open_error,
                w.HTML(
                    "<h2>Start a new session</h2><p>Give the session a title (and, if you like, "
                    "its date). You will get a code to give to commissioners and a private "
                    "facilitator key for you alone. Do this on your own screen, not while "
                    "projecting: the key is shown once.</p>"
                ),
                self.title_box,
                self.date_box,
                w.HBox([self.create_button]),
                self.create_error,
                self.created,
                w.HBox([self.open_created_button]),
            ]
        )

        self.refresh_button = w.Button(description="Refresh now", layout=w.Layout(width="auto"))
        self.refresh_button.on_click(lambda _: self.refresh())
        self.projecting = w.ToggleButton(
            description="Projector view",
            value=False,
            tooltip="Large type, and only what members agreed the room may see",
            layout=w.Layout(width="auto"),
        )
        self.projecting.observe(self._on_projecting, names="value")
        self._build_controls()
        self.close_button = w.Button(
            description="Close the dashboard", layout=w.Layout(width="auto")
        )
        self.close_button.on_click(lambda _: self.close())
        self.updated = w.HTML()
        self.heading = w.HTML()
        self.link_notice = w.HTML()
        self.services = w.HTML()
        self.pooled = w.HTML()
        self.spread = w.HTML()
        self.services_chart = w.HTML()
        self.not_shown = w.HTML()
        self.downloads = w.HTML()
        self.projector_heading = w.HTML()
        self.projector_pooled = w.HTML()
        self.projector_points = w.HTML()
        self.projector_spread = w.HTML()
        self.private_view = w.VBox(
            [
                w.HTML(
                    html.message_html(
                        "", role=None, lead=NOT_FOR_PROJECTING, css_class="toolkit-warning"
                    )
                ),
                self.link_notice,
                self.heading,
                self.controls,
                w.HTML("<h2>Who has shared figures</h2>"),
                self.services,
                w.HTML("<h2>The group's figure</h2>"),
                self.pooled,
                w.HTML("<h2>Spread within the group, against the bands</h2>"),
                self.spread,
                w.HTML("<h2>Each service against the study's bands</h2>"),
                self.services_chart,
                w.HTML("<h2>Not shown, and why</h2>"),
                self.not_shown,
                w.HTML("<h2>Download the session pack</h2>"),
                self.downloads,
            ]
        )
        self.projector = w.VBox(
            [
                self.projector_heading,
                w.HTML("<h2>The group's figure</h2>"),
                self.projector_pooled,
                w.HTML("<h2>The members against the study's bands</h2>"),
                self.projector_spread,
                self.projector_points,
            ]
        )
        self.projector.layout.display = "none"
        self.dashboard = w.VBox(
            [
                w.HBox([self.refresh_button, self.projecting, self.close_button]),
                self.updated,
                self.private_view,
                self.projector,
            ]
        )
        self.dashboard.layout.display = "none"
        header = w.HTML(
            views.CSS + CSS + "<h1>Learning-network session: facilitator's dashboard</h1>"
            "<p>Commissioners share their services' figures with your session from the "
            "self-benchmark app. Here you see who has shared, the group's pooled figures and "
            "where each service sits against the study's bands, with small numbers hidden.</p>"
        )
        self.widget = w.VBox([header, self.forms, self.dashboard], layout=w.Layout(padding="0 1em"))
        self.widget.add_class("toolkit-app")
        self.widget.add_class("toolkit-network")

    def _build_controls(self) -> None:
        """The facilitator's controls: close or reopen, cap, delete (asked first), names."""
        self.session_state = w.HTML()
        self.close_session_button = w.Button(
            description="Close the session to new figures", layout=w.Layout(width="auto")
        )
        self.close_session_button.on_click(lambda _: self.close_session())
        self.reopen_session_button = w.Button(
            description="Reopen the session", layout=w.Layout(width="auto")
        )
        self.reopen_session_button.on_click(lambda _: self.reopen_session())
        self.reopen_session_button.layout.display = "none"
        self.cap_box = w.Text(
            description=CAP_LABEL,
            placeholder="blank for no cap",
            style=LABEL_STYLE,
            layout=w.Layout(width="22em"),
        )
        self.cap_button = w.Button(description="Set the cap", layout=w.Layout(width="auto"))
        self.cap_button.on_click(lambda _: self.set_cap(self.cap_box.value))
        self.cap_error = w.HTML()
        self.delete_button = w.Button(
            description="Delete this session…", layout=w.Layout(width="auto")
        )
        self.delete_button.on_click(lambda _: self.ask_delete())
        self.delete_question = w.HTML()
        self.confirm_delete_button = w.Button(
            description="Yes, delete the session and its figures",
            button_style="danger",
            layout=w.Layout(width="auto"),
        )
        self.confirm_delete_button.on_click(lambda _: self.delete_session())
        self.cancel_delete_button = w.Button(
            description="No, keep the session", layout=w.Layout(width="auto")
        )
        self.cancel_delete_button.on_click(lambda _: self.cancel_delete())
        self.delete_confirmation = w.VBox(
            [
                self.delete_question,
                w.HBox([self.confirm_delete_button, self.cancel_delete_button]),
            ]
        )
        self.delete_confirmation.add_class("toolkit-warning")
        self.delete_confirmation.layout.display = "none"
        self.self_declared = w.HTML()
        self.session_message = w.HTML()
        self.controls = w.VBox(
            [
                w.HTML("<h2>Your session: taking figures, cap and deleting</h2>"),
                self.session_state,
                w.HBox([self.close_session_button, self.reopen_session_button]),
                w.HBox([self.cap_box, self.cap_button]),
                self.cap_error,
                self.self_declared,
                w.HBox([self.delete_button]),
                self.delete_confirmation,
                self.session_message,
            ]
        )

    def _on_projecting(self, change: dict[str, Any]) -> None:
        """Projector view: large type, and only the projector's sections on the page."""
        on = bool(change["new"])
        if on:
            self.widget.add_class("toolkit-large")
        else:
            self.widget.remove_class("toolkit-large")
        self.private_view.layout.display = "none" if on else None
        self.projector.layout.display = None if on else "none"

    # ---------- glue: the facilitator's controls ----------
    def _control(self, action: Callable[[Any, str, str], str], failed: str) -> bool:
        """Run one of :mod:`toolkit.network.facilitator`'s actions; say what happened."""
        from toolkit.network.store import StoreError  # the store (SQLAlchemy) loads on first use

        if self.code is None or self._key is None:
            return False
        self.cap_error.value = ""
        try:
            message = action(self.store, self.code, self._key)
        except StoreError as exc:
            self.session_message.value = views.error_html(f"{failed}: {exc}")
            return False
        except Exception:  # plain words on the page, never a traceback
            _log_problem()
            self.session_message.value = views.error_html(f"{failed}. Please try again.")
            return False
        self.session_message.value = status_html(message)
        self.refresh()
        return True

    def close_session(self) -> bool:
        """Close the open session: no new or changed figures from now on."""
        return self._control(facilitator.close_session, "The session was not closed")

    def reopen_session(self) -> bool:
        """Take figures again (any cap still applies)."""
        return self._control(facilitator.reopen_session, "The session was not reopened")

    def set_cap(self, text: str) -> bool:
        """Cap the number of services from what was typed (blank: no cap); the text is kept."""
        try:
            most = facilitator.parse_cap(text)
        except ValueError as exc:
            self.cap_error.value = views.error_html(str(exc))
            self.session_message.value = ""
            return False

        def cap(store: Any, code: str, key: str) -> str:
            return facilitator.set_size_cap(store, code, key, most)

        return self._control(cap, "The cap was not set")

    def ask_delete(self) -> bool:
        """Show the confirmation naming the session and what goes; nothing is deleted yet."""
        if self.code is None or self._key is None:
            return False
        try:
            controls = facilitator.read_controls(self.store, self.code, self._key)
        except Exception:  # plain words on the page, never a traceback
            _log_problem()
            self.session_message.value = views.error_html(
                "The session could not be read, so nothing was deleted. Please try again."
            )
            return False
        self.delete_question.value = status_html(facilitator.delete_warning(controls), "alert")
        self.delete_confirmation.layout.display = None
        self.delete_button.layout.display = "none"
        return True

    def cancel_delete(self) -> None:
        self.delete_question.value = ""
        self.delete_confirmation.layout.display = "none"
        self.delete_button.layout.display = None

    def delete_session(self) -> bool:
        """Delete the session (after :meth:`ask_delete`); back to the forms, saying so."""
        from toolkit.network.store import StoreError  # the store (SQLAlchemy) loads on first use

        if self.code is None or self._key is None or self.delete_question.value == "":
            return False
        try:
            message = facilitator.delete_session(self.store, self.code, self._key)
        except StoreError as exc:
            self.session_message.value = views.error_html(f"The session was not deleted: {exc}")
            return False
        except Exception:  # plain words on the page, never a traceback
            _log_problem()
            self.session_message.value = views.error_html(
                "The session was not deleted. Please try again."
            )
            return False
        self.close()
        self.notice.value = status_html(message)
        return True

    # ---------- glue: starting a session ----------
    def create_session(self) -> bool:
        """Start a session from the form; show its code and key once."""
        from toolkit.network.store import InvalidInput, StoreError

        self.create_error.value = ""
        self.created.value = ""
        self._created = None
        self.open_created_button.layout.display = "none"
        if self.store is None:
            self.create_error.value = views.error_html("There is no store to keep sessions in.")
            return False
        date = self.date_box.value
        if date is not None and not isinstance(date, dt.date):
            self.create_error.value = views.error_html("Date: choose a day from the calendar.")
            return False
        self.create_button.disabled = True
        try:
            created = self.store.create_session(self.title_box.value, date)
        except InvalidInput as exc:
            message = str(exc)
            self.create_error.value = views.error_html(
                message[:1].upper() + message[1:] if message.startswith("title") else message
            )
            return False
        except StoreError as exc:
            self.create_error.value = views.error_html(f"The session was not started: {exc}")
            return False
        except Exception:  # plain words on the page, never a traceback
            _log_problem()
            self.create_error.value = views.error_html(
                "Something went wrong and the session was not started. Please try again."
            )
            return False
        finally:
            self.create_button.disabled = False
        self._created = created
        self.created.value = created_html(created)
        self.open_created_button.layout.display = None
        return True

    def open_created(self) -> bool:
        created = self._created
        if created is None:
            return False
        return self.open(created.code, created.facilitator_key)

    # ---------- glue: opening and refreshing ----------
    def open(self, code: str, key: str) -> bool:
        """Open the session's dashboard. A wrong key and an unknown code get the same message."""
        from toolkit.network.store import StoreError, WrongKey

        self.open_error.value = ""
        self.notice.value = ""
        if not (code or "").strip() or not (key or "").strip():
            self.open_error.value = views.error_html(
                "Enter the session code and your facilitator key."
            )
            return False
        try:
            summary = self.store.session_summary(code.strip(), key.strip())
            cap = self.store.max_services(code.strip(), key.strip())
        except WrongKey as exc:
            self.open_error.value = views.error_html(str(exc))
            return False
        except StoreError as exc:
            self.open_error.value = views.error_html(f"The session could not be opened: {exc}")
            return False
        except Exception:  # plain words on the page, never a traceback
            _log_problem()
            self.open_error.value = views.error_html(
                "Something went wrong opening the session. Please try again."
            )
            return False
        from_link = self.from_link
        self.close()
        self.from_link = from_link
        self.code, self._key = summary.session.code, key.strip()
        self.key_box.value = ""
        self.code_box.value = ""
        self.created.value = ""
        self._created = None
        self.open_created_button.layout.display = "none"
        self.link_notice.value = (
            '<p class="toolkit-warning">Opened from your private link: the facilitator key is in '
            "this page's address. Before projecting, switch the browser to full screen (F11) so "
            "the address bar is hidden, or open the dashboard by typing the code and key into "
            "the form instead.</p>"
            if self.from_link
            else ""
        )
        self.forms.layout.display = "none"
        self.dashboard.layout.display = None
        self.cap_box.value = "" if cap is None else str(cap)
        self._apply(self._snapshot(summary, cap))
        self.refresher.start()
        return True

    def close(self) -> None:
        """Stop refreshing and forget the key; show the forms again."""
        self.refresher.stop()
        self.code, self._key, self.summary, self._rendered_for = None, None, None, None
        self.from_link = False
        self.dashboard.layout.display = "none"
        self.forms.layout.display = None
        for box in (
            self.updated,
            self.heading,
            self.link_notice,
            self.services,
            self.pooled,
            self.spread,
            self.services_chart,
            self.not_shown,
            self.downloads,
            self.session_message,
            self.session_state,
            self.self_declared,
            self.cap_box,
            self.cap_error,
            self.delete_question,
            self.projector_heading,
            self.projector_pooled,
            self.projector_points,
            self.projector_spread,
        ):
            box.value = ""
        self.projecting.value = False
        self.delete_confirmation.layout.display = "none"
        self.delete_button.layout.display = None

    def _fetch(self) -> dict[str, Any] | None:
        """Read the summary and, if it changed, build the page's sections (worker-thread safe)."""
        code, key = self.code, self._key
        if code is None or key is None:
            return None
        summary = self.store.session_summary(code, key)
        return self._snapshot(summary, self.store.max_services(code, key))

    def _snapshot(self, summary: SessionSummary, cap: int | None) -> dict[str, Any]:
        controls = facilitator.controls_of(summary, cap)
        fingerprint = summary.model_dump_json() + controls.model_dump_json()
        same = fingerprint == self._rendered_for
        return {
            "code": summary.session.code,
            "summary": summary,
            "controls": controls,
            "fingerprint": fingerprint,
            "sections": None
            if same
            else {**dashboard_sections(summary), **controls_sections(controls)},
        }

    def refresh(self) -> bool:
        """Read the summary now and redraw if anything changed. False (with a reason) on error."""
        try:
            self._apply(self._fetch())
        except Exception as exc:  # plain words on the page, never a traceback
            self._refresh_failed(exc)
            return False
        return True

    def _refresh_failed(self, exc: BaseException) -> None:
        from toolkit.network.store import StoreError

        if not isinstance(exc, StoreError):
            print(f"learning_network: refresh failed: {exc!r}", file=sys.__stderr__)
        self.updated.value = views.error_html(
            f"Could not check for new figures at {dt.datetime.now():%H:%M:%S}; the figures below "
            "may be out of date. Trying again shortly."
        )

    def _apply(self, snapshot: dict[str, Any] | None) -> None:
        """Put a snapshot on the page (in the kernel's loop); stale or closed ones are dropped."""
        if snapshot is None or snapshot["code"] != self.code:
            return
        self.updated.value = html.message_html(
            f"Last checked for new figures at {dt.datetime.now():%H:%M:%S}; checks again every "
            f"{self.refresher.interval:g} seconds (or press Refresh now).",
            role=None,
            css_class="toolkit-note",
        )
        sections = snapshot["sections"]
        if sections is None or snapshot["fingerprint"] == self._rendered_for:
            return
        self.summary = snapshot["summary"]
        for name, markup in sections.items():
            getattr(self, name).value = markup
        closed = snapshot["controls"].closed
        self.close_session_button.layout.display = "none" if closed else None
        self.reopen_session_button.layout.display = None if closed else "none"
        self._rendered_for = snapshot["fingerprint"]


def charts_html(summary: SessionSummary) -> str:
    """The band chart of each service (facilitator's view), or why it is empty."""
    entries = service_entries(summary)
    if not entries:
        return "<p>Each service appears here once it shares figures.</p>"
    chart = render_band_chart(
        "services", "Each service against the study's bands", entries, summary.prices
    )
    return views.chart_html(chart)


def dashboard_sections(summary: SessionSummary) -> dict[str, str]:
    """Every section of both views as HTML, keyed by the widget that shows it."""
    return {
        "heading": heading_html(summary),
        "services": services_html(summary),
        "pooled": pooled_html(
            summary.pooled, summary.pooled_suppressed, summary.pooled_note, summary.group_not_judged
        ),
        "spread": spread_html(summary.spread, summary.spread_note),
        "services_chart": charts_html(summary),
        "not_shown": not_shown_html(summary),
        "downloads": downloads_html(summary),
        **projector_sections(summary),
    }


def controls_sections(controls: facilitator.SessionControls) -> dict[str, str]:
    """The controls' sentences (facilitator's view only), keyed by the widget that shows them."""
    return {
        "session_state": status_html(facilitator.state_sentence(controls)),
        "self_declared": paragraph_html(facilitator.self_declared_sentence(controls)),
    }


def created_html(created: Any) -> str:
    """A new session's code, its key (shown once) and the private link."""
    return html.fragment(
        "network_created",
        title=created.title,
        date=created.date.isoformat() if created.date else None,
        code=created.code,
        key=created.facilitator_key,
        link=private_link(created.code, created.facilitator_key),
    )


def downloads_html(summary: SessionSummary) -> str:
    """The session pack as Excel and CSV links (data URIs: Voila serves no files)."""
    code = summary.session.code
    links = [
        Markup(
            views.download_link(
                label, f"session-pack-{code}.{kind}", mime, session_pack_bytes(summary, kind)
            )
        )
        for label, kind, mime in (
            ("Session pack (Excel)", "xlsx", XLSX),
            ("Session pack (CSV)", "csv", "text/csv"),
        )
    ]
    return html.fragment("network_downloads", not_shown=NOT_SHOWN, links=links)


def build_app(
    store: Any | None = None, code: str | None = None, key: str | None = None
) -> LearningNetworkApp:
    """The dashboard for a page request (store defaults to the toolkit's store)."""
    if store is None:
        from toolkit.network.store import default_store

        store = default_store()
    return LearningNetworkApp(store=store, code=code, key=key)
