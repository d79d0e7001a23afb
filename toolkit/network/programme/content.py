"""The programme's content: candidate priority issues and evidence cards for a theme.

Read from ``data/programme.yaml`` (themes, document titles) and ``workbook/`` (the five
conditions and their questions) through the workbook's own loader.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

from toolkit.content import sources
from toolkit.content.paths import data_dir
from toolkit.network.programme.models import EvidenceCard
from toolkit.worksheets.commissioning_questions import load_workbook

#: Questions quoted on an evidence card (the card is a prompt, not the whole section).
CARD_PROMPTS = 3


class _Source(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    document: str
    section: str


class Theme(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    title: str
    description: str
    source: _Source
    evidence_sections: tuple[str, ...] = Field(min_length=1)


class ProgrammeContent(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    themes: tuple[Theme, ...]
    condition_sections: tuple[str, ...]
    trend_min_members: int = Field(ge=2)
    practice_sources: tuple[_Source, ...]

    def cite(self, document: str, section: str) -> str:
        return sources.cite(document, section)


@lru_cache(maxsize=4)
def load_content(path: Path | None = None) -> ProgrammeContent:
    """``data/programme.yaml``, checked."""
    path = path or data_dir() / "programme.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return ProgrammeContent.model_validate(raw)


def candidate_issues() -> list[tuple[str, str]]:
    """The issues offered at the start: (text, origin) with origin "seed" or "condition"."""
    content = load_content()
    workbook = load_workbook()
    issues = [(theme.title, "seed") for theme in content.themes]
    for section_id in content.condition_sections:
        section = workbook.section(section_id)
        if section is not None:
            issues.append((section.title, "condition"))
    return issues


def _sections_for(theme: str) -> tuple[str, ...]:
    content = load_content()
    workbook = load_workbook()
    wanted = " ".join(theme.lower().split())
    for item in content.themes:
        if item.title.lower() == wanted:
            return item.evidence_sections
    for section_id in content.condition_sections:
        section = workbook.section(section_id)
        if section is not None and section.title.lower() == wanted:
            return (section_id,)
    # A theme of the facilitator's own: sections whose title shares a word with it.
    words = {w for w in wanted.replace("-", " ").split() if len(w) > 3}
    return tuple(
        section.id
        for section in workbook.sections
        if words & set(section.title.lower().replace(":", " ").split())
    )


def evidence_cards(theme: str) -> list[EvidenceCard]:
    """Evidence cards for a meeting's theme, from the workbook sections it relates to."""
    content = load_content()
    workbook = load_workbook()
    cards = []
    for section_id in _sections_for(theme):
        section = workbook.section(section_id)
        if section is None:
            continue
        cards.append(
            EvidenceCard(
                title=section.title,
                summary=section.intro,
                prompts=tuple(q.text for q in section.questions[:CARD_PROMPTS]),
                source=content.cite(section.source.document, section.source.section),
            )
        )
    return cards
