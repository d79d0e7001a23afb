"""The plain-English caveats shown beside comparisons, read from ``data/caveats.yaml``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from toolkit.content.loader import validated_yaml
from toolkit.content.paths import data_dir


class Source(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    document: str
    section: str


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
