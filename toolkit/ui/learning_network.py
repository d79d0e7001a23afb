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
import json
import statistics
import sys
import traceback
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import parse_qs, urlencode

import ipywidgets as w

from toolkit.charts import specs as charts
from toolkit.content.rules import DisclosureRules, rules
from toolkit.domain.bands import BAND_SET_LABELS, BANDED_MEASURES, MEASURE_LABELS, BandSet
from toolkit.domain.compare import compare_measures
from toolkit.domain.measures import NotDefined, ServiceMeasures
from toolkit.domain.results import ComparisonResult
from toolkit.network.sessions import CODE_EXAMPLE, NOT_DEFINED, NOT_SHOWN, session_pack_bytes
from toolkit.present import formatting as fmt
from toolkit.ui import views

APP = "learning_network"
PAGE = "learning_network.ipynb"
REFRESH_SECONDS = 10.0
BOTH_BANDS = (BandSet.evidence_based, BandSet.all_sites)
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

CSS = """
<style>
.toolkit-network .toolkit-code { font-family: "DejaVu Sans Mono", monospace; font-size: 1.5em;
  font-weight: 700; letter-spacing: 0.08em; }
.toolkit-network .toolkit-key { font-family: "DejaVu Sans Mono", monospace; word-break: break-all;
  background: #f3f3f3; padding: 2px 4px; }
.toolkit-network .toolkit-warning { border-left: 6px solid #a4161a; padding: 4px 10px;
  background: #fff4f4; }
.toolkit-app.toolkit-large { font-size: 26px; max-width: none; --jp-widgets-font-size: 22px;
  --jp-widgets-inline-height: 44px; }
.toolkit-app.toolkit-large .widget-label, .toolkit-app.toolkit-large button,
.toolkit-app.toolkit-large input { font-size: 22px !important; }
.toolkit-app.toolkit-large img.toolkit-chart { width: 100%; max-width: 1500px; }
.toolkit-app.toolkit-large figure.toolkit-figure figcaption { max-width: none; }
</style>
"""

_HIDDEN = NotDefined("it is not shown, to protect small numbers")
_NO_OUTCOMES = NotDefined(
    "there were no job outcomes, so the cost per job outcome cannot be worked out"
)


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
        found = values.get(name) or [None]
        value = found[0]
        return value[:_MAX_PARAMETER] if value else None

    return first(CODE_PARAMETER), first(KEY_PARAMETER)


def link_from_request() -> tuple[str | None, str | None]:
    """The code and key of the current page request, if it came from the private link."""
    from toolkit.ui.request import query_string

    return link_params(query_string())


# --------------------------------------------------------------------------- HTML (pure)


def figure_text(measures: dict[str, Any], reasons: dict[str, str], path: str, kind: str) -> str:
    """One figure as people read it, or "not shown" / "not defined"."""
    value = measures.get(path)
    if value is None:
        return NOT_SHOWN if path in reasons else NOT_DEFINED
    return {"money": fmt.money, "count": fmt.count, "percent": fmt.percent}[kind](value)


def _when(iso: str) -> str:
    try:
        moment = dt.datetime.fromisoformat(iso).astimezone(dt.UTC)
    except (TypeError, ValueError):
        return ""
    return f"{moment:%H:%M} UTC, {moment.day} {moment:%b %Y}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def heading_html(summary: dict[str, Any]) -> str:
    """The session's title, date and code (the code is for commissioners, so it is shown)."""
    session = summary["session"]
    when = f" \u2013 {views.esc(session['date'])}" if session["date"] else ""
    return (
        f"<h2>{views.esc(session['title'])}{when}</h2>"
        "<p>Session code for commissioners to type into the self-benchmark app's "
        f'\u201cShare with a learning-network session\u201d: <span class="toolkit-code">'
        f"{views.esc(session['code'])}</span></p>"
    )


def services_html(summary: dict[str, Any]) -> str:
    """Who has shared figures, as each chose to appear, with their (disclosure-controlled) figures."""
    count = summary["services"]
    said = (
        "No services have shared figures yet."
        if count == 0
        else f"{_plural(count, 'service')} {'has' if count == 1 else 'have'} shared figures."
    )
    status = f'<p role="status"><strong>{said}</strong></p>'
    if not summary["submissions"]:
        return status
    heads = "".join(f'<th scope="col">{views.esc(h)}</th>' for h, _, _ in SERVICE_COLUMNS)
    rows = []
    for entry in summary["submissions"]:
        cells = "".join(
            f'<td class="num">{views.esc(figure_text(entry["measures"], entry["suppressed"], p, k))}</td>'
            for _, p, k in SERVICE_COLUMNS
        )
        rows.append(
            f'<tr><th scope="row">{views.esc(entry["shown_as"])}</th>'
            f"<td>{views.esc(_when(entry['submitted_at']))}</td>{cells}</tr>"
        )
    return (
        f"{status}<table><caption>Services that have shared figures, as each chose to appear "
        "(anonymous ones are lettered)</caption>"
        f'<tr><th scope="col">Service</th><th scope="col">First shared</th>{heads}</tr>'
        f"{''.join(rows)}</table>"
    )


def pooled_html(summary: dict[str, Any]) -> str:
    """The group's figures pooled from the services' totals, or why they are not shown."""
    pooled = summary["pooled"]
    if pooled is None:
        reason = next(
            (s for s in summary["suppressed"] if s.startswith("Pooled figures are not shown")),
            "Pooled figures are not shown.",
        )
        return f'<p class="toolkit-stale"><strong>Not shown yet.</strong> {views.esc(reason)}</p>'
    reasons = summary["pooled_suppressed"]
    body = "".join(
        f'<tr><th scope="row">{views.esc(label)}</th>'
        f'<td class="num">{views.esc(figure_text(pooled, reasons, path, kind))}</td></tr>'
        for label, path, kind in POOLED_ROWS
    )
    notes = "".join(
        f"<li>{views.esc(reason)}</li>" for path, reason in reasons.items() if "." not in path
    )
    return (
        "<table><caption>All services together, pooled from their totals (total cost over total "
        f"people or total job outcomes)</caption>{body}</table>"
        + (f"<ul>{notes}</ul>" if notes else "")
    )


def spread_rows(
    summary: dict[str, Any], disclosure: DisclosureRules | None = None
) -> list[dict[str, str]] | None:
    """Lowest, median and highest of each figure across the services; None below the threshold.

    A figure's spread is left out (with a note) when any service's value for it is hidden,
    or when too few services have a value for it.
    """
    disclosure = disclosure or rules().disclosure
    if summary["services"] < disclosure.min_services_for_pooled:
        return None
    formatters = {"money": fmt.money, "count": fmt.count, "percent": fmt.percent}
    rows = []
    for label, path, kind in SERVICE_COLUMNS:
        values, hidden, undefined = [], 0, 0
        for entry in summary["submissions"]:
            value = entry["measures"].get(path)
            if value is not None:
                values.append(value)
            elif path in entry["suppressed"]:
                hidden += 1
            else:
                undefined += 1
        row = {"label": label, "low": NOT_SHOWN, "median": NOT_SHOWN, "high": NOT_SHOWN}
        if hidden:
            row["note"] = (
                f"Not shown: hidden for {_plural(hidden, 'service')} to protect small numbers, "
                "so a spread would be incomplete."
            )
        elif len(values) < disclosure.min_services_for_pooled:
            row["note"] = (
                f"Not shown: only {_plural(len(values), 'service')} "
                f"{'has' if len(values) == 1 else 'have'} a value (it needs "
                f"{disclosure.min_services_for_pooled})."
            )
        else:
            show = formatters[kind]
            row.update(
                low=show(min(values)),
                median=show(statistics.median(values)),
                high=show(max(values)),
                note=(
                    f"{_plural(undefined, 'service')} with no job outcomes left out."
                    if undefined
                    else ""
                ),
            )
        rows.append(row)
    return rows


def spread_html(summary: dict[str, Any], disclosure: DisclosureRules | None = None) -> str:
    disclosure = disclosure or rules().disclosure
    rows = spread_rows(summary, disclosure)
    if rows is None:
        return (
            '<p class="toolkit-stale"><strong>Not shown yet.</strong> The spread within the group '
            f"is shown once at least {_plural(disclosure.min_services_for_pooled, 'service')} "
            f"have shared figures (so no one service's figures can be read from it); "
            f"{summary['services']} so far.</p>"
        )
    with_notes = any(row["note"] for row in rows)
    body = "".join(
        f'<tr><th scope="row">{views.esc(row["label"])}</th>'
        + "".join(f'<td class="num">{views.esc(row[k])}</td>' for k in ("low", "median", "high"))
        + (f"<td>{views.esc(row['note'])}</td>" if with_notes else "")
        + "</tr>"
        for row in rows
    )
    note_head = '<th scope="col">Note</th>' if with_notes else ""
    return (
        "<table><caption>Spread within the group: each service's own figure</caption>"
        '<tr><th scope="col">Figure</th><th scope="col">Lowest</th><th scope="col">Median</th>'
        f'<th scope="col">Highest</th>{note_head}</tr>{body}</table>'
    )


def not_shown_html(summary: dict[str, Any]) -> str:
    reasons = summary["suppressed"]
    if not reasons:
        return "<p>Every figure is shown: none is small enough to need hiding.</p>"
    return "<ul>" + "".join(f"<li>{views.esc(reason)}</li>" for reason in reasons) + "</ul>"


# --------------------------------------------------------------------------- charts


def chart_measures(measures: dict[str, Any], reasons: dict[str, str]) -> ServiceMeasures:
    """Measures for the band chart built only from figures the summary shows.

    The chart's likely range for a rate (and for the cost per job outcome) is worked
    out from the people supported and job outcomes, so those measures are drawn only
    when both counts are shown; otherwise they are left off as not shown.
    """
    people, jobs = measures.get("people_supported"), measures.get("job_outcomes")

    def value(path: str) -> Any:
        found = measures.get(path)
        if found is None:
            return _HIDDEN if path in reasons else _NO_OUTCOMES
        return found

    if people is not None and jobs is not None:
        per_person, per_job, rate = (
            value("cost_per_person"),
            value("cost_per_job_outcome"),
            value("job_outcome_rate"),
        )
    else:
        per_person = value("cost_per_person") if people is not None else _HIDDEN
        per_job = rate = _HIDDEN
        people, jobs = (people if people is not None else 1), 0
    return ServiceMeasures(
        total_cost=measures["total_cost"],
        people_supported=int(people),
        job_outcomes=int(jobs),
        new_jobs=0,
        jobs_retained=0,
        self_employed=0,
        cost_per_person=per_person,
        cost_per_job_outcome=per_job,
        job_outcome_rate=rate,
        outcome_split={},
        per_100_supported={},
    )


def service_entries(summary: dict[str, Any]) -> list[charts.Entry]:
    """Each service as the band chart draws it, labelled as it chose to appear."""
    return [
        charts.Entry(entry["shown_as"], chart_measures(entry["measures"], entry["suppressed"]))
        for entry in summary["submissions"]
    ]


def group_entry(summary: dict[str, Any]) -> charts.Entry | None:
    if summary["pooled"] is None:
        return None
    return charts.Entry(
        "All services (pooled)", chart_measures(summary["pooled"], summary["pooled_suppressed"])
    )


def positions_summary(entries: Sequence[charts.Entry], band_sets: Sequence[BandSet]) -> str:
    """The band chart in words, saying "not shown" for figures hidden by disclosure control."""
    sentences = []
    for entry in entries:
        parts = []
        comparisons = {
            band_set: {c.measure: c for c in compare_measures(entry.measures, band_set)}
            for band_set in band_sets
        }
        for measure in BANDED_MEASURES:
            value = getattr(entry.measures, measure)
            label = MEASURE_LABELS[measure].lower()
            if value is _HIDDEN:
                parts.append(f"{label} not shown")
                continue
            first = comparisons[band_sets[0]][measure]
            if first.position is None:
                parts.append(f"{label} not defined")
                continue
            where = ", ".join(
                f"{comparisons[b][measure].position.value} the range for {BAND_SET_LABELS[b]}"
                for b in band_sets
            )
            parts.append(f"{label} {fmt.measure_value(measure, value)} ({where})")
        sentences.append(f"{entry.label}: " + "; ".join(parts) + ".")
    return " ".join(sentences)


def render_band_chart(
    key: str, title: str, entries: Sequence[charts.Entry]
) -> charts.RenderedChart:
    svg = charts.chart_svg(charts.band_chart(entries, BOTH_BANDS))
    return charts.RenderedChart(key, title, svg, positions_summary(entries, BOTH_BANDS))


def group_comparisons_html(entry: charts.Entry) -> str:
    """The pooled figures against both sets of bands, in words with badges."""
    comparisons = []
    for band_set in BOTH_BANDS:
        for comparison in compare_measures(entry.measures, band_set):
            row = ComparisonResult.of(comparison)
            if getattr(entry.measures, comparison.measure) is _HIDDEN:
                text = (
                    f"{MEASURE_LABELS[comparison.measure]} is not shown, to protect small "
                    f"numbers, so it cannot be placed against the range for "
                    f"{BAND_SET_LABELS[band_set]}."
                )
                row = row.model_copy(update={"text": text})
            comparisons.append(row)
    return views.comparisons_html(comparisons)


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
            except Exception as exc:  # noqa: BLE001 - report it and try again next round
                try:
                    self.on_error(exc)
                except Exception:  # noqa: BLE001 - even the report failed: keep going
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
        self.summary: dict[str, Any] | None = None
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
        self.large = w.ToggleButton(
            description="Large type",
            value=False,
            tooltip="Bigger text and charts, for a projector",
            layout=w.Layout(width="auto"),
        )
        self.large.observe(self._on_large, names="value")
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
        self.group_chart = w.HTML()
        self.not_shown = w.HTML()
        self.downloads = w.HTML()
        self.dashboard = w.VBox(
            [
                w.HBox([self.refresh_button, self.large, self.close_button]),
                self.updated,
                self.link_notice,
                self.heading,
                w.HTML("<h2>Who has shared figures</h2>"),
                self.services,
                w.HTML("<h2>Pooled figures for the group</h2>"),
                self.pooled,
                w.HTML("<h2>Spread within the group</h2>"),
                self.spread,
                w.HTML("<h2>Each service against the study's bands</h2>"),
                self.services_chart,
                w.HTML("<h2>The group against both sets of bands</h2>"),
                self.group_chart,
                w.HTML("<h2>Not shown, and why</h2>"),
                self.not_shown,
                w.HTML("<h2>Download the session pack</h2>"),
                self.downloads,
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

    def _on_large(self, change: dict[str, Any]) -> None:
        if change["new"]:
            self.widget.add_class("toolkit-large")
        else:
            self.widget.remove_class("toolkit-large")

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
        except Exception:  # noqa: BLE001 - plain words on the page, never a traceback
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
        except WrongKey as exc:
            self.open_error.value = views.error_html(str(exc))
            return False
        except StoreError as exc:
            self.open_error.value = views.error_html(f"The session could not be opened: {exc}")
            return False
        except Exception:  # noqa: BLE001 - plain words on the page, never a traceback
            _log_problem()
            self.open_error.value = views.error_html(
                "Something went wrong opening the session. Please try again."
            )
            return False
        from_link = self.from_link
        self.close()
        self.from_link = from_link
        self.code, self._key = summary["session"]["code"], key.strip()
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
        self._apply(self._snapshot(summary))
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
            self.group_chart,
            self.not_shown,
            self.downloads,
        ):
            box.value = ""

    def _fetch(self) -> dict[str, Any] | None:
        """Read the summary and, if it changed, build the page's sections (worker-thread safe)."""
        code, key = self.code, self._key
        if code is None or key is None:
            return None
        return self._snapshot(self.store.session_summary(code, key))

    def _snapshot(self, summary: dict[str, Any]) -> dict[str, Any]:
        fingerprint = json.dumps(summary, sort_keys=True, default=str)
        same = fingerprint == self._rendered_for
        return {
            "code": summary["session"]["code"],
            "summary": summary,
            "fingerprint": fingerprint,
            "sections": None if same else dashboard_sections(summary),
        }

    def refresh(self) -> bool:
        """Read the summary now and redraw if anything changed. False (with a reason) on error."""
        try:
            self._apply(self._fetch())
        except Exception as exc:  # noqa: BLE001 - plain words on the page, never a traceback
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
        self.updated.value = (
            f'<p class="toolkit-note">Last checked for new figures at '
            f"{dt.datetime.now():%H:%M:%S}; checks again every "
            f"{self.refresher.interval:g} seconds (or press Refresh now).</p>"
        )
        sections = snapshot["sections"]
        if sections is None or snapshot["fingerprint"] == self._rendered_for:
            return
        self.summary = snapshot["summary"]
        for name, html in sections.items():
            getattr(self, name).value = html
        self._rendered_for = snapshot["fingerprint"]


def charts_html(summary: dict[str, Any]) -> tuple[str, str]:
    """The two band charts (each service; the group) with their words, or why not shown."""
    entries = service_entries(summary)
    if entries:
        chart = render_band_chart("services", "Each service against the study's bands", entries)
        services = views.chart_html(chart)
    else:
        services = "<p>Each service appears here once it shares figures.</p>"
    group = group_entry(summary)
    if group is None:
        return services, (
            '<p class="toolkit-stale"><strong>Not shown yet:</strong> the group is placed '
            "against the bands once its pooled figures can be shown (see above).</p>"
        )
    if all(getattr(group.measures, m) is _HIDDEN for m in BANDED_MEASURES):
        return services, (
            "<p>The group's costs and rates are hidden to protect small numbers (see "
            "\u201cNot shown, and why\u201d), so it cannot be placed against the bands.</p>"
        )
    chart = render_band_chart("group", "The group against both sets of bands", [group])
    return services, views.chart_html(chart) + group_comparisons_html(group)


def dashboard_sections(summary: dict[str, Any]) -> dict[str, str]:
    """Every section of the dashboard as HTML, keyed by the widget that shows it."""
    services_chart, group_chart = charts_html(summary)
    return {
        "heading": heading_html(summary),
        "services": services_html(summary),
        "pooled": pooled_html(summary),
        "spread": spread_html(summary),
        "services_chart": services_chart,
        "group_chart": group_chart,
        "not_shown": not_shown_html(summary),
        "downloads": downloads_html(summary),
    }


def created_html(created: Any) -> str:
    """A new session's code, its key (shown once) and the private link."""
    link = private_link(created.code, created.facilitator_key)
    when = f" on {created.date.isoformat()}" if created.date else ""
    return (
        f"<h3>Session started: {views.esc(created.title)}{views.esc(when)}</h3>"
        "<p>Code to give to commissioners (read it out or write it up): "
        f'<span class="toolkit-code">{views.esc(created.code)}</span></p>'
        '<div class="toolkit-warning"><p><strong>Your facilitator key (keep it private):</strong> '
        f'<code class="toolkit-key">{views.esc(created.facilitator_key)}</code></p>'
        "<p>Anyone with the code and this key can see every service's figures. It is shown "
        "only this once and cannot be recovered: copy it somewhere safe now. Do not send it "
        "to commissioners; they need only the code.</p>"
        f'<p><strong>Your private link to the dashboard:</strong> <a href="{views.esc(link)}">'
        "open the dashboard</a> (bookmark it, keep it to yourself: it carries the key).</p>"
        f'<p class="toolkit-note">Full link to copy: <code class="toolkit-key">'
        f"{views.esc(link)}</code></p></div>"
    )


def downloads_html(summary: dict[str, Any]) -> str:
    """The session pack as Excel and CSV links (data URIs: Voila serves no files)."""
    code = summary["session"]["code"]
    return (
        "<p>The pack has the same figures as this page, with small numbers shown as "
        f"\u201c{NOT_SHOWN}\u201d.</p><ul>"
        + "".join(
            f"<li>{views.download_link(label, f'session-pack-{code}.{kind}', mime, session_pack_bytes(summary, kind))}</li>"
            for label, kind, mime in (
                ("Session pack (Excel)", "xlsx", XLSX),
                ("Session pack (CSV)", "csv", "text/csv"),
            )
        )
        + "</ul>"
    )


def build_app(
    store: Any | None = None, code: str | None = None, key: str | None = None
) -> LearningNetworkApp:
    """The dashboard for a page request (store defaults to the toolkit's store)."""
    if store is None:
        from toolkit.network.store import default_store

        store = default_store()
    return LearningNetworkApp(store=store, code=code, key=key)
