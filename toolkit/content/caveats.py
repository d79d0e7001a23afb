"""The plain-English caveats shown beside comparisons, read from ``data/caveats.yaml``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, model_validator

from toolkit.content.loader import validated_yaml
from toolkit.content.paths import data_dir
from toolkit.content.sources import resolved


class Source(BaseModel):
    """A caveat's source: ``document`` is shown as the register's short citation."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    document: str
    section: str
    source_id: str = ""

    @model_validator(mode="before")
    @classmethod
    def _from_register(cls, data: object) -> object:
        return resolved(data)


class Caveat(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    title: str
    text: str
    source: Source


class _CaveatFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    caveats: list[Caveat]


@lru_cache(maxsize=2)
def load_caveats(path: Path | None = None) -> tuple[Caveat, ...]:
    """All caveats in file order; errors name the file and the key."""
    return tuple(validated_yaml(_CaveatFile, path or data_dir() / "caveats.yaml").caveats)
