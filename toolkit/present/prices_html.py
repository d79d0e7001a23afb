"""HTML that says which prices the bands are in, with the study's own prices one click away.

Pure: built from a result's ``price_base`` object and the published bands; every piece of
text is escaped. Used by the self-benchmark app and the board report.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel

from toolkit.domain.bands import BAND_SET_LABELS, MEASURE_LABELS, BandSet, band_for
from toolkit.domain.prices import MONEY_UNITS, PriceBase, band_in_prices
from toolkit.present import formatting as fmt

MONEY_MEASURES = ("cost_per_person", "cost_per_job_outcome")


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def price_base_of(result: Mapping[str, Any] | BaseModel) -> PriceBase | None:
    """The result's price base as a model, or None for a result made before prices existed."""
    if isinstance(result, BaseModel):  # a typed ServiceResult: read its JSON form
        result = result.model_dump(mode="json")
    data = result.get("price_base")
    return None if data is None else PriceBase.model_validate(data)


def study_prices_rows(price_base: PriceBase, band_sets: Iterable[BandSet]) -> list[list[str]]:
    """Rows: group, measure, the study's low / average / high, then the same in the price base."""
    rows = []
    for band_set in band_sets:
        for measure in MONEY_MEASURES:
            band = band_for(measure, band_set)
            if band.unit not in MONEY_UNITS:
                continue
            shown = band_in_prices(band, price_base)
            rows.append(
                [
                    BAND_SET_LABELS[band_set],
                    MEASURE_LABELS[measure],
                    " / ".join(fmt.money(getattr(band, p)) for p in ("low", "mean", "high")),
                    " / ".join(fmt.money(getattr(shown, p)) for p in ("low", "mean", "high")),
                ]
            )
    return rows


def price_base_html(
    result: Mapping[str, Any] | BaseModel, band_sets: Iterable[BandSet] = tuple(BandSet)
) -> str:
    """A line stating the prices used, and a disclosure with the study's own figures."""
    price_base = price_base_of(result)
    if price_base is None:
        return ""
    line = f'<p class="toolkit-prices"><strong>Prices:</strong> {_esc(price_base.label)}.</p>'
    if not price_base.uprated:
        return line
    body = "".join(
        "<tr>" + "".join(f"<td>{_esc(cell)}</td>" for cell in row) + "</tr>"
        for row in study_prices_rows(price_base, band_sets)
    )
    return (
        f"{line}<details><summary>Show the bands in the study's own prices</summary>"
        f"<p>{_esc(price_base.study_prices.capitalize())}. Rates and shares are the same in any "
        f"prices; only money is uprated, here by \u00d7{price_base.factor:.2f} "
        f"({_esc(price_base.source)}).</p>"
        "<table><caption>Low / average / high of each money band</caption>"
        '<tr><th scope="col">Group</th><th scope="col">Measure</th>'
        '<th scope="col">Study\'s own prices</th>'
        f'<th scope="col">In {_esc(price_base.year)} prices</th></tr>{body}</table></details>'
    )


def what_if_caveats_html(caveats: Iterable[str]) -> str:
    """The caveats that go with every what-if, as a short list."""
    items = "".join(f"<li>{_esc(text)}</li>" for text in caveats)
    return (
        f'<p class="toolkit-note">Before quoting these numbers:</p><ul>{items}</ul>'
        if items
        else ""
    )
