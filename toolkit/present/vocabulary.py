"""The presentation's words, each looked up in one place (data/vocabulary.yaml).

Labels of measures and groups, position and judgement words, the direction in
which a measure is better, and how a band's range is written. The HTML pages,
spreadsheet rows, chart inputs and the command line all use these functions.
"""

from __future__ import annotations

from dataclasses import dataclass

from toolkit.content.vocabulary import vocabulary
from toolkit.domain.compare import BETTER_DIRECTION

#: CSS class of each judgement's badge (a style, not a word: it lives with the style sheets).
BADGE_CLASSES = {
    "better": "better",
    "similar": "similar",
    "worse": "worse",
    "no_judgement": "nojudge",
}


@dataclass(frozen=True)
class Badge:
    """A judgement as a symbol, a word and a style: colour is never the only cue."""

    symbol: str
    word: str
    css: str


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def measure_label(measure: str) -> str:
    """``Cost per job outcome``."""
    return vocabulary().measures[measure]


def band_set_label(band_set: str) -> str:
    """``evidence-based services``."""
    return vocabulary().band_sets[str(band_set)]


def average_group_label(group: str) -> str:
    """The group a study average describes: ``learning disability services``."""
    words = vocabulary().average_groups
    return words.get(str(group), words["all"])


def position_phrase(position: str | None) -> str:
    """In a sentence: ``below the range`` (``cannot be placed`` when there is no figure)."""
    return vocabulary().positions[str(position) if position else "not_placed"]


def position_label(position: str | None) -> str:
    """In a table cell: ``Below the range``."""
    return _capital(position_phrase(position))


def judgement_badge(judgement: str) -> Badge:
    """``✔ Better`` with its style."""
    words = vocabulary().judgements[str(judgement)]
    return Badge(words.symbol, words.word, BADGE_CLASSES[str(judgement)])


def judgement_word(judgement: str) -> str:
    """``Better``, ``Similar``, ``Worse`` or ``Not judged``."""
    return vocabulary().judgements[str(judgement)].word


def all_badges() -> list[Badge]:
    """Every judgement's badge, in the order of the vocabulary (for a key)."""
    return [judgement_badge(key) for key in vocabulary().judgements]


def direction_words(measure: str) -> str:
    """``lower is better``, ``higher is better`` or ``no better direction``."""
    return vocabulary().direction_words[BETTER_DIRECTION[measure] or "none"]


def outcome_part_label(part: str) -> str:
    """``New job``, ``Retained job`` or ``Self-employed``."""
    return vocabulary().outcome_parts[part]
