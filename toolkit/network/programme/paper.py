"""The summary and action paper's content, built from a programme summary (pure).

:func:`build_paper` turns :meth:`ProgrammeService.summary` into a :class:`Paper`: the
priority issues, what the sets found (by theme), the actions grouped by audience, the
members' feedback and the sources. Every paragraph has a key; the facilitator's own
wording for a key (kept in the store) replaces ours. ``toolkit.present.programme_paper``
renders it as A4 HTML and ``toolkit.present.word`` as a Word document.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict

from toolkit.network.programme.content import load_content
from toolkit.network.programme.models import (
    AUDIENCE_LABELS,
    NOTE_KIND_LABELS,
    Audience,
    NoteKind,
)

STATUS_LABELS = {"open": "Open", "done": "Done", "dropped": "Dropped"}


class _Part(BaseModel):
    model_config = ConfigDict(frozen=True)


class Paragraph(_Part):
    key: str
    text: str
    edited: bool = False


class PriorityRow(_Part):
    rank: int
    issue: str
    mean: str
    ratings: int
    spread: str
    chosen: bool


class Finding(_Part):
    theme: str
    where: str  # e.g. "Strategic set, 14 April 2026; Joint set, 2 June 2026"
    paragraph: Paragraph
    lists: tuple[tuple[str, tuple[str, ...]], ...]  # (heading, items)


class ActionLine(_Part):
    what: str
    who: str
    due: str
    status: str


class AudienceGroup(_Part):
    audience: str
    heading: str
    paragraph: Paragraph
    actions: tuple[ActionLine, ...]


class Paper(_Part):
    title: str
    date: str
    introduction: Paragraph
    priorities_paragraph: Paragraph
    priorities: tuple[PriorityRow, ...]
    findings: tuple[Finding, ...]
    actions: tuple[AudienceGroup, ...]
    feedback: Paragraph
    closing: Paragraph
    sources: tuple[str, ...]

    def paragraphs(self) -> list[Paragraph]:
        """Every editable paragraph, in reading order."""
        return [
            self.introduction,
            self.priorities_paragraph,
            *(finding.paragraph for finding in self.findings),
            *(group.paragraph for group in self.actions),
            self.feedback,
            self.closing,
        ]


def long_date(value: str | dt.date) -> str:
    """``2026-04-14`` -> ``14 April 2026``."""
    day = dt.date.fromisoformat(value) if isinstance(value, str) else value
    return f"{day.day} {day:%B %Y}"


def _para(key: str, default: str, edits: dict[str, str]) -> Paragraph:
    if key in edits and edits[key].strip():
        return Paragraph(key=key, text=edits[key], edited=True)
    return Paragraph(key=key, text=default)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def build_paper(summary: dict[str, Any], today: dt.date | None = None) -> Paper:
    """The paper for a programme summary (see :meth:`ProgrammeService.summary`)."""
    edits: dict[str, str] = summary.get("paragraphs") or {}
    members = summary["members"]
    meetings = summary["meetings"]
    strategic = sum(1 for m in members if m["role"] == "strategic")
    dates = sorted(m["date"] for m in meetings)
    span = (
        f" between {long_date(dates[0])} and {long_date(dates[-1])}"
        if len(dates) > 1
        else (f" on {long_date(dates[0])}" if dates else "")
    )
    intro = (
        f"{summary['title']} brought together {_plural(len(members), 'member organisation')} "
        f"({strategic} strategic, {len(members) - strategic} practitioner) in a programme of "
        f"{_plural(len(meetings), 'meeting')}{span}. Members chose the issues to work on, met in "
        "action learning sets to share practice and agree what to do next, and received a note "
        "of each discussion. This paper brings together the priority issues, what the sets "
        "found and the actions agreed, grouped by who needs to act."
    )

    rated = [p for p in summary["priorities"] if p["ratings"]]
    rows = tuple(
        PriorityRow(
            rank=index,
            issue=p["issue"],
            mean=f"{p['mean_score']:.1f}" if p["mean_score"] is not None else "not rated",
            ratings=p["ratings"],
            spread=(str(p["spread"]) if p.get("spread") is not None else "–"),
            chosen=bool(p.get("chosen")),
        )
        for index, p in enumerate(summary["priorities"], start=1)
    )
    if rated:
        top = rated[0]
        priorities_text = (
            "Members rated each candidate issue from 1 (not a priority) to 5 (a top priority). "
            f"The highest rated was {top['issue']}, with a mean score of {top['mean_score']:.1f} "
            f"from {_plural(top['ratings'], 'rating')}. The spread is the gap between the highest "
            "and lowest score: a wide spread means members disagreed."
        )
    else:
        priorities_text = "No member has rated the candidate issues yet."

    by_theme: dict[str, list[dict[str, Any]]] = {}
    for meeting in meetings:
        by_theme.setdefault(meeting["theme"], []).append(meeting)
    findings = []
    for theme, held in by_theme.items():
        where = "; ".join(f"{m['set'] or 'whole network'}, {long_date(m['date'])}" for m in held)
        lists = []
        for kind in NoteKind:
            items = tuple(n["text"] for m in held for n in m["notes"] if n["kind"] == kind.value)
            if items:
                lists.append((NOTE_KIND_LABELS[kind], items))
        noted = sum(len(items) for _, items in lists)
        default = f"{theme} was discussed at {_plural(len(held), 'meeting')} ({where}). " + (
            "The lists below give the issues members raised, the ideas and solutions they "
            "put forward and the outcomes they reached."
            if noted
            else "No note has been recorded for it yet."
        )
        findings.append(
            Finding(
                theme=theme,
                where=where,
                paragraph=_para(f"findings:{theme}", default, edits),
                lists=tuple(lists),
            )
        )

    groups = []
    for audience in Audience:
        chosen = [a for a in summary["actions"] if a["audience"] == audience.value]
        lines = tuple(
            ActionLine(
                what=a["what"],
                who=a["who"],
                due=long_date(a["due"]),
                status=STATUS_LABELS.get(a["status"], a["status"]),
            )
            for a in chosen
        )
        done = sum(1 for a in chosen if a["status"] == "done")
        default = (
            f"{_plural(len(chosen), 'action')} agreed, {done} done so far."
            if chosen
            else "No actions were agreed for this group."
        )
        groups.append(
            AudienceGroup(
                audience=audience.value,
                heading=AUDIENCE_LABELS[audience],
                paragraph=_para(f"actions:{audience.value}", default, edits),
                actions=lines,
            )
        )

    feedback = summary.get("feedback") or []
    responses = sum(f["responses"] for f in feedback)
    useful = [f["useful_mean"] * f["responses"] for f in feedback if f["useful_mean"] is not None]
    if responses:
        mean = sum(useful) / responses
        contacts = sum(f["new_contacts"] for f in feedback)
        feedback_text = (
            f"Members returned {_plural(responses, 'feedback form')} after the meetings. On "
            f"average they rated the meetings {mean:.1f} out of 5 for usefulness, and reported "
            f"{_plural(contacts, 'new contact')} made through the network."
        )
    else:
        feedback_text = "No feedback forms have been returned yet."

    content = load_content()
    sources = tuple(content.cite(s.document, s.section) for s in content.practice_sources)
    return Paper(
        title=f"{summary['title']}: summary and action paper",
        date=long_date(today or dt.date.today()),
        introduction=_para("introduction", intro, edits),
        priorities_paragraph=_para("priorities", priorities_text, edits),
        priorities=rows,
        findings=tuple(findings),
        actions=tuple(groups),
        feedback=_para("feedback", feedback_text, edits),
        closing=_para(
            "closing",
            "Members are asked to take these actions back to their organisations, and the "
            "network will review progress on them at its next meeting.",
            edits,
        ),
        sources=sources,
    )
