"""HTML for the apps, built from results the toolkit has already worked out.

Pure functions: no widgets, no measures computed. Every piece of user text is
escaped. Judgements carry a word and a symbol as well as a colour, so colour is
never the only cue.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Iterable, Sequence
from typing import Any

from toolkit.charts.data import RenderedChart
from toolkit.content.caveats import Caveat
from toolkit.domain.bands import BAND_SET_LABELS, BANDED_MEASURES, MEASURE_LABELS, BandSet, band_for
from toolkit.domain.invest import WhatIf
from toolkit.domain.measures import is_defined
from toolkit.present import formatting as fmt
from toolkit.present.outcome_detail_html import outcome_detail_html
from toolkit.present.prices_html import price_base_html, what_if_caveats_html

JUDGEMENT_BADGES = {
    "better": ("\u2714", "Better", "toolkit-better"),
    "similar": ("\u2248", "Similar", "toolkit-similar"),
    "worse": ("\u2716", "Worse", "toolkit-worse"),
    "no_judgement": ("\u2013", "Not judged", "toolkit-nojudge"),
}
POSITION_WORDS = {
    "below": "Below the band",
    "within": "Within the band",
    "above": "Above the band",
}

CSS = """
<style>
.toolkit-app { font-size: 16px; line-height: 1.5; color: #1a1a1a; max-width: 1100px; }
.toolkit-app h1 { font-size: 1.9em; margin: 0.2em 0; }
.toolkit-app h2 { font-size: 1.35em; margin: 1em 0 0.4em; }
.toolkit-app h3 { font-size: 1.1em; margin: 0.8em 0 0.3em; }
.toolkit-app table { border-collapse: collapse; margin: 0.4em 0; }
.toolkit-app th, .toolkit-app td { border: 1px solid #767676; padding: 4px 8px; text-align: left; }
.toolkit-app td.num { text-align: right; font-variant-numeric: tabular-nums; }
.toolkit-error { color: #a4161a; font-weight: 600; }
.toolkit-badge { display: inline-block; padding: 0 6px; border-radius: 3px;
  font-weight: 700; border: 1px solid #333; }
.toolkit-better { background: #d4efe4; }
.toolkit-similar { background: #eeeeee; }
.toolkit-worse { background: #fbe3d3; }
.toolkit-nojudge { background: #ffffff; }
.toolkit-stale { border-left: 6px solid #a4161a; padding-left: 8px; }
.toolkit-fresh { border-left: 6px solid #0072B2; padding-left: 8px; }
.toolkit-note { color: #333333; }
.toolkit-app a { color: #0b4f8a; text-decoration: underline; }
.toolkit-app *:focus, .toolkit-app *:focus-visible { outline: 3px solid #E69F00 !important;
  outline-offset: 1px; }
.toolkit-app .widget-label { color: #1a1a1a; }
.toolkit-app input[type="radio"], .toolkit-app input[type="checkbox"] { width: 24px !important;
  height: 24px !important; margin: 6px 10px 6px 0 !important; }
.toolkit-app .widget-radio-box label { line-height: 36px !important; height: auto !important;
  display: flex !important; align-items: center; }
figure.toolkit-figure { margin: 0.6em 0 1.2em; }
figure.toolkit-figure figcaption { max-width: 760px; }
@media print { .toolkit-noprint { display: none; } }
</style>
"""


def esc(text: object) -> str:
    """Escape anything for HTML text and attributes."""
    return html.escape(str(text), quote=True)


def badge(judgement: str) -> str:
    symbol, word, css = JUDGEMENT_BADGES[judgement]
    return (
        f'<span class="toolkit-badge {css}"><span aria-hidden="true">{symbol}</span> {word}</span>'
    )


def error_html(message: str | None) -> str:
    """The message shown under a field, or nothing."""
    if not message:
        return ""
    return f'<span class="toolkit-error">\u26a0 {esc(message)}</span>'


def status_html(stale: bool, problems: Sequence[str], has_results: bool) -> str:
    """Whether the results on screen match what is typed."""
    if not has_results and problems:
        items = "".join(f"<li>{esc(p)}</li>" for p in problems)
        return (
            '<div class="toolkit-stale" aria-live="polite"><strong>No results yet.</strong> '
            f"Complete these to see your results:<ul>{items}</ul></div>"
        )
    if stale:
        items = "".join(f"<li>{esc(p)}</li>" for p in problems)
        return (
            '<div class="toolkit-stale" aria-live="polite"><strong>Out of date:</strong> the '
            "results below are from your last complete figures. Put right:"
            f"<ul>{items}</ul></div>"
        )
    return (
        '<div class="toolkit-fresh" aria-live="polite"><strong>Up to date:</strong> '
        "these results match the figures you have typed.</div>"
    )


def key_figures_html(result: dict[str, Any]) -> str:
    """The service's measures as a small table."""
    m = result["measures"]
    per_100 = m["per_100_supported"]
    split = m["outcome_split"]
    rows = [
        ("Cost per person supported", fmt.money(m["cost_per_person"])),
        ("Cost per job outcome", fmt.money(m["cost_per_job_outcome"])),
        (
            "Job outcome rate",
            f"{fmt.percent(m['job_outcome_rate'])} ({fmt.count(m['job_outcomes'])} of "
            f"{fmt.count(m['people_supported'])} people)",
        ),
        (
            "Split of job outcomes",
            f"{fmt.percent(split['new_jobs'], 0)} new, {fmt.percent(split['jobs_retained'], 0)} "
            f"retained, {fmt.percent(split['self_employed'], 0)} self-employed"
            if split["new_jobs"] is not None
            else "no job outcomes to split",
        ),
        (
            "Per 100 people supported",
            f"{fmt.count(per_100['new_jobs'])} new jobs, {fmt.count(per_100['jobs_retained'])} "
            f"retained, {fmt.count(per_100['self_employed'])} self-employed",
        ),
    ]
    if m["support_level_index"] is not None:
        rows.append(("Support Level Index (1 to 10)", fmt.index(m["support_level_index"])))
    body = "".join(
        f'<tr><th scope="row">{esc(k)}</th><td class="num">{esc(v)}</td></tr>' for k, v in rows
    )
    name = esc(result["service"]["name"])
    return f"<table><caption>Key figures for {name}</caption>{body}</table>"


def comparisons_html(result: dict[str, Any]) -> str:
    """Each measure against each chosen band, with judgement and sentence."""
    parts = [price_base_html(result)]
    for band_set in BandSet:
        rows = [c for c in result["comparisons"] if c["bands"] == band_set.value]
        if not rows:
            continue
        items = []
        for row in rows:
            position = POSITION_WORDS.get(row["position"] or "", "Cannot be placed")
            items.append(
                f"<li><strong>{esc(MEASURE_LABELS[row['measure']])}</strong>: "
                f"{badge(row['judgement'])} "
                f'<span class="toolkit-note">({esc(position)})</span><br>{esc(row["text"])}</li>'
            )
        parts.append(
            f"<h3>Compared with {esc(BAND_SET_LABELS[band_set])}</h3><ul>{''.join(items)}</ul>"
        )
    parts.append(outcome_detail_html(result))
    notes = "".join(f"<li>{esc(note)}</li>" for note in result["notes"])
    if notes:
        parts.append(f"<h3>Notes</h3><ul>{notes}</ul>")
    return "".join(parts)


def services_table_html(
    rows: Sequence[tuple[str, dict[str, Any]]],
    pooled: dict[str, Any] | None,
    mean_row: dict[str, Any] | None,
) -> str:
    """Several services side by side, with the pooled total and the plain average."""
    header = (
        '<tr><th scope="col">Service</th><th scope="col">Total cost</th>'
        '<th scope="col">People supported</th>'
        '<th scope="col">Job outcomes</th><th scope="col">Cost per person</th>'
        '<th scope="col">Cost per job outcome</th><th scope="col">Job outcome rate</th></tr>'
    )

    def line(label: str, m: dict[str, Any], strong: bool = False) -> str:
        cells = [
            fmt.money(m.get("total_cost")) if m.get("total_cost") is not None else "",
            fmt.count(m.get("people_supported")) if m.get("people_supported") is not None else "",
            fmt.count(m.get("job_outcomes")) if m.get("job_outcomes") is not None else "",
            fmt.money(m["cost_per_person"]),
            fmt.money(m["cost_per_job_outcome"]),
            fmt.percent(m["job_outcome_rate"]),
        ]
        tag = "strong" if strong else "span"
        tds = "".join(f'<td class="num">{esc(c)}</td>' for c in cells)
        return f'<tr><th scope="row"><{tag}>{esc(label)}</{tag}></th>{tds}</tr>'

    body = "".join(line(name, m) for name, m in rows)
    if pooled is not None:
        body += line("All services together (pooled from totals)", pooled, strong=True)
    if mean_row is not None:
        body += line("Average of the services' own figures (each counts once)", mean_row)
    note = (
        '<p class="toolkit-note">The pooled row divides total cost by total people or total job '
        "outcomes, so large services weigh more. The average row is the plain mean of each "
        "service's own figure, the way the study's averages were formed.</p>"
    )
    return f"<table><caption>Your services side by side</caption>{header}{body}</table>{note}"


def _outcomes_text(value: object) -> str:
    return fmt.count(round(value)) if is_defined(value) else "not meaningful"  # type: ignore[arg-type]


def what_if_html(result: WhatIf) -> str:
    """The budget what-if in words and a small table."""
    rows = []
    for band_set, points in result.at_bands.items():
        cells = "".join(f'<td class="num">{esc(_outcomes_text(v))}</td>' for v in points.values())
        rows.append(f'<tr><th scope="row">{esc(BAND_SET_LABELS[band_set])}</th>{cells}</tr>')
    prices = f" ({esc(result.price_base.label)})" if result.price_base else ""
    table = (
        "<table><caption>Job outcomes this budget would buy at the study's cost per job outcome"
        f"{prices}</caption>"
        '<tr><th scope="col">Group</th><th scope="col">At the low band (cheapest)</th>'
        '<th scope="col">At the average</th><th scope="col">At the high band</th></tr>'
        f"{''.join(rows)}</table>"
    )
    sentences = "".join(f"<li>{esc(line)}</li>" for line in result.text)
    return f"<ul>{sentences}</ul>{table}{what_if_caveats_html(result.caveats)}"


def chart_html(chart: RenderedChart) -> str:
    """A chart as an image with alternative text and a visible text summary beside it."""
    return (
        f'<figure class="toolkit-figure">{chart.img_tag()}'
        f"<figcaption><strong>In words:</strong> {esc(chart.summary)}</figcaption></figure>"
    )


def caveats_html(caveats: Iterable[Caveat]) -> str:
    """The caveats panel, with the number of services behind each band."""
    items = "".join(
        f'<li><strong>{esc(c.title)}.</strong> {esc(c.text)} <span class="toolkit-note">'
        f"(Source: {esc(c.source.document)}, {esc(c.source.section)})</span></li>"
        for c in caveats
    )
    rows = []
    for measure in BANDED_MEASURES:
        cells = "".join(
            f'<td class="num">{band_for(measure, band_set).services}</td>' for band_set in BandSet
        )
        rows.append(f'<tr><th scope="row">{esc(MEASURE_LABELS[measure])}</th>{cells}</tr>')
    heads = "".join(f'<th scope="col">{esc(BAND_SET_LABELS[b])}</th>' for b in BandSet)
    table = (
        "<table><caption>Number of services behind each band (Table 8)</caption>"
        f'<tr><th scope="col">Measure</th>{heads}</tr>{"".join(rows)}</table>'
    )
    return f"<ul>{items}</ul>{table}"


def download_link(label: str, filename: str, mime: str, data: bytes) -> str:
    """A link carrying the bytes itself (Voila serves no files from the notebook folder)."""
    encoded = base64.b64encode(data).decode("ascii")
    return f'<a download="{esc(filename)}" href="data:{mime};base64,{encoded}">{esc(label)}</a>'


def resume_link_html(token: str | None, page: str) -> str:
    """The private link that reopens these entries."""
    if not token:
        return (
            "<p>Your entries are saved on this server as you type, once you start. A private "
            "link to come back to them will appear here.</p>"
        )
    href = f"{page}?id={token}"
    return (
        "<p><strong>Your private link:</strong> "
        f'<a href="{esc(href)}">{esc(page)}?id={esc(token[:6])}\u2026</a> '
        "(open it and bookmark it; anyone with this link can see and change these entries, "
        "so share it only with colleagues who should).</p>"
        f'<p class="toolkit-note">Full link to copy: <code>{esc(href)}</code></p>'
    )


def upload_report_html(filename: str, problems: list[str], notes: list[str], added: int) -> str:
    """What happened to an uploaded spreadsheet: services added, every bad cell, notes."""
    parts = [
        f"<p><strong>{esc(filename)}:</strong> {added} service{'s' if added != 1 else ''} added.</p>"
    ]
    if problems:
        items = "".join(f"<li>{esc(problem)}</li>" for problem in problems)
        parts.append(
            '<div class="toolkit-stale"><strong>Not read, and why</strong> (fix these in the file '
            f"and upload it again; the good rows are already in):<ul>{items}</ul></div>"
        )
    if notes:
        parts.append("<ul>" + "".join(f"<li>{esc(note)}</li>" for note in notes) + "</ul>")
    return "".join(parts)


def downloads_html(links: list[str]) -> str:
    """A list of download links under a heading."""
    return "<h3>Downloads</h3><ul>" + "".join(f"<li>{link}</li>" for link in links) + "</ul>"
