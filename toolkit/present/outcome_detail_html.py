"""HTML for a result's ``outcome_detail``: two definitions of a job outcome side by side, and
the Support Level Index of the job outcomes beside that of the people supported. Pure, escaped.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from toolkit.present import formatting as fmt


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def outcome_detail_html(result: Mapping[str, Any] | BaseModel) -> str:
    """The definitions table and the SLI line; '' when the service gave neither."""
    if isinstance(result, BaseModel):  # a typed ServiceResult: read its JSON form
        result = result.model_dump(mode="json")
    detail = result.get("outcome_detail") or {}
    parts = []
    rows = detail.get("definitions") or []
    if rows:
        body = "".join(
            f'<tr><th scope="row">{_esc(row["label"])}</th>'
            f'<td class="num">{_esc(fmt.count(row["job_outcomes"]))}</td>'
            f'<td class="num">{_esc(fmt.percent(row["job_outcome_rate"]))}</td>'
            f'<td class="num">{_esc(fmt.money(row["cost_per_job_outcome"]) if row["cost_per_job_outcome"] is not None else "not defined")}</td>'
            f"<td>{'Yes' if row['compared_with_bands'] else 'No band'}</td>"
            f"<td>{_esc(row['note'])}</td></tr>"
            for row in rows
        )
        parts.append(
            "<h3>Two definitions of a job outcome</h3><table><caption>The same service under "
            "the study's definition and under 16 or more hours a week</caption>"
            '<tr><th scope="col">Definition</th><th scope="col">Job outcomes</th>'
            '<th scope="col">Job outcome rate</th><th scope="col">Cost per job outcome</th>'
            '<th scope="col">Compared with the study</th><th scope="col">Note</th></tr>'
            f"{body}</table>"
        )
    sli = detail.get("support_level_index_of_job_outcomes")
    if sli is not None:
        people = (result.get("measures") or {}).get("support_level_index")
        beside = (
            f" (people supported: {_esc(fmt.index(people))})"
            if people is not None
            else " (give the support levels of the people supported to compare)"
        )
        parts.append(
            f"<p><strong>Support Level Index of the job outcomes:</strong> {_esc(fmt.index(sli))}"
            f"{beside}. A similar figure means people with higher support needs get jobs about "
            "as often as others in the service.</p>"
        )
    return "".join(parts)
