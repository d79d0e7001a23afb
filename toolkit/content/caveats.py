"""The plain-English caveats shown beside comparisons, read from ``data/caveats.yaml``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from toolkit.content.errors import DataFileError
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
    path = path or data_dir() / "caveats.yaml"
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        return tuple(_CaveatFile.model_validate(raw).caveats)
    except (OSError, yaml.YAMLError) as exc:
        raise DataFileError(f"{path.name}: could not be read ({exc})") from None
    except ValidationError as exc:
        error = exc.errors()[0]
        key = ".".join(str(part) for part in error["loc"])
        raise DataFileError(f"{path.name}, key '{key}': {error['msg']}") from None
