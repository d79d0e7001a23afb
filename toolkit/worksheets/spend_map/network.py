"""A learning network's mix of spend: members share their map's totals by type and group
(never the provision lines), and the facilitator sees the pooled mix against the national one.

Pure logic, ready for a session to store and show (the session wiring is not built yet).
The pooled mix is summed from the members' totals and shown only when at least
``min_services_for_pooled`` maps have been shared (``disclosure`` in ``data/rules.yaml``),
the same threshold a session applies to pooled service figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from toolkit.content.rules import DisclosureRules, rules
from toolkit.worksheets.spend_map import national
from toolkit.worksheets.spend_map.analysis import MapSummary, pool, summarise
from toolkit.worksheets.spend_map.model import SpendMap
from toolkit.worksheets.spend_map.result import summary_result


def shared_payload(spend_map: SpendMap) -> dict[str, Any]:
    """What a member shares: the year, the total and the totals by type and client group.

    No providers, no funding streams and no line items.
    """
    summary = summarise(spend_map)
    return {
        "year": summary.year,
        "total": summary.total,
        "by_support_type": {k.value: v for k, v in summary.by_support_type.items()},
        "by_client_group": {k.value: v for k, v in summary.by_client_group.items()},
    }


def network_mix(
    payloads: Sequence[dict[str, Any]], disclosure: DisclosureRules | None = None
) -> dict[str, Any]:
    """The network's pooled mix, or the reason it is not shown yet."""
    limit = (disclosure or rules().disclosure).min_services_for_pooled
    summaries = [MapSummary.model_validate(payload) for payload in payloads]
    paid = national.paid_work_share()
    answer: dict[str, Any] = {
        "maps": len(summaries),
        "shown": False,
        "reason": None,
        "pooled": None,
        "national_share_paid_work": {"value": paid.value, "source": paid.source},
    }
    if len(summaries) < limit:
        answer["reason"] = (
            f"{len(summaries)} map(s) shared so far; the network's mix is shown once at least "
            f"{limit} have been shared, so that no one area's spend can be read from it."
        )
        return answer
    answer["shown"] = True
    answer["pooled"] = summary_result(pool(summaries))
    return answer
