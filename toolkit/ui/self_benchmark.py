"""The self-benchmarking app: widgets (view) and glue; measures come from the toolkit.

State is what the user typed, as text, for every service, so nothing typed is
ever lost, even when it cannot be read. Each change is saved under a private
resume id; the results are worked out by :mod:`toolkit.domain.results` and shown as
HTML built by :mod:`toolkit.ui.views`.
"""

from __future__ import annotations

import copy
from typing import Any

import ipywidgets as w

from toolkit.charts import jobs as chart_jobs
from toolkit.charts.data import RenderedChart
from toolkit.content.caveats import load_caveats
from toolkit.content.paths import data_dir
from toolkit.content.rules import rules
from toolkit.domain.bands import BandSet, read_rows
from toolkit.domain.invest import what_if
from toolkit.domain.measures import measure_service
from toolkit.domain.parsing import is_blank, parse_money
from toolkit.domain.record import (
    CLIENT_GROUP_LABELS,
    FIELD_LABELS,
    ServiceRecord,
    ServiceRecordError,
    parse_service,
)
from toolkit.domain.results import (
    ServiceResult,
    average_group_for,
    group_of_records,
    record_price_base,
    service_result,
)
from toolkit.present.headline import UNNAMED, cost_per_job_headline
from toolkit.present.spreadsheets import SpreadsheetRefused, read_services, template_xlsx
from toolkit.ui import views
from toolkit.ui.form_app import FORM_CSS, XLSX_MIME, FormApp
from toolkit.ui.kernel import chart_worker, kernel_loop  # learning_network imports kernel_loop here
from toolkit.ui.share import ShareHost, SharePanel

APP = "self_benchmark"
PAGE = "self_benchmark.ipynb"
MAIN_FIELDS = (
    "name",
    "year",
    "total_cost",
    "people_supported",
    "new_jobs",
    "jobs_retained",
    "self_employed",
)
DETAIL_TEXT_FIELDS = (
    "uprating_factor",
    "support_under_7_hours",
    "support_7_to_40_hours",
    "support_over_40_hours",
    "outcomes_35_plus_hours",
    "outcomes_16_to_34_hours",
    "outcomes_5_to_15_hours",
    "outcomes_1_to_4_hours",
    "outcomes_support_under_7_hours",
    "outcomes_support_7_to_40_hours",
    "outcomes_support_over_40_hours",
)
BAND_CHOICES = {
    "both": ("Both", (BandSet.evidence_based, BandSet.all_sites)),
    "evidence_based": ("Evidence-based services", (BandSet.evidence_based,)),
    "all_sites": ("All services in the study", (BandSet.all_sites,)),
}
PLACEHOLDERS = {
    "name": "e.g. Anytown IPS service",
    "total_cost": "e.g. £150,000",
    "people_supported": "e.g. 120",
    "new_jobs": "e.g. 30",
    "jobs_retained": "e.g. 18",
    "self_employed": "0 if none",
    "year": "e.g. 2024-25 (blank: the study's own prices)",
    "uprating_factor": "only for a year the price series does not reach, e.g. 1.45",
}
LABEL_STYLE = {"description_width": "initial"}
FIELD_LAYOUT = w.Layout(width="36em", max_width="100%")


def stacked(widget: w.Widget) -> w.Widget:
    """The control with its label above it, so a long label is never cut (see FORM_CSS)."""
    widget.add_class("toolkit-stacked")
    return widget


def record_to_raw(record: ServiceRecord) -> dict[str, str]:
    """A validated record as the text a user would have typed."""
    raw = blank_service()
    for field, value in record.model_dump(mode="json").items():
        if value is None:
            continue
        if isinstance(value, float) and value == int(value):
            value = int(value)
        raw[field] = str(value)
    return raw


def blank_service() -> dict[str, str]:
    """A new service: every field empty."""
    return {field: "" for field in FIELD_LABELS}


def blank_state() -> dict[str, Any]:
    """The app's state when no resume id is given."""
    return {"services": [blank_service()], "selected": 0, "bands": "both", "budget": ""}


def support_model_options() -> list[tuple[str, str]]:
    """Choices for the support model, from data/support_models.csv."""
    rows = read_rows(data_dir() / "support_models.csv")
    return [("Not given", "")] + [(row["label"], row["model_id"]) for row in rows]


def _clean_state(raw: dict[str, Any] | None) -> dict[str, Any]:
    """A saved state made safe to show: unknown keys dropped, text kept as text."""
    state = blank_state()
    if not raw:
        return state
    services = []
    for saved in raw.get("services") or []:
        service = blank_service()
        for field in service:
            value = saved.get(field, "") if isinstance(saved, dict) else ""
            service[field] = "" if value is None else str(value)
        services.append(service)
    state["services"] = services or [blank_service()]
    selected = raw.get("selected", 0)
    state["selected"] = (
        selected if isinstance(selected, int) and 0 <= selected < len(state["services"]) else 0
    )
    state["bands"] = raw.get("bands") if raw.get("bands") in BAND_CHOICES else "both"
    state["budget"] = str(raw.get("budget") or "")
    return state


class SelfBenchmarkApp(FormApp):
    """Enter a service's figures and see where it stands against the study's bands."""

    APP = APP
    PAGE = PAGE
    SAVED_WHAT = "entries"

    def __init__(
        self, store: Any | None = None, token: str | None = None, chart_delay: float = 0.3
    ):
        self._start_form(store, chart_delay)
        self._state = blank_state()
        self.last_good: dict[str, Any] | None = None
        self._chart_generation = 0
        self._build()
        self.open(token)

    def open(self, token: str | None) -> None:
        """Show the entries saved under a private resume id (a blank form without one).

        Building the widgets is the slow part, so under kernel preheating the app is
        built before the page is requested and only this runs once the id is known.
        """
        saved = self.open_token(token)
        self._state = _clean_state(saved)
        self.last_good = None
        shared = self.share.restore(saved)
        if shared:
            self.state["shared"] = shared
        self._loading = True
        try:
            self.budget.value = self.state["budget"]
        finally:
            self._loading = False
        self._load_selected()
        if self.token:
            self.resume.value = self.resume_html()
        self.refresh()

    # ---------- view ----------
    def _text(self, field: str) -> w.Text:
        box = stacked(
            w.Text(
                description=FIELD_LABELS[field],
                placeholder=PLACEHOLDERS.get(field, ""),
                style=LABEL_STYLE,
                layout=FIELD_LAYOUT,
                continuous_update=True,
            )
        )
        box.observe(lambda change, f=field: self._on_field(f, change["new"]), names="value")
        return box

    def _build(self) -> None:
        self.fields: dict[str, w.Widget] = {}
        self.errors: dict[str, w.HTML] = {}
        rows = []
        for field in MAIN_FIELDS:
            self.fields[field] = self._text(field)
            self.errors[field] = w.HTML()
            rows += [self.fields[field], self.errors[field]]

        self.fields["client_group"] = stacked(
            w.Dropdown(
                description=FIELD_LABELS["client_group"],
                options=[("Not given", "")]
                + [(label, group.value) for group, label in CLIENT_GROUP_LABELS.items()],
                style=LABEL_STYLE,
                layout=FIELD_LAYOUT,
            )
        )
        self.fields["support_model"] = stacked(
            w.Dropdown(
                description=FIELD_LABELS["support_model"],
                options=support_model_options(),
                style=LABEL_STYLE,
                layout=FIELD_LAYOUT,
            )
        )
        for field in ("client_group", "support_model"):
            self.fields[field].observe(
                lambda change, f=field: self._on_field(f, change["new"]), names="value"
            )
            self.errors[field] = w.HTML()
        detail_rows: list[w.Widget] = [
            w.HTML(
                "<p>Optional. The study asked for people by how much support they need in a "
                "typical week (of any kind, not only employment support); the Support Level "
                "Index is worked out when all three counts are given.</p>"
            ),
            self.fields["client_group"],
            self.errors["client_group"],
            self.fields["support_model"],
            self.errors["support_model"],
        ]
        for field in DETAIL_TEXT_FIELDS:
            self.fields[field] = self._text(field)
            self.errors[field] = w.HTML()
            detail_rows += [self.fields[field], self.errors[field]]
        self.more_detail = w.Accordion(
            children=[w.VBox(detail_rows)], titles=("More detail",), selected_index=None
        )

        self.band_choice = stacked(
            w.RadioButtons(
                description="Compare with",
                options=[(label, key) for key, (label, _) in BAND_CHOICES.items()],
                value="both",
                style={"description_width": "initial"},
            )
        )
        self.band_choice.observe(self._on_bands, names="value")

        self.service_picker = stacked(
            w.Dropdown(description="Service being edited", style=LABEL_STYLE, layout=FIELD_LAYOUT)
        )
        self.service_picker.observe(self._on_pick, names="value")
        self.add_button = w.Button(
            description="Add a service",
            icon="plus",
            tooltip="Add another service",
            layout=w.Layout(width="auto"),
        )
        self.remove_button = w.Button(
            description="Remove this service",
            icon="trash",
            tooltip="Remove the service being edited",
            layout=w.Layout(width="auto"),
        )
        self.add_button.on_click(lambda _: self.add_service())
        self.remove_button.on_click(lambda _: self.remove_service())
        self._removed: tuple[int, dict[str, str]] | None = None
        self.removed_note = w.HTML()
        self.undo_button = w.Button(
            description="Undo the removal",
            icon="undo",
            tooltip="Bring back the service you removed last",
            layout=w.Layout(width="auto", display="none"),
        )
        self.undo_button.on_click(lambda _: self.undo_remove())

        self.upload = w.FileUpload(
            description="Upload a spreadsheet of services (.xlsx or .csv)",
            accept=".xlsx,.csv",
            multiple=False,
            layout=w.Layout(width="auto"),
        )
        self.upload.observe(self._on_upload, names="value")
        self.template_link = w.HTML(
            "<p>"
            + views.download_link(
                "Download the blank data request template (Excel)",
                "data-request-template.xlsx",
                XLSX_MIME,
                template_xlsx(),
            )
            + "</p>"
        )
        self.upload_report = w.HTML()
        self.notice = w.HTML(views.error_html(None))
        self.status = w.HTML()
        self.headline = w.HTML()
        self.key_figures = w.HTML()
        self.comparisons = w.HTML()
        self.services_table = w.HTML()
        self.budget = stacked(
            w.Text(
                description="Budget to plan with (£)",
                placeholder="e.g. 500,000 (blank: this service's cost)",
                style=LABEL_STYLE,
                layout=FIELD_LAYOUT,
            )
        )
        self.budget.observe(self._on_budget, names="value")
        self.budget_error = w.HTML()
        self.what_if = w.HTML()
        self.charts_box = w.HTML("<p>Charts appear here once the figures are complete.</p>")
        self.resume = w.HTML()
        self.downloads = w.HTML()
        self.files_button = w.Button(
            description="Prepare spreadsheets and the board report",
            icon="file",
            layout=w.Layout(width="auto"),
        )
        self.files_button.on_click(lambda _: self.prepare_downloads())
        self.file_links = w.HTML()
        self.png_button = w.Button(
            description="Prepare PNG images of the charts",
            icon="image",
            layout=w.Layout(width="auto"),
        )
        self.png_button.on_click(lambda _: self.prepare_png())
        self.png_links = w.HTML()
        self.caveats = w.Accordion(
            children=[w.HTML(views.caveats_html(load_caveats()))],
            titles=("About these figures: what the comparison can and cannot tell you",),
            selected_index=None,
        )
        header = w.HTML(
            views.CSS + FORM_CSS + "<h1>Is our employment support good value?</h1>"
            "<p>Type your service's figures for one year. The results update as you type and "
            "compare your service with the bands published by the NDTi study of employment "
            "support for people with learning disabilities and mental health problems.</p>"
        )
        self.widget = w.VBox(
            [
                header,
                self.notice,
                w.HTML("<h2>Your service</h2>"),
                w.HBox(
                    [self.service_picker, self.add_button, self.remove_button],
                    layout=w.Layout(flex_flow="row wrap", align_items="flex-end", grid_gap="4px"),
                ),
                w.HBox(
                    [self.removed_note, self.undo_button],
                    layout=w.Layout(flex_flow="row wrap", align_items="center"),
                ),
                w.HTML(
                    "<p>Or fill in the data request template and upload it: every service in it "
                    "is added below.</p>"
                ),
                self.template_link,
                self.upload,
                self.upload_report,
                *rows,
                self.more_detail,
                self.band_choice,
                w.HTML("<h2>Results</h2>"),
                self.status,
                self.headline,
                self.key_figures,
                self.comparisons,
                self.services_table,
                w.HTML("<h2>What if</h2>"),
                self.budget,
                self.budget_error,
                self.what_if,
                w.HTML("<h2>Charts</h2>"),
                self.charts_box,
                w.HTML("<h2>Keep, share and take away</h2>"),
                self.resume,
                self.downloads,
                self.files_button,
                self.file_links,
                self.png_button,
                self.png_links,
                self.caveats,
            ],
            layout=w.Layout(padding="0 1em"),
        )
        self.widget.add_class("toolkit-app")
        self.share = SharePanel(
            ShareHost(
                store=self.store,
                figures=lambda: self.current,
                token=self._saved_token,
                remember=self._remember_shared,
            )
        )
        children = list(self.widget.children)
        children.insert(children.index(self.caveats), self.share.widget)
        self.widget.children = children

    # ---------- glue: user actions ----------
    def _saved_token(self) -> str | None:
        """Save the entries (making the private token if there is none) and return the token."""
        self.save()
        return self.token

    def _remember_shared(self, shared: dict[str, Any] | None) -> None:
        if shared:
            self.state["shared"] = shared
        else:
            self.state.pop("shared", None)
        self.save()

    @property
    def current(self) -> dict[str, str]:
        return self.state["services"][self.state["selected"]]

    def _on_field(self, field: str, value: str) -> None:
        if self._loading:
            return
        self.current[field] = value if isinstance(value, str) else str(value)
        if field == "name":
            self._refresh_picker()
            self.share.service_changed()
        self.refresh()  # the new results go to the page first, then the entries are saved
        self.save()

    def _on_bands(self, change: dict[str, Any]) -> None:
        if self._loading:
            return
        self.state["bands"] = change["new"]
        self.refresh()
        self.save()

    def _on_budget(self, change: dict[str, Any]) -> None:
        if self._loading:
            return
        self.state["budget"] = change["new"]
        self.save()
        self.refresh_what_if()

    def _on_pick(self, change: dict[str, Any]) -> None:
        if self._loading or change["new"] is None:
            return
        self.state["selected"] = change["new"]
        self._load_selected()
        self.save()
        self.refresh()

    def add_service(self) -> None:
        """Start a new, blank service and edit it."""
        self.state["services"].append(blank_service())
        self.state["selected"] = len(self.state["services"]) - 1
        self._load_selected()
        self.save()
        self.refresh()

    def remove_service(self) -> None:
        """Remove the service being edited (the last one is emptied instead); it can be undone."""
        removed = self.current
        if not all(is_blank(value) for value in removed.values()):
            self._removed = (self.state["selected"], copy.deepcopy(removed))
            name = removed.get("name", "").strip() or "Unnamed service"
            self.removed_note.value = f"<p>Removed \u201c{views.esc(name)}\u201d.</p>"
            self.undo_button.layout.display = None
        if len(self.state["services"]) == 1:
            self.state["services"] = [blank_service()]
        else:
            del self.state["services"][self.state["selected"]]
        self.state["selected"] = min(self.state["selected"], len(self.state["services"]) - 1)
        self._load_selected()
        self.save()
        self.refresh()

    def undo_remove(self) -> None:
        """Bring back the service removed last, where it was, and edit it."""
        if self._removed is None:
            return
        index, service = self._removed
        self._removed = None
        services = self.state["services"]
        if len(services) == 1 and all(is_blank(v) for v in services[0].values()):
            services.clear()
        index = min(index, len(services))
        services.insert(index, service)
        self.state["selected"] = index
        self.removed_note.value = ""
        self.undo_button.layout.display = "none"
        self._load_selected()
        self.save()
        self.refresh()

    def _on_upload(self, change: dict[str, Any]) -> None:
        files = change["new"]
        if not files:
            return
        upload = files[0]
        self.upload_report.value = views.upload_report_html(
            *self.import_file(upload["name"], bytes(upload["content"]))
        )

    def import_file(self, filename: str, content: bytes) -> tuple[str, list[str], list[str], int]:
        """Add every good service in an uploaded spreadsheet; report every bad cell."""
        limit = rules().import_.max_upload_bytes
        if len(content) > limit:
            return (
                filename,
                [
                    f"The file is {len(content):,} bytes; the most this app takes is {limit:,} bytes."
                ],
                [],
                0,
            )
        try:
            result = read_services(content, filename)
        except SpreadsheetRefused as exc:
            return filename, [str(exc)], [], 0
        added = [record_to_raw(record) for _, record in result.records]
        if added:
            if len(self.state["services"]) == 1 and all(is_blank(v) for v in self.current.values()):
                self.state["services"] = []
            self.state["services"].extend(added)
            self.state["selected"] = len(self.state["services"]) - 1
            self._load_selected()
            self.save()
            self.refresh()
        return (
            filename,
            [str(problem) for problem in result.problems],
            list(result.notes),
            len(added),
        )

    def set_values(self, values: dict[str, str]) -> None:
        """Type values into the fields, as a user would (used by tests and imports)."""
        for field, value in values.items():
            self.fields[field].value = value

    # ---------- glue: state to widgets ----------
    def _service_label(self, index: int) -> str:
        name = self.state["services"][index].get("name", "").strip()
        return f"{index + 1}. {name or 'Unnamed service'}"

    def _refresh_picker(self) -> None:
        self._loading = True
        try:
            self.service_picker.options = [
                (self._service_label(i), i) for i in range(len(self.state["services"]))
            ]
            self.service_picker.value = self.state["selected"]
        finally:
            self._loading = False
        self.remove_button.disabled = False

    def _load_selected(self) -> None:
        self._loading = True
        try:
            for field, widget in self.fields.items():
                value = self.current.get(field, "")
                if isinstance(widget, w.Dropdown):
                    allowed = [option[1] for option in widget.options]
                    widget.value = value if value in allowed else ""
                else:
                    widget.value = value
            self.band_choice.value = self.state["bands"]
        finally:
            self._loading = False
        self.share.service_changed()
        self._refresh_picker()

    @property
    def state(self) -> dict[str, Any]:
        """What the user typed for every service, the service being edited, bands and budget."""
        return self._state

    @state.setter
    def state(self, value: dict[str, Any]) -> None:
        self._state = value

    def saved_state(self) -> dict[str, Any]:
        return copy.deepcopy(self.state)

    def after_save(self) -> None:
        self._show_notice()

    def _show_notice(self) -> None:
        """A failed save, else what happened to the private link, at the top of the page."""
        if self.save_problem:
            self.notice.value = views.error_html(self.save_problem)
        elif self.resume_notice:
            self.notice.value = f"<p><strong>{views.esc(self.resume_notice)}</strong></p>"
        else:
            self.notice.value = views.error_html(None)

    # ---------- glue: results ----------
    @property
    def band_sets(self) -> tuple[BandSet, ...]:
        return BAND_CHOICES[self.state["bands"]][1]

    def _parsed(self) -> list[tuple[int, ServiceRecord | ServiceRecordError]]:
        parsed: list[tuple[int, ServiceRecord | ServiceRecordError]] = []
        for index, raw in enumerate(self.state["services"]):
            if all(is_blank(v) for v in raw.values()):
                continue
            named = raw if not is_blank(raw.get("name", "")) else {**raw, "name": UNNAMED}
            try:
                parsed.append((index, parse_service(named)))
            except ServiceRecordError as exc:
                parsed.append((index, exc))
        return parsed

    def refresh(self) -> None:
        """Work out and show results for what is typed now."""
        parsed = self._parsed()
        current = next((item for i, item in parsed if i == self.state["selected"]), None)
        field_errors = current.by_field() if isinstance(current, ServiceRecordError) else {}
        for field, box in self.errors.items():
            message = field_errors.get(field)
            box.value = views.error_html(f"{FIELD_LABELS[field]}: {message}" if message else None)
        problems = [f"{FIELD_LABELS[f]}: {m}" for f, m in field_errors.items()]
        self._show_notice()
        if isinstance(current, ServiceRecord):
            result = service_result(current, self.band_sets)
            self.last_good = {"result": result, "record": current}
            self.headline.value = views.headline_html(
                cost_per_job_headline(current.name, _cost_per_job_judgements(result))
            )
            self.key_figures.value = views.key_figures_html(result)
            self.comparisons.value = views.comparisons_html(result.comparisons, result.notes, result)
            self.status.value = views.status_html(False, [], True)
        else:
            # results from an earlier or half-typed value would mislead: clear them
            had_results = self.last_good is not None
            self.last_good = None
            self.headline.value = self.key_figures.value = self.comparisons.value = ""
            if current is None:
                problems = ["Enter the service's figures above."]
                self.status.value = views.status_html(True, problems, False)
            else:
                self.status.value = views.results_hidden_html(problems, had_results)
        self._refresh_services_table(parsed)
        self.refresh_what_if()
        if self.file_links.value:
            self.file_links.value = "<p>The figures have changed: prepare the files again.</p>"
        self._charts_later()

    def _unnamed(self) -> bool:
        """True when a complete service has no name yet (needed for files and sharing)."""
        return any(
            isinstance(item, ServiceRecord) and is_blank(self.state["services"][i].get("name", ""))
            for i, item in self._parsed()
        )

    def _good_records(self) -> list[ServiceRecord]:
        return [item for _, item in self._parsed() if isinstance(item, ServiceRecord)]

    def _refresh_services_table(self, parsed: list) -> None:
        good = [item for _, item in parsed if isinstance(item, ServiceRecord)]
        if len(good) < 2:
            self.services_table.value = ""
            return
        group = group_of_records(good, self.band_sets)
        self.services_table.value = "<h3>Several services</h3>" + views.services_table_html(group)

    def refresh_what_if(self) -> None:
        """The budget what-if, for the service being edited."""
        record = self.last_good["record"] if self.last_good else None
        text = self.state["budget"]
        try:
            budget = (
                parse_money(text) if not is_blank(text) else (record.total_cost if record else None)
            )
        except ValueError as exc:
            self.budget_error.value = views.error_html(f"Budget to plan with (£): {exc}")
            return
        self.budget_error.value = ""
        if budget is None:
            self.what_if.value = "<p>Enter a budget, or complete the service's figures.</p>"
            return
        measures = measure_service(record) if record else None
        prices = record_price_base(record) if record else None
        self.what_if.value = views.what_if_html(what_if(budget, measures, prices))

    def _client_group(self) -> str:
        """The study average the charts set these services against (one rule, as the report)."""
        return average_group_for(self._good_records())

    def render_charts(self) -> None:
        """Draw the charts after typing pauses.

        Drawing takes a few hundred milliseconds, so inside a running kernel it happens on a
        worker thread and the finished images are put on the page from the kernel's own loop:
        typing stays quick meanwhile. A drawing overtaken by newer figures is dropped.
        """
        records = self._good_records()
        if not records:
            self._chart_generation += 1  # a drawing still under way is out of date too
            self.rendered: list[RenderedChart] = []
            self.charts_box.value = "<p>Charts appear here once the figures are complete.</p>"
            self.downloads.value = ""
            return
        self._chart_generation += 1
        generation = self._chart_generation
        job = (records, self.band_sets, self._client_group())
        loop = kernel_loop()
        if loop is None:
            self._show_charts(generation, chart_jobs.self_benchmark_charts(*job))
            return
        future = chart_worker().submit(chart_jobs.self_benchmark_charts, *job)
        future.add_done_callback(
            lambda done: loop.call_soon_threadsafe(self._chart_done, generation, done)
        )

    def _chart_done(self, generation: int, done: Any) -> None:
        if generation != self._chart_generation:
            return  # overtaken by newer figures
        if done.exception() is not None:
            self.charts_box.value = (
                "<p>The charts could not be drawn just now; the figures above are complete. "
                "Change any figure to try again.</p>"
            )
            return
        self._show_charts(generation, done.result())

    def _show_charts(self, generation: int, rendered: list[RenderedChart]) -> None:
        if generation != self._chart_generation:
            return
        self.rendered = rendered
        self.charts_box.value = "".join(views.chart_html(chart) for chart in rendered)
        self.png_links.value = ""
        self.downloads.value = views.downloads_html(
            [
                views.download_link(
                    f"Chart as SVG: {chart.title}",
                    f"{chart.key}.svg",
                    "image/svg+xml",
                    chart.svg.encode(),
                )
                for chart in rendered
            ]
        )

    def prepare_downloads(self) -> None:
        """Spreadsheets, the board report and the template, made when asked for."""
        if not self._good_records():
            self.file_links.value = (
                "<p>Complete the figures to make your results files. The blank data request "
                "template is under \u201cYour service\u201d above.</p>"
            )
            return
        if self._unnamed():
            self.file_links.value = (
                "<p>Type the service's name in \u201cService name\u201d first: the files say "
                "which service they describe.</p>"
            )
            return
        links = self.extra_downloads()
        self.file_links.value = "<ul>" + "".join(f"<li>{link}</li>" for link in links) + "</ul>"

    def extra_downloads(self) -> list[str]:
        """CSV and Excel of entries and results, the board report, and the blank template."""
        from toolkit.present.report import render_report
        from toolkit.present.spreadsheets import export_bytes

        results = [service_result(record, self.band_sets) for record in self._good_records()]
        charts_for_report = [(c.title, c.svg, c.summary) for c in getattr(self, "rendered", [])]
        report = render_report(results, what_if=self._budget_or_none(), charts=charts_for_report)
        return [
            views.download_link(
                "Your entries and results (CSV)",
                "employment-support-results.csv",
                "text/csv",
                export_bytes(results, "csv"),
            ),
            views.download_link(
                "Your entries and results (Excel)",
                "employment-support-results.xlsx",
                XLSX_MIME,
                export_bytes(results, "xlsx"),
            ),
            views.download_link(
                "Report for your board (HTML: open it and print to A4 or save as PDF)",
                "employment-support-report.html",
                "text/html",
                report.encode("utf-8"),
            ),
            views.download_link(
                "Blank data request template (Excel)",
                "data-request-template.xlsx",
                XLSX_MIME,
                template_xlsx(),
            ),
        ]

    def _budget_or_none(self) -> float | None:
        try:
            return parse_money(self.state["budget"]) if not is_blank(self.state["budget"]) else None
        except ValueError:
            return None

    def prepare_png(self) -> None:
        """PNG images of the charts, made only when asked (they take a moment)."""
        records = self._good_records()
        if not records:
            self.png_links.value = "<p>Complete the figures first.</p>"
            return
        try:
            pngs = chart_jobs.self_benchmark_pngs(records, self.band_sets, self._client_group())
        except chart_jobs.ChartsBusy:
            self.png_links.value = (
                "<p>The server is too busy to draw the images just now. Please try again in a "
                "minute.</p>"
            )
            return
        links = [
            views.download_link(f"{key}.png", f"{key}.png", "image/png", png) for key, png in pngs
        ]
        self.png_links.value = "<ul>" + "".join(f"<li>{link}</li>" for link in links) + "</ul>"


def _cost_per_job_judgements(result: ServiceResult) -> dict[str, str]:
    """The judgement on cost per job outcome for each chosen set of bands."""
    return {
        str(row.bands): str(row.judgement)
        for row in result.comparisons
        if row.measure == "cost_per_job_outcome"
    }


def build_app(store: Any | None = None, token: str | None = None) -> SelfBenchmarkApp:
    """The app for a page request (store defaults to the toolkit's store)."""
    if store is None:
        from toolkit.network.store import default_store

        store = default_store()
    return SelfBenchmarkApp(store=store, token=token)
