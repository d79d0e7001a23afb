"""The spend map app: widgets (view) and glue. The map itself comes from the toolkit.

Entries are kept as text (:mod:`toolkit.worksheets.spend_map.entries`), read into a
map and a list of problems on every change, and shown as HTML: the share on support
into paid work against the study's 32%, gaps, possible duplication, streams against
the study's Table 2, a chart of the mix beside the study's (drawn by the shared
chart process), downloads (Excel, printable summary) and links that open provision
lines with figures in the self-benchmark app. Each change is saved under a private
resume id.
"""

from __future__ import annotations

import copy
from typing import Any

import ipywidgets as w
from ipywidgets.widgets.widget_description import DescriptionStyle
from ipywidgets.widgets.widget_string import TextStyle

from toolkit.charts import jobs as chart_jobs
from toolkit.charts.data import RenderedChart
from toolkit.charts.spend import mix_charts
from toolkit.content.paths import data_dir
from toolkit.content.sources import cite
from toolkit.present import formatting as fmt
from toolkit.present.spend_sheets import (
    SpreadsheetRefused,
    export_xlsx,
    read_spend,
    template_csv,
    template_xlsx,
)
from toolkit.present.spend_summary import render_summary
from toolkit.ui import views
from toolkit.ui.commissioning_questions import FORM_CSS, XLSX_MIME
from toolkit.ui.kernel import Debouncer
from toolkit.ui.resume import open_saved, save_state
from toolkit.ui.self_benchmark import PAGE as BENCHMARK_PAGE
from toolkit.ui.spend_share import NetworkMixPanel, SpendShareHost, SpendSharePanel
from toolkit.worksheets.spend_map import national
from toolkit.worksheets.spend_map.entries import (
    LINE_FIELDS,
    LINE_LABELS,
    blank_entries,
    blank_line,
    clean_entries,
    entries_from_map,
    merge_entries,
    read_entries,
    self_benchmark_state,
)
from toolkit.worksheets.spend_map.model import (
    ChangeArea,
    Eligibility,
    Factor,
    KnownUse,
    SpendMap,
)
from toolkit.worksheets.spend_map.network import shared_payload
from toolkit.worksheets.spend_map.result import group_label, map_result, type_label
from toolkit.worksheets.spend_map.vocab import (
    CLIENT_GROUP_LABELS,
    SUPPORT_TYPE_LABELS,
    FiveYearChange,
    Flag,
    Organisation,
)

APP = "spend_map"
PAGE = "spend_map.ipynb"
BENCHMARK_APP = "self_benchmark"
NOT_ANSWERED = ("Not answered", "")
FLAG_OPTIONS = [NOT_ANSWERED, ("Rough estimates", Flag.rough.value),
                ("Calculated figures", Flag.calculated.value)]
YES_NO = [NOT_ANSWERED, ("Yes", "yes"), ("No", "no")]
FIVE_YEAR = [NOT_ANSWERED, ("More", FiveYearChange.more.value),
             ("About the same", FiveYearChange.same.value), ("Less", FiveYearChange.less.value)]
TYPE_OPTIONS = [("Choose a type", "")] + [(label, t.value) for t, label in SUPPORT_TYPE_LABELS.items()]
GROUP_OPTIONS = [("Choose a group", "")] + [(label, g.value) for g, label in CLIENT_GROUP_LABELS.items()]
HTML_MIME = "text/html"
CSV_MIME = "text/csv"


def intro_html() -> str:
    """The page's opening: what the map is for, with the study's 44%."""
    could_not = national.figure("could_not_break_down_spend", "yes")
    return (
        "<h1>Where the money goes: a map of local spend and provision</h1>"
        f"<p>In the NDTi study, {fmt.percent(could_not.value, 0)} of commissioners could not say "
        "what their employment support budget was spent on "
        f'<span class="toolkit-note">(Source: {views.esc(could_not.source)})</span>. Without '
        "that, it is hard to know whether the money goes on the support with the best evidence "
        "of getting people into paid jobs. List each piece of provision below (who provides it, "
        "from which budget, what kind of support and for whom, and what it costs a year). The "
        "map then shows your mix of spend against the study's national picture, the gaps and "
        "any possible duplication.</p>"
        '<p class="toolkit-note">Figures are shown as entered, in the prices of the year they '
        "cover unless you say another year. Nothing you type leaves this server unless you "
        "choose to share the map's totals with a learning-network session (section 8).</p>"
    )


class SpendMapApp:
    """Map one area's spend on employment support for one year."""

    def __init__(self, store: Any | None = None, token: str | None = None,
                 chart_delay: float = 0.5):
        self.store = store
        self.token = token
        self.entries = blank_entries()
        self.resume_notice = ""
        self.save_problem = ""
        self.result: dict[str, Any] | None = None
        self.spend_map: SpendMap | None = None
        self.problems: list[str] = []
        self.rendered: list[RenderedChart] = []
        self._chart_key: Any = None
        self._loading = False
        self.line_fields: list[dict[str, w.Widget]] = []
        self._later = Debouncer(chart_delay, self.render_extras)
        self._build()
        if token:
            self.open(token)
        else:
            self.refresh()

    # ---------- view ----------
    def _text(self, label: str, value: str = "", placeholder: str = "", width: str = "36em",
              area: bool = False) -> w.Widget:
        cls = w.Textarea if area else w.Text
        box = cls(description=label, value=value, placeholder=placeholder,
                  style=TextStyle(description_width="initial"),
                  layout=w.Layout(width=width, max_width="100%"))
        box.add_class("toolkit-stacked")
        return box

    def _choice(self, label: str, options: list, width: str = "36em") -> w.Dropdown:
        box = w.Dropdown(description=label, options=options, value=options[0][1],
                         style=DescriptionStyle(description_width="initial"),
                         layout=w.Layout(width=width, max_width="100%"))
        box.add_class("toolkit-stacked")
        return box

    def _build(self) -> None:
        self.notice = w.HTML()
        self.fields: dict[str, w.Widget] = {
            "area": self._text("Area (council or partnership)", placeholder="e.g. Anyshire"),
            "year": self._text("Year the figures cover", placeholder="e.g. 2025-26", width="20em"),
            "price_year": self._text("Prices of which year are your money figures in?",
                                     placeholder="blank: the year they cover", width="30em"),
        }
        self.lines_box = w.VBox()
        add = w.Button(description="Add a provision line", icon="plus", layout=w.Layout(width="auto"))
        remove = w.Button(description="Remove the last line", icon="trash", layout=w.Layout(width="auto"))
        example = w.Button(description="Fill in the fictional example", icon="file", layout=w.Layout(width="auto"))
        add.on_click(lambda _: self.add_line())
        remove.on_click(lambda _: self.remove_line())
        example.on_click(lambda _: self.load_example())
        self.upload = w.FileUpload(description="Upload a filled spend map (.xlsx or .csv)",
                                   accept=".xlsx,.csv", multiple=False,
                                   layout=w.Layout(width="auto"))
        self.upload.observe(self._on_upload, names="value")
        self.upload_report = w.HTML()
        self.fields["lines_flag"] = self._choice(
            "Are these figures rough estimates or calculated?", FLAG_OPTIONS)
        self.fields["other_groups_named"] = self._text(
            "Which client groups does 'other' cover?", placeholder="e.g. autism, physical disability")
        self.fields["collects_numbers_into_work"] = self._choice(
            "Do you collect the numbers supported into work for each investment?", YES_NO)

        self.problems_box = w.HTML()
        self.findings = w.HTML()
        self.mix_table = w.HTML()
        self.chart_box = w.HTML()
        self.gaps_box = w.HTML()
        self.benchmark_box = w.HTML()
        make_links = w.Button(description="Make links to the self-benchmark app",
                              icon="external-link", layout=w.Layout(width="auto"))
        make_links.on_click(lambda _: self.make_benchmark_links())
        self.benchmark_links = w.HTML()

        self.stream_fields: list[dict[str, w.Widget]] = []
        self.streams_box = w.VBox()
        self.fields["five_year"] = self._choice("Spend this year against five years ago", FIVE_YEAR)
        self.streams_result = w.HTML()

        self.org_fields = {
            org.value: self._text(f"{org.value[0].upper() + org.value[1:]}: share of this year's "
                                  "spend (%)", width="30em")
            for org in Organisation
        }
        self.fields["organisations_flag"] = self._choice(
            "Are these shares rough estimates or calculated?", FLAG_OPTIONS)

        self.fields["eligibility"] = self._choice(
            "Are the services you fund for eligible people only, or open to others?",
            [NOT_ANSWERED] + [(e.value.capitalize(), e.value) for e in Eligibility])
        self.fields["personal_budgets_allowed"] = self._choice(
            "May people spend a personal budget on employment support?", YES_NO)
        self.fields["personal_budgets_use"] = self._choice(
            "Do you know whether people are doing so?",
            [NOT_ANSWERED] + [(k.value.capitalize(), k.value) for k in KnownUse])
        self.fields["personal_budgets_amount_known"] = self._choice(
            "Do you know how much of their personal budgets goes on it?", YES_NO)
        self.fields["under_18_options"] = self._text(
            "Employment support for disabled people under 18 in your area", area=True)
        self.fields["under_18_spend"] = self._text("Spend on that support for under-18s (£ a year)",
                                                   width="24em")
        self.fields["expected_change"] = self._choice(
            "Expected change in spend over the next year or beyond", FIVE_YEAR)
        self.area_boxes = {
            area.value: w.Checkbox(description=f"Change expected in {area.value}", value=False,
                                   indent=False, layout=w.Layout(width="auto"))
            for area in ChangeArea
        }
        self.fields["expected_change_notes"] = self._text("Describe the expected changes",
                                                          area=True)
        rank_options = [("Does not apply", "")] + [(str(n), str(n)) for n in range(1, len(Factor) + 1)]
        self.rank_fields = {
            factor.value: self._choice(f"Rank: {factor.value}", rank_options, width="36em")
            for factor in Factor
        }
        self.fields["other_factor"] = self._text("Other factor: please say what")

        self.resume = w.HTML(views.resume_link_html(self.token, PAGE))
        self.downloads = w.HTML("<p>Download links appear here once you start typing.</p>")
        self.share_panel = SpendSharePanel(SpendShareHost(
            store=self.store, payload=self._shared_totals, token=self._saved_token,
            problems=lambda: self.problems))
        self.network_panel = NetworkMixPanel(self.store)

        for name, box in self.fields.items():
            box.observe(lambda change, n=name: self._on_field(n, change["new"]), names="value")
        for name, box in self.org_fields.items():
            box.observe(lambda change, n=name: self._on_org(n, change["new"]), names="value")
        for name, box in self.rank_fields.items():
            box.observe(lambda change, n=name: self._on_rank(n, change["new"]), names="value")
        for name, box in self.area_boxes.items():
            box.observe(lambda change, n=name: self._on_area(n, change["new"]), names="value")

        f = self.fields
        children = [
            w.HTML(views.CSS + FORM_CSS + intro_html()), self.notice,
            w.HTML("<h2>1. About the map</h2>"), f["area"], f["year"], f["price_year"],
            w.HTML("<h2>2. Provision lines: who provides what, for whom, at what cost</h2>"
                   "<p>One line for each piece of provision. A service funded from two budgets "
                   "is two lines. People supported and job outcomes are optional; a line with "
                   "them can be opened in the self-benchmark app.</p>"
                   '<p class="toolkit-note">Support into paid work means work paid at the '
                   "minimum wage or more; anything paid less is unpaid work.</p>"),
            self.lines_box, w.HBox([add, remove, example]),
            w.HTML("<p>Or fill in the spend map template (download it below) and upload it:</p>"),
            self.upload, self.upload_report,
            f["lines_flag"], f["other_groups_named"], f["collects_numbers_into_work"],
            w.HTML("<h2>3. What the map shows</h2>"), self.problems_box, self.findings,
            self.chart_box, self.mix_table, self.gaps_box,
            w.HTML("<h3>Open provision lines in the self-benchmark app</h3>"), self.benchmark_box,
            make_links, self.benchmark_links,
            w.HTML("<h2>4. Spend by budget stream over three years</h2><p>Spend last year, this "
                   "year and planned for next year, from each budget. Blank where not known.</p>"),
            self.streams_box, f["five_year"], self.streams_result,
            w.HTML("<h2>5. Who delivers the support</h2><p>Shares of this year's spend, as "
                   "percentages.</p>"),
            *self.org_fields.values(), f["organisations_flag"],
            w.HTML("<h2>6. More about your commissioning</h2>"),
            f["eligibility"], f["personal_budgets_allowed"], f["personal_budgets_use"],
            f["personal_budgets_amount_known"], f["under_18_options"], f["under_18_spend"],
            f["expected_change"], *self.area_boxes.values(), f["expected_change_notes"],
            w.HTML("<h3>What has driven your pattern of investment?</h3><p>Rank the factors "
                   "that apply, 1 for the most important; leave the others as 'does not apply'."
                   "</p>"),
            *self.rank_fields.values(), f["other_factor"],
            w.HTML("<h2>7. Keep, share and take away</h2>"), self.resume, self.downloads,
            w.HTML("<h2>8. A learning network's mix of spend</h2>"), self.share_panel.widget,
            self.network_panel.widget,
            w.HTML("<h2>What the map does not tell you</h2><p>The map shows where the money "
                   "goes, not what it achieves: it does not measure cost per job or the quality "
                   "of support (the self-benchmark app does that). A gap may be met by provision "
                   "funded by someone else, and possible duplication may be services that reach "
                   "different people: both are prompts to check, not findings.</p>"),
        ]
        self.widget = w.VBox(children, layout=w.Layout(padding="0 1em"))
        self.widget.add_class("toolkit-app")
        self._build_lines()
        self._build_streams()

    def _build_lines(self) -> None:
        self._loading = True
        try:
            self.line_fields = []
            rows = []
            for index, line in enumerate(self.entries["lines"], start=1):
                boxes: dict[str, w.Widget] = {}
                for name in LINE_FIELDS:
                    label = f"{LINE_LABELS[name]} (line {index})"
                    if name == "support_type":
                        box = self._choice(label, TYPE_OPTIONS, width="24em")
                        box.value = line[name] if line[name] in dict(
                            (v, k) for k, v in TYPE_OPTIONS) else ""
                    elif name == "client_group":
                        box = self._choice(label, GROUP_OPTIONS, width="16em")
                        box.value = line[name] if line[name] in dict(
                            (v, k) for k, v in GROUP_OPTIONS) else ""
                    else:
                        width = {"provider": "20em", "funding_stream": "13em"}.get(name, "10em")
                        placeholder = {"funding_stream": "e.g. social care",
                                       "annual_spend": "e.g. 85000"}.get(name, "")
                        box = self._text(label, line[name], placeholder if index == 1 else "",
                                         width)
                    box.observe(lambda change, i=index - 1, n=name: self._on_line(
                        i, n, change["new"]), names="value")
                    boxes[name] = box
                self.line_fields.append(boxes)
                row = w.HBox(list(boxes.values()),
                             layout=w.Layout(flex_flow="row wrap", grid_gap="0 12px"))
                row.add_class("toolkit-question")
                rows.append(row)
            self.lines_box.children = rows
        finally:
            self._loading = False

    def _build_streams(self) -> None:
        self._loading = True
        try:
            self.stream_fields = []
            rows = []
            for index, stream in enumerate(self.entries["streams"]):
                name = stream["stream"] or "other stream"
                boxes: dict[str, w.Widget] = {}
                if index >= 3:
                    boxes["stream"] = self._text(f"Name of the other stream ({index - 2})",
                                                 stream["stream"], "e.g. public health", "16em")
                for key, when in (("last", "last year"), ("this", "this year"),
                                  ("next", "next year")):
                    boxes[key] = self._text(f"{name.capitalize()}: {when} (£)", stream[key],
                                            width="13em")
                boxes["flag"] = self._choice(f"{name.capitalize()}: rough or calculated?",
                                             FLAG_OPTIONS, width="16em")
                boxes["flag"].value = stream["flag"] if stream["flag"] in (
                    Flag.rough.value, Flag.calculated.value) else ""
                for key, box in boxes.items():
                    box.observe(lambda change, i=index, k=key: self._on_stream(
                        i, k, change["new"]), names="value")
                self.stream_fields.append(boxes)
                row = w.HBox(list(boxes.values()),
                             layout=w.Layout(flex_flow="row wrap", grid_gap="0 12px"))
                rows.append(row)
            self.streams_box.children = rows
        finally:
            self._loading = False

    # ---------- glue: user actions ----------
    def _changed(self) -> None:
        self.save()
        self.refresh()

    def _on_field(self, name: str, value: Any) -> None:
        if not self._loading:
            self.entries[name] = "" if value is None else str(value)
            self._changed()

    def _on_org(self, name: str, value: Any) -> None:
        if not self._loading:
            self.entries["organisations"][name] = str(value or "")
            self._changed()

    def _on_rank(self, name: str, value: Any) -> None:
        if not self._loading:
            self.entries["factor_ranks"][name] = str(value or "")
            self._changed()

    def _on_area(self, name: str, value: bool) -> None:
        if self._loading:
            return
        areas = [a for a in self.entries["expected_change_areas"] if a != name]
        self.entries["expected_change_areas"] = areas + ([name] if value else [])
        self._changed()

    def _on_line(self, index: int, name: str, value: Any) -> None:
        if not self._loading:
            self.entries["lines"][index][name] = "" if value is None else str(value)
            self._changed()

    def _on_stream(self, index: int, key: str, value: Any) -> None:
        if not self._loading:
            self.entries["streams"][index][key] = "" if value is None else str(value)
            self._changed()

    def add_line(self) -> None:
        """A new, blank provision line."""
        self.entries["lines"].append(blank_line())
        self._build_lines()
        self._changed()

    def remove_line(self) -> None:
        """Remove the last provision line (the only line is emptied instead)."""
        if len(self.entries["lines"]) > 1:
            self.entries["lines"].pop()
        else:
            self.entries["lines"] = [blank_line()]
        self._build_lines()
        self._changed()

    def load_example(self) -> None:
        """Add the fictional example's lines (labelled so in every provider's name) after any
        lines already typed, which are kept."""
        imported = read_spend(data_dir() / "examples" / "spend_lines_example.csv")
        kept = [line for line in self.entries["lines"] if any(v.strip() for v in line.values())]
        self.entries["lines"] = kept + entries_from_map(imported.spend_map)["lines"]
        self._build_lines()
        self._changed()

    def _on_upload(self, change: dict[str, Any]) -> None:
        files = change["new"]
        if files:
            upload = files[0]
            self.upload_report.value = self.import_file(upload["name"], bytes(upload["content"]))

    def import_file(self, filename: str, content: bytes) -> str:
        """Add a filled template or CSV of lines to the map (nothing typed is lost); report
        every bad cell."""
        try:
            imported = read_spend(content, filename)
        except SpreadsheetRefused as exc:
            return views.error_html(str(exc))
        self.set_entries(merge_entries(self.entries, entries_from_map(imported.spend_map)))
        self._changed()
        report = views.upload_report_html(filename, [str(p) for p in imported.problems],
                                          imported.notes, len(imported.spend_map.lines))
        return report.replace(" service added", " provision line read").replace(
            " services added", " provision lines read")

    def set_entries(self, entries: dict[str, Any]) -> None:
        """Show these entries in every box."""
        self.entries = clean_entries(entries)
        self._loading = True
        try:
            for name, box in self.fields.items():
                box.value = self.entries[name]
            for name, box in self.org_fields.items():
                box.value = self.entries["organisations"].get(name, "")
            for name, box in self.rank_fields.items():
                box.value = self.entries["factor_ranks"].get(name, "")
            for name, box in self.area_boxes.items():
                box.value = name in self.entries["expected_change_areas"]
        finally:
            self._loading = False
        self._build_lines()
        self._build_streams()

    def open(self, token: str | None) -> None:
        """Open the saved entries of a private link (a blank map when there are none)."""
        saved, self.token, self.resume_notice = open_saved(self.store, APP, token, "entries")
        if saved is not None:
            self.set_entries(saved)
        self.resume.value = views.resume_link_html(self.token, PAGE)
        self.refresh()

    def save(self) -> None:
        self.token, self.save_problem = save_state(self.store, APP, self.token,
                                                   copy.deepcopy(self.entries))
        self.resume.value = views.resume_link_html(self.token, PAGE)

    def _shared_totals(self) -> dict[str, Any] | None:
        """What sharing would send now: the map's totals (None without spend)."""
        if self.spend_map is None or not self.result or not self.result["total"]:
            return None
        return shared_payload(self.spend_map)

    def _saved_token(self) -> str | None:
        """Save the entries (making the private link if need be) and return its token."""
        self.save()
        return None if self.save_problem else self.token

    def make_benchmark_links(self) -> None:
        """Save each line with figures as a self-benchmark entry and link to it."""
        if self.spend_map is None:
            return
        lines = [line for line in self.spend_map.lines if line.has_figures]
        if not lines:
            self.benchmark_links.value = ("<p>No line has both an annual spend and a number of "
                                          "people supported yet.</p>")
            return
        if self.store is None:
            self.benchmark_links.value = views.error_html(
                "Links need the toolkit's store, which is not available here.")
            return
        items = []
        for line in lines:
            token, problem = save_state(self.store, BENCHMARK_APP, None,
                                        self_benchmark_state(line, self.spend_map.year))
            if problem or token is None:
                items.append(f"<li>{views.esc(line.provider)}: {views.esc(problem)}</li>")
                continue
            href = f"{BENCHMARK_PAGE}?id={token}"
            items.append(
                f'<li><a href="{views.esc(href)}" target="_blank" rel="noopener">Open '
                f"{views.esc(line.provider)} ({views.esc(type_label(line.support_type.value))}, "
                f"{views.esc(group_label(line.client_group.value).lower())}) in the "
                "self-benchmark app</a></li>"
            )
        self.benchmark_links.value = (
            f"<ul>{''.join(items)}</ul><p class=\"toolkit-note\">Each link opens a private copy "
            "with the spend, people supported and job outcomes filled in (job outcomes go in as "
            "new jobs: split them into new, kept and self-employed there if you know).</p>"
        )

    # ---------- glue: entries to results ----------
    def refresh(self) -> None:
        """Read the entries and show what the map shows (the chart and downloads follow)."""
        self.spend_map, self.problems = read_entries(self.entries)
        self.result = map_result(self.spend_map)
        notices = [n for n in (self.resume_notice, self.save_problem) if n]
        self.notice.value = "".join(f"<p><strong>{views.esc(n)}</strong></p>" for n in notices)
        self.problems_box.value = (
            '<div class="toolkit-stale"><strong>Not read yet, and why</strong> (the map below '
            "leaves these out):<ul>" + "".join(f"<li>{views.esc(p)}</li>" for p in self.problems)
            + "</ul></div>" if self.problems else "")
        self.findings.value = findings_html(self.result)
        self.mix_table.value = mix_table_html(self.result)
        self.gaps_box.value = gaps_html(self.result)
        self.streams_result.value = streams_html(self.result)
        count = self.result["lines_with_figures"]
        self.benchmark_box.value = (
            f"<p>{count} provision line{'s have' if count != 1 else ' has'} both an annual spend "
            "and a number of people supported, so can be measured against the study's bands in "
            "the self-benchmark app.</p>")
        self._later()

    def render_extras(self) -> None:
        """The chart and the download links (once typing pauses)."""
        result = self.result
        if result is None:  # refresh() sets it before it schedules this
            raise RuntimeError("render_extras runs only after refresh has read the entries")
        shares = result["shares_by_support_type"] if result else None
        prices = result["price_base"]["label"]
        key = (tuple(sorted(shares.items())) if shares else None, result["area"], prices)
        if key != self._chart_key:
            self._chart_key = key
            self.rendered = []
            if shares:
                try:
                    self.rendered = chart_jobs_mix(shares, result["area"] or "Your area",
                                                   prices)
                except chart_jobs.ChartsBusy:
                    self.chart_box.value = ("<p>The chart could not be drawn just now (the "
                                            "server is busy); the table below holds its figures."
                                            "</p>")
            if self.rendered:
                self.chart_box.value = "".join(views.chart_html(c) for c in self.rendered)
            elif not shares:
                self.chart_box.value = ""
        self.downloads.value = self.downloads_html()

    def downloads_html(self) -> str:
        """Links to the map in Excel, the printable summary and the blank templates."""
        links = [
            views.download_link("Blank spend map template (Excel)", "spend-map-template.xlsx",
                                 XLSX_MIME, template_xlsx()),
            views.download_link("Blank list of provision lines (CSV)", "spend-lines.csv",
                                 CSV_MIME, template_csv()),
        ]
        if self.result and self.spend_map is not None and (
                self.spend_map.lines or self.spend_map.streams):
            links.insert(0, views.download_link(
                "Printable summary of the map (A4, opens in a browser)", "spend-map-summary.html",
                HTML_MIME, render_summary(self.result, self.rendered,
                                          self.spend_map.lines).encode("utf-8")))
            links.insert(1, views.download_link(
                "The map in Excel (it can be uploaded again)", "spend-map.xlsx", XLSX_MIME,
                export_xlsx(self.spend_map, self.result)))
        return views.downloads_html(links)

    def flush(self) -> None:
        """Draw the chart and links now (tests)."""
        self._later.flush()

    def set_line(self, index: int, **values: str) -> None:
        """Type into one provision line (0 is the first), adding lines as needed (tests)."""
        while len(self.line_fields) <= index:
            self.add_line()
        for name, value in values.items():
            self.line_fields[index][name].value = value


def chart_jobs_mix(shares: dict[str, float], who: str, prices: str = "") -> list[RenderedChart]:
    """The mix chart, drawn by the shared chart process (or here when there is none)."""
    return mix_charts(shares, who, prices)


# ---------- views: results as HTML ----------


def findings_html(result: dict[str, Any]) -> str:
    """The key sentences, with the share against the study's 32% first."""
    items = "".join(f"<li>{views.esc(s)}</li>" for s in result["findings"])
    head = ""
    if result["share_paid_work"] is not None:
        nat = result["national"]["share_paid_work"]
        head = (
            '<p class="toolkit-key"><strong>Share of spend on support into paid work: '
            f"{views.esc(fmt.percent(result['share_paid_work']))}</strong> (the study: "
            f"{views.esc(fmt.percent(nat['value'], 0))}; source: {views.esc(nat['source'])})</p>"
        )
    example = ('<p><strong>EXAMPLE: these figures are fictional.</strong></p>'
               if result["example"] else "")
    return f"{example}{head}<ul>{items}</ul>"


def mix_table_html(result: dict[str, Any]) -> str:
    """Spend and share by type of support, beside the study's shares where it gives them."""
    if not result["total"]:
        return ""
    study = {label: share for label, share, _ in national.study_mix()}
    shares = result["shares_by_support_type"] or {}
    rows = "".join(
        f'<tr><th scope="row">{views.esc(type_label(key))}</th>'
        f'<td class="num">{views.esc(fmt.money(amount))}</td>'
        f'<td class="num">{views.esc(fmt.percent(shares.get(key, 0)))}</td>'
        f'<td class="num">{views.esc(fmt.percent(study[key], 0)) if key in study else "not given"}'
        "</td></tr>"
        for key, amount in result["by_support_type"].items()
    )
    group_shares = result["shares_by_client_group"] or {}
    groups = "".join(
        f'<tr><th scope="row">{views.esc(group_label(key))}</th>'
        f'<td class="num">{views.esc(fmt.money(amount))}</td>'
        f'<td class="num">{views.esc(fmt.percent(group_shares.get(key, 0)))}</td></tr>'
        for key, amount in result["by_client_group"].items()
    )
    return (
        "<table><caption>Spend by type of support</caption><tr><th scope=\"col\">Type</th>"
        '<th scope="col">Spend</th><th scope="col">Share</th><th scope="col">Study</th></tr>'
        f"{rows}<tr><th scope=\"row\">Total</th><td class=\"num\">"
        f"{views.esc(fmt.money(result['total']))}</td><td class=\"num\">100%</td><td></td></tr>"
        "</table><table><caption>Spend by client group</caption><tr><th scope=\"col\">Group</th>"
        f'<th scope="col">Spend</th><th scope="col">Share</th></tr>{groups}</table>'
    )


def gaps_html(result: dict[str, Any]) -> str:
    """Gaps and possible duplication, said as prompts to check."""
    if not result["total"]:
        return ""
    gaps = result["gaps"]
    parts = ["<h3>Gaps</h3>"]
    if gaps:
        parts.append("<p>No spend recorded on these types of support for these client groups "
                     "(spend for 'combined' counts for every group):</p><ul>")
        parts += [
            f"<li>{'<strong>' if g['priority'] else ''}"
            f"Gap: {views.esc(type_label(g['support_type']))} for "
            f"{views.esc(group_label(g['client_group']).lower())}"
            f"{'</strong>' if g['priority'] else ''}</li>"
            for g in gaps
        ]
        parts.append("</ul>")
    else:
        parts.append("<p>No gaps: each type of support has some spend for every client group "
                     "the map covers.</p>")
    parts.append("<h3>Possible duplication (worth checking, not a finding)</h3>")
    dups = result["possible_duplication"]
    if dups:
        parts.append("<ul>" + "".join(
            f"<li>{views.esc(type_label(d['support_type']))} for "
            f"{views.esc(group_label(d['client_group']).lower())}: "
            f"{len(d['streams'])} stream(s) ({views.esc(', '.join(d['streams']))}), "
            f"{len(d['providers'])} provider(s) ({views.esc(', '.join(d['providers']))}), "
            f"{views.esc(fmt.money(d['amount']))} in all</li>"
            for d in dups) + "</ul>")
    else:
        parts.append("<p>None: no type of support for one client group is funded through more "
                     "than one stream or provider.</p>")
    return "".join(parts)


def streams_html(result: dict[str, Any]) -> str:
    """Each stream's change to next year against the study's Table 2, and the five-year answer."""
    parts = []
    for row in result["streams"]:
        change, nat = row["change_to_next_year"], row["national_change"]
        if change is None:
            continue
        compared = (f"; in the study, {fmt.percent(nat[change], 0)} of {row['compared_with']} "
                    f"budgets did the same between 2011-12 and 2012-13" if nat else "")
        parts.append(f"<li>{views.esc(row['stream'].capitalize())}: {views.esc(change)} from this "
                     f"year to next{views.esc(compared)}.</li>")
    five = result["five_year"]
    if five:
        share = result["national"]["five_year"].get(five)
        parts.append(f"<li>Spend against five years ago: {views.esc(five)}. In the study "
                     f"{views.esc(fmt.percent(share, 0))} of respondents said the same.</li>")
    if not parts:
        return ""
    source = cite("ndti-2014", "Table 2 and the five-year figures (Section 4)")
    return (f"<ul>{''.join(parts)}</ul><p class=\"toolkit-note\">Source: {views.esc(source)}. "
            "Cut means down to nothing; equal means the same to the pound.</p>")


def build_app(store: Any | None = None, token: str | None = None) -> SpendMapApp:
    """The app for a page request (store defaults to the toolkit's store)."""
    if store is None:
        from toolkit.network.store import default_store

        store = default_store()
    return SpendMapApp(store=store, token=token)


def warm_up() -> None:
    """Before a page is requested: the chart process and the national figures."""
    chart_jobs.warm_up()
    national.national_figures()
