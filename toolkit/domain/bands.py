"""The study's published bands and averages, read from ``data/``.

Each figure lives in one CSV row with its source; this module only reads and
validates. Errors name the file, the row and the column.
"""

from __future__ import annotations

import csv
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from toolkit.content.errors import DataFileError
from toolkit.content.paths import data_dir
from toolkit.content.vocabulary import Words


class BandSet(StrEnum):
    """Which group of services the bands describe (seed 004, Table 8)."""

    evidence_based = "evidence_based"
    all_sites = "all_sites"


#: The group each set of bands describes, in the user's words (data/vocabulary.yaml).
BAND_SET_LABELS = Words(lambda words: words.band_sets)

#: The measures the study publishes bands for, in the order they are shown.
BANDED_MEASURES = ("cost_per_person", "cost_per_job_outcome", "job_outcome_rate")

#: Each banded measure's label (data/vocabulary.yaml).
MEASURE_LABELS = Words(lambda words: words.measures)


ModelT = TypeVar("ModelT", bound=BaseModel)


class Band(BaseModel):
    """One measure's published band for one group of services (one row of bands.csv)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    measure: str
    bands: BandSet
    unit: str
    range_min: float
    low: float
    mean: float
    high: float
    range_max: float
    services: int
    source_document: str
    source_table: str
    source_page: str = ""
    notes: str = ""

    @field_validator("measure")
    @classmethod
    def _known_measure(cls, value: str) -> str:
        if value not in BANDED_MEASURES:
            raise ValueError(f"expected one of {', '.join(BANDED_MEASURES)}")
        return value

    @field_validator("source_document", "source_table")
    @classmethod
    def _source_given(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("every figure needs its source")
        return value

    @property
    def source(self) -> str:
        """Where the figures come from, for notes and captions."""
        page = f", page {self.source_page}" if self.source_page else ""
        return f"NDTi study (seed {self.source_document}), {self.source_table}{page}"


class Average(BaseModel):
    """One published average (one row of averages.csv)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    client_group: str
    measure: str
    value: float
    unit: str
    services: int | None = None
    source_document: str
    source_table: str
    source_page: str = ""
    notes: str = ""

    @field_validator("services", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if value in ("", None) else value


def read_rows(path: Path) -> list[dict[str, str]]:
    """Rows of a CSV file as dictionaries; a clear error if it cannot be read."""
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            return list(csv.DictReader(handle))
    except OSError as exc:
        raise DataFileError(f"{path}: could not be read ({exc.strerror})") from None


def _validated(model: type[ModelT], path: Path) -> list[ModelT]:
    items: list[ModelT] = []
    for number, row in enumerate(read_rows(path), start=2):
        try:
            items.append(model.model_validate(row))
        except ValidationError as exc:
            error = exc.errors()[0]
            column = ".".join(str(part) for part in error["loc"])
            value = row.get(column, "")
            raise DataFileError(
                f"{path.name}, row {number}, column '{column}': {error['msg']} (found '{value}')"
            ) from None
    return items


@lru_cache(maxsize=4)
def load_bands(folder: Path | None = None) -> dict[tuple[str, BandSet], Band]:
    """All published bands, keyed by (measure, band set)."""
    path = (folder or data_dir()) / "bands.csv"
    bands = {(band.measure, band.bands): band for band in _validated(Band, path)}
    missing = [
        f"{measure}/{band_set}"
        for measure in BANDED_MEASURES
        for band_set in BandSet
        if (measure, band_set) not in bands
    ]
    if missing:
        raise DataFileError(f"{path.name}: no row for {', '.join(missing)}")
    return bands


def band_for(measure: str, band_set: BandSet | str) -> Band:
    """The band of one measure for one group of services."""
    return load_bands()[(measure, BandSet(band_set))]


@lru_cache(maxsize=4)
def load_averages(folder: Path | None = None) -> dict[tuple[str, str], Average]:
    """Published averages (Tables 4 to 6), keyed by (client group, measure)."""
    path = (folder or data_dir()) / "averages.csv"
    return {(item.client_group, item.measure): item for item in _validated(Average, path)}


def average_for(client_group: str, measure: str) -> Average | None:
    """One published average, or None when the study does not give it."""
    return load_averages().get((client_group, measure))
