"""HTML fragments for the apps, rendered by Jinja2 with autoescaping from view data.

Pure functions: no widgets, no measures computed. The fragments live in
``templates/fragments/`` and the styles in ``static/app.css``. Every piece of
user text is escaped by Jinja2; judgements carry a word and a symbol as well as
a colour, so colour is never the only cue.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from toolkit.charts.data import RenderedChart
from toolkit.content.caveats import Caveat
from toolkit.domain.bands import BANDED_MEASURES, BandSet, band_for
from toolkit.domain.invest import WhatIf
from toolkit.domain.results import ComparisonResult, GroupResult, ServiceResult
from toolkit.present import view_data
from toolkit.present.vocabulary import band_set_label, judgement_badge, measure_label

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The one Jinja2 environment for fragments and pages (autoescaping everywhere).

    Style sheets in ``static/`` can be included into a page that must carry its own styles.
    """
    return Environment(
        loader=FileSystemLoader([str(TEMPLATES), str(STATIC)]),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _render(name: str, /, **context: object) -> str:
    return environment().get_template(f"fragments/{name}.html").render(**context)


def fragment(name: str, /, **context: object) -> str:
    """Any fragment in ``templates/fragments/`` by name (``network_heading`` and so on)."""
    return _render(name, **context)


def message_html(
    text: str,
    role: str | None = "status",
    lead: str | None = None,
    css_class: str | None = None,
) -> str:
    """One paragraph: a status (``role="status"``), an alert, or plain (``role=None``)."""
    return _render("message", text=text, role=role, lead=lead, css_class=css_class)


@lru_cache(maxsize=4)
def style_sheet(name: str = "app") -> str:
    """A style sheet from ``static/`` as a ``<style>`` element (nothing fetched)."""
    return f"<style>\n{(STATIC / f'{name}.css').read_text(encoding='utf-8')}</style>\n"


def esc(text: object) -> str:
    """Escape anything for HTML text and attributes (for HTML still built outside a template)."""
    return html.escape(str(text), quote=True)


def badge(judgement: str) -> str:
    """A judgement's badge: symbol, word and style."""
    macro = environment().get_template("fragments/badge.html").module.badge  # type: ignore[attr-defined]
    return str(macro(judgement_badge(judgement)))


def error_html(message: str | None) -> str:
    """The message shown under a field, or nothing."""
    return _render("error", message=message)


def status_html(stale: bool, problems: Sequence[str], has_results: bool) -> str:
    """Whether the results on screen match what is typed."""
    return _render("status", stale=stale, problems=list(problems), has_results=has_results)


def results_hidden_html(problems: Sequence[str], had_results: bool) -> str:
    """Results are not shown while a field cannot be read: say which field to put right."""
    return _render("results_hidden", problems=list(problems), had_results=had_results)


def headline_html(sentence: str | None) -> str:
    """The one headline sentence that leads the results, or nothing."""
    return _render("headline", sentence=sentence)


def key_figure_rows(result: ServiceResult) -> list[tuple[str, str]]:
    """The rows of the key-figures panel."""
    shown = view_data.service_figures(result)
    figures = shown.figures
    rows = [
        (measure_label("cost_per_person"), figures.cost_per_person),
        (measure_label("cost_per_job_outcome"), figures.cost_per_job_outcome),
        (
            measure_label("job_outcome_rate"),
            f"{figures.job_outcome_rate} ({figures.job_outcomes} of "
            f"{figures.people_supported} people)",
        ),
        ("Split of job outcomes", shown.split),
        ("Per 100 people supported", shown.per_100),
    ]
    if shown.sli is not None:
        rows.append(("Support Level Index (1 to 10)", shown.sli))
    return rows


def key_figures_html(result: ServiceResult) -> str:
    """The service's measures as a small table."""
    return _render("key_figures", s=result, rows=key_figure_rows(result))


def comparisons_html(
    comparisons: Sequence[ComparisonResult],
    notes: Sequence[str] = (),
    result: ServiceResult | None = None,
) -> str:
    """Each measure against each chosen band, with judgement and sentence; then the notes.

    Given the service's ``result``, the prices line (with the study's own prices one click
    away) comes first and the two definitions of a job outcome come before the notes.
    """
    return _render(
        "comparisons",
        groups=view_data.comparison_groups(comparisons),
        notes=list(notes),
        prices=view_data.prices_view(result) if result else None,
        detail=view_data.outcome_detail_view(result) if result else None,
    )


def services_table_html(group: GroupResult) -> str:
    """Several services side by side, with the pooled total and the plain average."""
    return _render(
        "services_table",
        rows=[(r.name, view_data.KeyFigures.of(r.measures)) for r in group.services],
        pooled=view_data.KeyFigures.of(group.pooled) if group.pooled else None,
        mean=view_data.KeyFigures.of_mean(group.mean_of_services)
        if group.mean_of_services
        else None,
        prices=group.prices.describe() if group.prices else None,
    )


def what_if_html(result: WhatIf) -> str:
    """The budget what-if in words and a small table."""
    return _render("what_if", view=view_data.what_if_view(result))


def chart_src(svg: str) -> str:
    """An SVG as a data URI (Voila serves no files)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def chart_html(chart: RenderedChart) -> str:
    """A chart as an image with alternative text and a visible text summary beside it."""
    return _render(
        "chart",
        src=chart_src(chart.svg),
        alt=f"{chart.title}. {chart.summary}",
        summary=chart.summary,
    )


def caveats_html(caveats: Iterable[Caveat]) -> str:
    """The caveats panel, with the number of services behind each band."""
    rows = [
        (measure_label(m), [band_for(m, band_set).services for band_set in BandSet])
        for m in BANDED_MEASURES
    ]
    return _render(
        "caveats",
        caveats=list(caveats),
        groups=[band_set_label(b) for b in BandSet],
        rows=rows,
    )


def download_link(label: str, filename: str, mime: str, data: bytes) -> str:
    """A link carrying the bytes itself (Voila serves no files from the notebook folder)."""
    encoded = base64.b64encode(data).decode("ascii")
    return _render("download_link", label=label, filename=filename, mime=mime, encoded=encoded)


def resume_link_html(token: str | None, page: str) -> str:
    """The private link that reopens these entries, with a box to copy it from."""
    query = f"?id={token}" if token else ""
    return _render("resume_link", token=token, query=query, href=f"{page}{query}")


def upload_report_html(filename: str, problems: list[str], notes: list[str], added: int) -> str:
    """What happened to an uploaded spreadsheet: services added, every bad cell, notes."""
    return _render("upload_report", filename=filename, problems=problems, notes=notes, added=added)


def downloads_html(links: list[str]) -> str:
    """A list of already-rendered download links under a heading."""
    return (
        "<h3>Downloads</h3><ul>" + "".join(f"<li>{Markup(link)}</li>" for link in links) + "</ul>"
    )
