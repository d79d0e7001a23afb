"""The turning-the-curve worksheet app: widgets (view) and glue.

The prompts come from ``workbook/turning_the_curve.yaml`` (:func:`load_worksheet`); the baseline,
forecast and target from :mod:`toolkit.worksheets.turning_the_curve`; the chart from
:func:`toolkit.charts.specs.curve_chart`; the take-away copies from :mod:`toolkit.present.workbook_export`.
State is what the user typed, as text, so nothing typed is ever lost, even when it cannot be
read; each change is saved under a private resume id.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ipywidgets as w
from ipywidgets.widgets.widget_description import DescriptionStyle
from ipywidgets.widgets.widget_string import TextStyle

from toolkit.charts import specs as charts
from toolkit.domain.bands import BAND_SET_LABELS, BandSet, band_for
from toolkit.present import formatting as fmt
from toolkit.present.wording import counted
from toolkit.present.workbook_export import worksheet_html, worksheet_xlsx
from toolkit.ui import views
from toolkit.ui.form_app import FORM_CSS, XLSX_MIME, FormApp
from toolkit.worksheets.turning_the_curve import (
    ACTION_COLUMNS,
    KINDS,
    CurveAnalysis,
    Entries,
    Step,
    Worksheet,
    WorksheetContentError,
    WorksheetField,
    analyse,
    blank_action,
    entries_to_json,
    kind_words,
    load_worksheet,
    restore,
    show,
)

APP = "turning_the_curve"
PAGE = "turning_the_curve.ipynb"
#: The step after whose fields the baseline results and chart are shown.
RESULTS_AFTER = "target_year"


def study_bands_html() -> str:
    """The study's job outcome rate bands, as the evidence for 'what works'."""
    rows = []
    for band_set in BandSet:
        band = band_for("job_outcome_rate", band_set)
        rows.append(
            f'<tr><th scope="row">{views.esc(BAND_SET_LABELS[band_set].capitalize())}</th>'
            f'<td class="num">{views.esc(fmt.percent(band.low))} to '
            f"{views.esc(fmt.percent(band.high))}</td>"
            f'<td class="num">{views.esc(fmt.percent(band.mean))}</td>'
            f'<td class="num">{band.services}</td></tr>'
        )
    source = band_for("job_outcome_rate", BandSet.evidence_based).source
    return (
        "<table><caption>Job outcome rates in the study (mean \u00b1 one standard deviation)"
        '</caption><tr><th scope="col">Services</th><th scope="col">Band</th>'
        '<th scope="col">Mean</th><th scope="col">Number of services</th></tr>'
        f'{"".join(rows)}</table><p class="toolkit-note">Source: {views.esc(source)}. '
        "Evidence-based services (IPS and supported employment following its stages) reached "
        "higher job outcome rates, on average, than the study's services as a whole.</p>"
    )


class TurningTheCurveApp(FormApp):
    """Work through the turning-the-curve worksheet for one employment indicator."""

    APP = APP
    PAGE = PAGE
    SAVED_WHAT = "worksheet"

    def __init__(
        self,
        store: Any | None = None,
        token: str | None = None,
        worksheet: Worksheet | None = None,
        chart_delay: float = 0.3,
    ):
        self._start_form(store, chart_delay)
        self.token = token
        self.content_error: WorksheetContentError | None = None
        try:
            self.worksheet = worksheet if worksheet is not None else load_worksheet()
        except WorksheetContentError as exc:
            self.content_error = exc
            self._build_error(
                "Turning the curve", "The worksheet could not be loaded.", exc.problems
            )
            return
        saved = self.open_token(token)
        self.entries, self.report = restore(self.worksheet, saved)
        if not self.entries.actions:
            self.entries.actions = [blank_action()]
        self.fields: dict[str, w.Widget] = {}
        self.action_fields: list[dict[str, w.Text]] = []
        self.analysis: CurveAnalysis | None = None
        self.rendered: list[charts.RenderedChart] = []
        self._chart_key: Any = None
        self._build()
        self.refresh()

    # ---------- view ----------
    def _build(self) -> None:
        self._text_style = TextStyle(description_width="initial")
        self._desc_style = DescriptionStyle(description_width="initial")
        self._wide = w.Layout(width="46em", max_width="100%")
        sheet = self.worksheet
        self.notice = w.HTML()
        self.baseline_errors = w.HTML()
        self.target_errors = w.HTML()
        self.sentences = w.HTML()
        self.curve_table = w.HTML()
        self.chart_box = w.HTML()
        self.actions_box = w.VBox()
        self.resume = w.HTML(self.resume_html())
        self.downloads = w.HTML(
            "<p>Download links for your worksheet appear here once you start typing.</p>"
        )
        children: list[w.Widget] = [
            w.HTML(
                views.CSS + FORM_CSS + f"<h1>{views.esc(sheet.title)}</h1>"
                f"<p>{views.esc(sheet.intro)}</p>"
            ),
            self.notice,
        ]
        for number, step in enumerate(sheet.steps, start=1):
            children += self._step(number, step)
        children += [
            w.HTML("<h2>Keep, share and take away</h2>"),
            self.resume,
            self.downloads,
        ]
        self.widget = w.VBox(children, layout=w.Layout(padding="0 1em"))
        self.widget.add_class("toolkit-app")
        self._build_actions()

    def _step(self, number: int, step: Step) -> list[w.Widget]:
        parts: list[w.Widget] = [
            w.HTML(f"<h2>{number}. {views.esc(step.title)}</h2><p>{views.esc(step.intro)}</p>")
        ]
        if step.help:
            button = w.Checkbox(
                description=f"Show help with step {number}",
                value=False,
                indent=False,
                layout=w.Layout(width="auto"),
            )
            text = w.HTML()
            button.observe(
                lambda change, h=step.help: setattr(
                    text,
                    "value",
                    f'<div class="toolkit-help"><p>{views.esc(h)}</p></div>'
                    if change["new"]
                    else "",
                ),
                names="value",
            )
            parts += [w.HBox([button]), text]
        if step.evidence:
            items = "".join(
                f"<li><strong>{views.esc(point.title)}.</strong> {views.esc(point.text)} "
                f'<span class="toolkit-note">(Source: {views.esc(point.source.document)}, '
                f"{views.esc(point.source.section)})</span></li>"
                for point in step.evidence
            )
            parts.append(w.HTML(f"<h3>The evidence</h3><ul>{items}</ul>"))
        if step.study_bands:
            parts.append(w.HTML(study_bands_html()))
        for item in step.fields:
            parts += self._field(item)
        if step.action_columns:
            add = w.Button(description="Add an action", icon="plus", layout=w.Layout(width="auto"))
            remove = w.Button(
                description="Remove the last action", icon="trash", layout=w.Layout(width="auto")
            )
            add.on_click(lambda _: self.add_action())
            remove.on_click(lambda _: self.remove_action())
            parts += [self.actions_box, w.HBox([add, remove])]
        return parts

    def _field(self, item: WorksheetField) -> list[w.Widget]:
        value = self.entries.fields.get(item.id, "")
        if item.kind == "choice":
            options = [(option.label, option.value) for option in item.options]
            allowed = [option.value for option in item.options]
            control: w.Widget = w.Dropdown(
                description=item.label,
                options=options,
                value=value if value in allowed else allowed[0],
                style=self._desc_style,
                layout=self._wide,
            )
            self.entries.fields[item.id] = control.value  # the choice shown is the choice made
        elif item.kind in ("long_text", "rows"):
            control = w.Textarea(
                description=item.label,
                value=value,
                placeholder=item.placeholder,
                rows=6 if item.kind == "rows" else 4,
                style=self._text_style,
                layout=self._wide,
            )
        else:
            control = w.Text(
                description=item.label,
                value=value,
                placeholder=item.placeholder,
                style=self._text_style,
                layout=self._wide,
            )
        control.add_class("toolkit-stacked")
        control.observe(lambda change, f=item.id: self._on_field(f, change["new"]), names="value")
        self.fields[item.id] = control
        parts: list[w.Widget] = [control]
        if item.help:
            parts.append(w.HTML(f'<p class="toolkit-note">{views.esc(item.help)}</p>'))
        if item.id == "baseline":
            parts.append(self.baseline_errors)
        if item.id == RESULTS_AFTER:
            parts += [
                self.target_errors,
                w.HTML("<h3>The baseline and the forecast if nothing changes</h3>"),
                self.sentences,
                self.chart_box,
                self.curve_table,
            ]
        return parts

    def _build_actions(self) -> None:
        columns = self.worksheet.action_step.action_columns
        self.action_fields = []
        rows = []
        self._loading = True
        try:
            for index, action in enumerate(self.entries.actions, start=1):
                boxes: dict[str, Any] = {}
                for column in columns:
                    box = w.Text(
                        description=f"{column.label} ({index})",
                        value=action.get(column.id, ""),
                        placeholder=column.placeholder if index == 1 else "",
                        style=self._text_style,
                        layout=w.Layout(width="26em" if column.id == "action" else "15em"),
                    )
                    box.add_class("toolkit-stacked")
                    box.observe(
                        lambda change, i=index - 1, c=column.id: self._on_action(
                            i, c, change["new"]
                        ),
                        names="value",
                    )
                    boxes[column.id] = box
                self.action_fields.append(boxes)
                row = w.HBox(
                    list(boxes.values()),
                    layout=w.Layout(flex_flow="row wrap", grid_gap="0 12px"),
                )
                row.add_class("toolkit-question")
                rows.append(row)
        finally:
            self._loading = False
        self.actions_box.children = rows

    # ---------- glue: user actions ----------
    @property
    def state(self) -> dict[str, Any]:
        return entries_to_json(self.entries)

    def _on_field(self, field_id: str, value: Any) -> None:
        if self._loading:
            return
        self.entries.fields[field_id] = "" if value is None else str(value)
        self.save()
        self.refresh()

    def _on_action(self, index: int, column: str, value: Any) -> None:
        if self._loading:
            return
        self.entries.actions[index][column] = "" if value is None else str(value)
        self.save()
        self.refresh()

    def add_action(self) -> None:
        """A new, blank row in the action plan."""
        self.entries.actions.append(blank_action())
        self._build_actions()
        self.save()
        self.refresh()

    def remove_action(self) -> None:
        """Remove the last row of the action plan (the only row is emptied instead)."""
        if len(self.entries.actions) > 1:
            self.entries.actions.pop()
        else:
            self.entries.actions = [blank_action()]
        self._build_actions()
        self.save()
        self.refresh()

    def set_values(self, values: Mapping[str, str]) -> None:
        """Type into the worksheet's boxes, as a user would (tests and imports)."""
        for field_id, value in values.items():
            self.fields[field_id].value = value

    def set_action(self, index: int, **columns: str) -> None:
        """Type into one row of the action plan (0 is the first), adding rows as needed."""
        while len(self.action_fields) <= index:
            self.add_action()
        for column, value in columns.items():
            if column not in ACTION_COLUMNS:
                raise KeyError(column)
            self.action_fields[index][column].value = value

    # ---------- glue: results ----------
    def _analyse(self) -> CurveAnalysis:
        fields = self.entries.fields
        kind = fields.get("indicator_kind") or ""
        return analyse(
            fields.get("indicator_name", ""),
            kind if kind in KINDS else self.fields["indicator_kind"].value,
            fields.get("baseline", ""),
            fields.get("target_value", ""),
            fields.get("target_year", ""),
            fields.get("indicator_better") or "higher",
        )

    def refresh(self) -> None:
        """Read the baseline and target, and say what they show."""
        analysis = self.analysis = self._analyse()
        notice = self.notice_html()
        if self.report:
            items = "".join(f"<li>{views.esc(line)}</li>" for line in self.report)
            notice += (
                '<div class="toolkit-aside" role="status"><p><strong>The worksheet has changed '
                "since you saved it.</strong> Nothing has been thrown away: this text stays saved "
                f"and appears in your downloads.</p><ul>{items}</ul></div>"
            )
        self.notice.value = notice
        baseline_problems = [str(problem) for problem in analysis.baseline.problems]
        notes = list(analysis.baseline.notes)
        self.baseline_errors.value = self._problems_html(
            baseline_problems, "These lines could not be read; the other lines are used:", notes
        )
        target_problems = [p for p in analysis.problems if p not in baseline_problems]
        self.target_errors.value = self._problems_html(target_problems, "", [])
        self.sentences.value = (
            '<div class="toolkit-fresh" aria-live="polite"><ul>'
            + "".join(f"<li>{views.esc(sentence)}</li>" for sentence in analysis.sentences())
            + "</ul></div>"
        )
        self.curve_table.value = self._table_html(analysis)
        self._charts_later()

    @staticmethod
    def _problems_html(problems: list[str], lead: str, notes: list[str]) -> str:
        parts = []
        if problems:
            items = "".join(f"<li>{views.error_html(problem)}</li>" for problem in problems)
            lead_html = f"<p>{views.esc(lead)}</p>" if lead else ""
            parts.append(
                f'<div class="toolkit-stale" role="alert">{lead_html}<ul>{items}</ul></div>'
            )
        if notes:
            items = "".join(f"<li>{views.esc(note)}</li>" for note in notes)
            parts.append(f'<ul class="toolkit-note">{items}</ul>')
        return "".join(parts)

    @staticmethod
    def _table_html(analysis: CurveAnalysis) -> str:
        rows: list[tuple[str, Any]] = [("Your figure", p) for p in analysis.baseline.points]
        if analysis.forecast is not None:
            rows += [("Forecast if nothing changes", p) for p in analysis.forecast.points]
        if analysis.target is not None:
            rows.append(("Target", analysis.target))
        if not rows:
            return ""
        body = "".join(
            f'<tr><th scope="row">{views.esc(point.label)}</th><td>{views.esc(what)}</td>'
            f'<td class="num">{views.esc(show(point.value, analysis.kind))}</td></tr>'
            for what, point in rows
        )
        return (
            "<table><caption>Baseline, forecast and target</caption>"
            '<tr><th scope="col">Year</th><th scope="col">What</th>'
            f'<th scope="col">Figure</th></tr>{body}</table>'
            '<p class="toolkit-note">The forecast is a straight line fitted to your baseline years '
            "by least squares and extended three years: where things are heading if the average "
            "change so far carries on. It is not a prediction.</p>"
        )

    def render_charts(self) -> None:
        """Draw the chart (after typing pauses) and refresh the downloads."""
        analysis = self.analysis or self._analyse()
        key = (
            analysis.indicator,
            analysis.kind,
            analysis.baseline.points,
            analysis.forecast,
            analysis.target,
            analysis.better,
        )
        if key != self._chart_key:
            self._chart_key = key
            self.rendered = []
            if analysis.has_chart:
                rate = analysis.is_percent
                forecast = analysis.forecast
                words = kind_words(analysis.kind).words
                arguments = (
                    analysis.indicator or words[:1].upper() + words[1:],
                    rate,
                    analysis.baseline.points,
                    forecast.points if forecast else (),
                )
                chart = charts.curve_chart(
                    *arguments,
                    trend=forecast.trend if forecast else None,
                    target=analysis.target,
                    band=analysis.band,
                    band_label=analysis.band_label or "evidence-based services",
                    y_title=kind_words(analysis.kind).axis_title,
                )
                summary = charts.curve_chart_summary(
                    *arguments,
                    target=analysis.target,
                    band=analysis.band,
                    band_label=analysis.band_label or "evidence-based services",
                )
                title = analysis.indicator or "The curve to turn"
                self.rendered = [
                    charts.RenderedChart("curve", title, charts.chart_svg(chart), summary)
                ]
            self.chart_box.value = "".join(views.chart_html(chart) for chart in self.rendered)
        self.refresh_downloads(analysis)

    def refresh_downloads(self, analysis: CurveAnalysis) -> None:
        entries: Entries = self.entries
        links = [
            views.download_link(
                "Your worksheet, action plan and figures (Excel)",
                "turning-the-curve.xlsx",
                XLSX_MIME,
                worksheet_xlsx(
                    self.worksheet, entries.fields, entries.actions, analysis, self.report
                ),
            ),
            views.download_link(
                "Printable copy of your worksheet (HTML, prints to A4)",
                "turning-the-curve.html",
                "text/html",
                worksheet_html(
                    self.worksheet,
                    entries.fields,
                    entries.actions,
                    analysis,
                    self.rendered,
                    self.report,
                ).encode(),
            ),
        ]
        typed = [
            item.id
            for step in self.worksheet.steps
            for item in step.fields
            if item.kind != "choice"
        ]
        filled = sum(1 for field_id in typed if str(entries.fields.get(field_id, "")).strip())
        actions = sum(1 for row in entries.actions if any(v.strip() for v in row.values()))
        years = len(analysis.baseline.points)
        self.downloads.value = self.downloads_with_note(
            f"These copies hold {counted(filled, 'filled box', 'filled boxes')}, "
            f"{counted(actions, 'action')} and {counted(years, 'baseline year')}, as things "
            "stood when you last paused.",
            links,
        )


def build_app(store: Any | None = None, token: str | None = None) -> TurningTheCurveApp:
    """The app for a page request (store defaults to the toolkit's store)."""
    if store is None:
        from toolkit.network.store import default_store

        store = default_store()
    return TurningTheCurveApp(store=store, token=token)


def warm_up() -> None:
    """Load the chart renderer and the worksheet before a page is requested (preheating)."""
    charts.warm_up()
    load_worksheet()
