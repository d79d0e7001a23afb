"""The toolkit's words about measures and comparisons, read from ``data/vocabulary.yaml``.

One place for labels, position words, judgement words and group names: the
apps, the board report, the spreadsheets, the charts and the command line all
read them here. The file is validated on first use; an error names the file
and the key.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, model_validator

from toolkit.content.loader import read_yaml
from toolkit.content.paths import data_dir

BANDED = ("cost_per_person", "cost_per_job_outcome", "job_outcome_rate")
PARTS = ("new_jobs", "jobs_retained", "self_employed")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class JudgementWords(_Strict):
    symbol: str
    word: str


def _need(found: Mapping[str, object], keys: tuple[str, ...], where: str) -> None:
    missing = [key for key in keys if key not in found]
    if missing:
        raise ValueError(f"{where}: no words for {', '.join(missing)}")


class Vocabulary(_Strict):
    measures: dict[str, str]
    direction_words: dict[str, str]
    band_sets: dict[str, str]
    average_groups: dict[str, str]
    positions: dict[str, str]
    judgements: dict[str, JudgementWords]
    outcome_parts: dict[str, str]
    not_defined: str

    @model_validator(mode="after")
    def _complete(self) -> Vocabulary:
        _need(self.measures, BANDED, "measures")
        _need(self.direction_words, ("lower", "higher", "none"), "direction_words")
        _need(self.band_sets, ("evidence_based", "all_sites"), "band_sets")
        _need(
            self.average_groups, ("all", "learning_disability", "mental_health"), "average_groups"
        )
        _need(self.positions, ("below", "within", "above", "not_placed"), "positions")
        _need(self.judgements, ("better", "similar", "worse", "no_judgement"), "judgements")
        _need(self.outcome_parts, PARTS, "outcome_parts")
        return self


def load_vocabulary(path: Path | None = None) -> Vocabulary:
    """Read and validate the vocabulary file; errors name the file and the key."""
    return read_yaml(path or data_dir() / "vocabulary.yaml", Vocabulary)


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The words in force (read once per process)."""
    return load_vocabulary()


class Words(Mapping[str, str]):
    """A read-only view of one table of the vocabulary, read when first used.

    Keys may be plain strings or the toolkit's string enums (``BandSet.all_sites``).
    """

    def __init__(self, table: Callable[[Vocabulary], Mapping[str, str]]) -> None:
        self._table = table

    def _words(self) -> Mapping[str, str]:
        return self._table(vocabulary())

    def __getitem__(self, key: str) -> str:
        return self._words()[str(key)]

    def __iter__(self) -> Iterator[str]:
        return iter(self._words())

    def __len__(self) -> int:
        return len(self._words())
