"""Put the study's money figures into the prices of the user's year.

The study's costs are cash terms of 2011/12 or 2012/13 (``data/prices.yaml`` says which year
the toolkit takes, and why). A service's own figures are in the prices of the financial year
they cover, so the bands, the averages and the what-if are uprated to that year with the ONS
GDP deflator shipped in ``data/gdp_deflator.csv``, or with the user's own factor for a year the
series does not reach. Only money is uprated: rates and shares are not.

A financial year (April to March) is the mean of its four quarters: 2012-13 is 2012 Q2 to
2013 Q1. A cost from year A in year B's prices is ``cost * index(B) / index(A)``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from toolkit.content.paths import data_dir
from toolkit.content.sources import load_sources
from toolkit.domain.bands import Average, Band, DataFileError, read_rows

#: Units that are money and so are uprated (see data/README.md, "Units used").
MONEY_UNITS = frozenset({"GBP", "GBP_per_hour"})

_YEAR = re.compile(
    r"^\s*(?:fy\s*)?(?P<first>(?:19|20)\d\d)\s*(?:[-/\u2013\u2014]|\s+to\s+)\s*"
    r"(?P<second>(?:19|20)?\d\d)\s*$",
    re.IGNORECASE,
)
_QUARTER = re.compile(r"^(?P<year>\d{4}) Q(?P<quarter>[1-4])$")


class PriceError(ValueError):
    """A year or factor the toolkit cannot use; the message says what is expected."""


class DeflatorSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    source: str
    short_name: str
    release: str
    file: str


class PriceSettings(BaseModel):
    """``data/prices.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    study_price_year: str
    study_price_note: str
    deflator: DeflatorSettings
    user_factor_min: float
    user_factor_max: float


@lru_cache(maxsize=2)
def price_settings(path: Path | None = None) -> PriceSettings:
    """The price settings; errors name the file and the key."""
    path = path or data_dir() / "prices.yaml"
    try:
        settings = PriceSettings.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError) as exc:
        raise DataFileError(f"{path.name}: could not be read ({exc})") from None
    except ValidationError as exc:
        error = exc.errors()[0]
        key = ".".join(str(part) for part in error["loc"])
        raise DataFileError(f"{path.name}, key '{key}': {error['msg']}") from None
    parse_financial_year(settings.study_price_year)
    return settings


def parse_financial_year(text: object) -> str:
    """A financial year written as 2024-25, 2024/25 or 2024-2025, as ``2024-25``."""
    match = _YEAR.match(str(text))
    if not match:
        raise PriceError(
            f"'{text}' is not a financial year; write it as 2024-25 (April 2024 to March 2025)"
        )
    first = int(match.group("first"))
    second_text = match.group("second")
    second = int(second_text) if len(second_text) == 4 else (first // 100) * 100 + int(second_text)
    if second != first + 1:
        raise PriceError(
            f"'{text}' is not a financial year: the second year should follow the first, "
            f"as in {first}-{(first + 1) % 100:02d}"
        )
    return f"{first}-{second % 100:02d}"


@lru_cache(maxsize=2)
def load_deflator(path: Path | None = None) -> dict[tuple[int, int], float]:
    """The quarterly index, keyed by (calendar year, quarter); errors name the row."""
    path = path or data_dir() / price_settings().deflator.file
    index: dict[tuple[int, int], float] = {}
    for number, row in enumerate(read_rows(path), start=2):
        match = _QUARTER.match(row.get("quarter", "").strip())
        try:
            value = float(row.get("index_2022_100", ""))
        except ValueError:
            value = -1.0
        if not match or value <= 0:
            raise DataFileError(
                f"{path.name}, row {number}: expected a quarter such as '2024 Q1' and a "
                f"positive index (found '{row.get('quarter', '')}', "
                f"'{row.get('index_2022_100', '')}')"
            )
        index[(int(match.group("year")), int(match.group("quarter")))] = value
    if not index:
        raise DataFileError(f"{path.name}: no rows")
    return index


def _quarters(year: str) -> list[tuple[int, int]]:
    first = int(parse_financial_year(year)[:4])
    return [(first, 2), (first, 3), (first, 4), (first + 1, 1)]


def financial_year_index(year: str) -> float | None:
    """Mean of the financial year's four quarters; None when the series lacks any of them."""
    index = load_deflator()
    values = [index.get(quarter) for quarter in _quarters(year)]
    if any(value is None for value in values):
        return None
    return sum(values) / 4  # type: ignore[arg-type]


def years_covered() -> tuple[str, str]:
    """First and last financial years the shipped series covers in full."""
    quarters = sorted(load_deflator())
    first = quarters[0][0] if quarters[0][1] <= 2 else quarters[0][0] + 1
    last = quarters[-1][0] - 1  # a year's last quarter (Q1) is in the following calendar year
    return f"{first}-{(first + 1) % 100:02d}", f"{last}-{(last + 1) % 100:02d}"


def deflator_factor(year: str) -> float | None:
    """Study prices to ``year`` prices with the GDP deflator; None outside the series."""
    target = financial_year_index(year)
    base = financial_year_index(price_settings().study_price_year)
    if target is None or base is None:
        return None
    return target / base


def parse_factor(text: object) -> float:
    """A user's uprating factor such as 1.45 or x1.45, within the allowed range."""
    settings = price_settings()
    cleaned = str(text).strip().lower().lstrip("x\u00d7*").strip()
    try:
        factor = float(cleaned)
    except ValueError:
        raise PriceError(
            f"'{text}' is not a number; give the factor that turns the study's prices into "
            "your year's, for example 1.45"
        ) from None
    if not settings.user_factor_min <= factor <= settings.user_factor_max:
        raise PriceError(
            f"{factor:g} is outside {settings.user_factor_min:g} to "
            f"{settings.user_factor_max:g}; give it as a multiplier, for example 1.45, not 145"
        )
    return factor


class PriceBase(BaseModel):
    """Which prices the study's money figures are shown in, and how they got there."""

    model_config = ConfigDict(frozen=True)

    year: str
    factor: float
    method: Literal["study_prices", "gdp_deflator", "own_factor"]
    source: str
    label: str
    study_prices: str

    @property
    def uprated(self) -> bool:
        return self.method != "study_prices"

    def to_dict(self) -> dict[str, object]:
        """The ``price_base`` object of the JSON output."""
        return {
            "year": self.year,
            "factor": round(self.factor, 4),
            "source": self.source,
            "method": self.method,
            "label": self.label,
            "study_prices": self.study_prices,
        }


def _study_prices_text(settings: PriceSettings) -> str:
    return f"the study's own prices: {settings.study_price_note}"


def study_price_base() -> PriceBase:
    """No uprating: the figures as the study printed them."""
    settings = price_settings()
    study = _study_prices_text(settings)
    return PriceBase(
        year=settings.study_price_year,
        factor=1.0,
        method="study_prices",
        source=f"{load_sources()['ndti-2014'].short}, Section 3 and Appendix 5",
        label=(
            f"bands in the study's own prices, {settings.study_price_note} (give the year your "
            "figures cover to compare in the same prices)"
        ),
        study_prices=study,
    )


def price_base_for(year: str | None, own_factor: float | None = None) -> PriceBase:
    """The price base for figures covering ``year``, with the user's factor if given.

    Without a year (and without a factor) the study's own prices are used and the label says
    so. A year the shipped series does not reach needs the user's own factor.
    """
    settings = price_settings()
    study = _study_prices_text(settings)
    if year is None and own_factor is None:
        return study_price_base()
    shown_year = parse_financial_year(year) if year is not None else "your year's"
    deflator = settings.deflator
    if own_factor is not None:
        factor = parse_factor(own_factor)
        known = deflator_factor(shown_year) if year is not None else None
        instead = (
            f", in place of the {deflator.short_name}'s \u00d7{known:.2f}"
            if known is not None
            else f"; the {deflator.short_name} series used here runs to {years_covered()[1]}"
        )
        return PriceBase(
            year=shown_year,
            factor=factor,
            method="own_factor",
            source="your own uprating factor",
            label=f"bands in {shown_year} prices (your own uprating factor, \u00d7{factor:.2f}"
            f"{instead})",
            study_prices=study,
        )
    deflated = deflator_factor(shown_year)
    if deflated is None:
        first, last = years_covered()
        raise PriceError(
            f"the {deflator.short_name} series shipped with the toolkit covers {first} to "
            f"{last}, not {shown_year}; give your own uprating factor for {shown_year}"
        )
    source = load_sources()[deflator.source]
    citation = f"{source.body} ({source.year}). {source.title}. {source.publisher}."
    return PriceBase(
        year=shown_year,
        factor=deflated,
        method="gdp_deflator",
        source=citation,
        label=f"bands in {shown_year} prices ({deflator.short_name}, ONS release "
        f"{deflator.release}, \u00d7{deflated:.2f})",
        study_prices=study,
    )


def in_prices(value: float, price_base: PriceBase | None) -> float:
    """A study money figure in the price base's prices."""
    return value if price_base is None else value * price_base.factor


def band_in_prices(band: Band, price_base: PriceBase | None) -> Band:
    """A band with its money figures uprated; a band of rates is returned unchanged."""
    if price_base is None or band.unit not in MONEY_UNITS or not price_base.uprated:
        return band
    fields = ("range_min", "low", "mean", "high", "range_max")
    return band.model_copy(update={f: getattr(band, f) * price_base.factor for f in fields})


def average_in_prices(average: Average, price_base: PriceBase | None) -> Average:
    """An average with its value uprated when it is money; rates and counts unchanged."""
    if price_base is None or average.unit not in MONEY_UNITS or not price_base.uprated:
        return average
    return average.model_copy(update={"value": average.value * price_base.factor})
