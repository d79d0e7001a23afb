"""The study's published bands and averages, read from ``data/``.

Each figure lives in one CSV row with its source; this module only reads (through
:mod:`toolkit.content.loader`) and validates, including the bands' own rules (low <= mean <=
high, units, proportions from 0 to 1). Errors name the file, the row and the column.
"""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, field_validator, model_validator

# DataFileError and read_rows stay importable from here for existing callers (explicit re-export).
from toolkit.content.loader import DataFileError as DataFileError
from toolkit.content.loader import read_rows as read_rows
from toolkit.content.loader import validated_rows
from toolkit.content.paths import data_dir
from toolkit.content.sources import cite
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

    @model_validator(mode="after")
    def _consistent(self) -> Band:
        """The data rules of a band; the loader names the file and row of a break."""
        found = (
            f"found range_min {self.range_min:g}, low {self.low:g}, mean {self.mean:g}, "
            f"high {self.high:g}, range_max {self.range_max:g}"
        )
        expected_unit = "proportion" if self.measure == "job_outcome_rate" else "GBP"
        if self.unit != expected_unit:
            raise ValueError(
                f"unit: expected '{expected_unit}' for {self.measure}, found '{self.unit}'"
            )
        if not self.low <= self.mean <= self.high:
            raise ValueError(f"expected low <= mean <= high ({found})")
        if not self.range_min <= self.mean <= self.range_max:
            raise ValueError(f"expected range_min <= mean <= range_max ({found})")
        if min(self.low, self.range_min) < 0:
            raise ValueError(f"expected no figure below 0 ({found})")
        if self.unit == "proportion" and max(self.high, self.range_max) > 1:
            raise ValueError(f"expected proportions from 0 to 1, 57% as 0.57 ({found})")
        if self.services < 1:
            raise ValueError(f"services: expected at least 1, found {self.services}")
        return self

    @property
    def source(self) -> str:
        """Where the figures come from, for notes and captions."""
        page = f", page {self.source_page}" if self.source_page else ""
        return cite(self.source_document, f"{self.source_table}{page}")


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

    @model_validator(mode="after")
    def _consistent(self) -> Average:
        if self.value < 0:
            raise ValueError(f"value: expected 0 or more, found {self.value:g}")
        if self.unit == "proportion" and self.value > 1:
            raise ValueError(
                f"value: expected a proportion from 0 to 1, 57% as 0.57, found {self.value:g}"
            )
        if self.services is not None and self.services < 1:
            raise ValueError(f"services: expected at least 1 or blank, found {self.services}")
        return self


@lru_cache(maxsize=4)
def load_bands(folder: Path | None = None) -> dict[tuple[str, BandSet], Band]:
    """All published bands, keyed by (measure, band set)."""
    path = (folder or data_dir()) / "bands.csv"
    bands = {(band.measure, band.bands): band for band in validated_rows(Band, path)}
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
    return {(item.client_group, item.measure): item for item in validated_rows(Average, path)}


def average_for(client_group: str, measure: str) -> Average | None:
    """One published average, or None when the study does not give it."""
    return load_averages().get((client_group, measure))
