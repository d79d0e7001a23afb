"""The learning network's summary and action paper as A4 HTML (Jinja2, everything escaped)."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from toolkit.network.programme.models import Briefing
from toolkit.network.programme.paper import Paper, long_date
from toolkit.present import formatting as fmt

TEMPLATES = Path(__file__).resolve().parent / "templates"


def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def paper_html(paper: Paper) -> str:
    """The paper as one self-contained HTML page that prints to A4."""
    return _environment().get_template("programme_paper.html").render(paper=paper)


def briefing_html(briefing: Briefing) -> str:
    """A meeting's briefing pack as one self-contained HTML page that prints to A4."""
    return (
        _environment()
        .get_template("programme_briefing.html")
        .render(b=briefing, pooled=pooled_rows(briefing.pooled), long_date=long_date)
    )


#: Pooled figures shown in a briefing pack: (key in the session summary, label, formatter).
POOLED_FIGURES = (
    ("people_supported", "People supported", fmt.count),
    ("job_outcomes", "Job outcomes", fmt.count),
    ("job_outcome_rate", "Job outcome rate", fmt.percent),
    ("cost_per_person", "Cost per person supported", fmt.money),
    ("cost_per_job_outcome", "Cost per job outcome", fmt.money),
)
HIDDEN = "not shown (too few services to show safely)"


def pooled_rows(pooled: dict | None) -> list[tuple[str, str]]:
    """The pooled benchmark as (label, text) rows; a figure withheld by disclosure control
    reads "not shown", never a number."""
    if not pooled:
        return []
    rows = []
    for key, label, formatter in POOLED_FIGURES:
        if key in pooled:
            value = pooled[key]
            rows.append((label, HIDDEN if value is None else formatter(value)))
    return rows
