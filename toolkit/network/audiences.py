"""Who sees what of a session, defined once: the consent text and the two dashboard views.

* The **facilitator's view** is private ("not for projecting"): every member's figures as
  consented to the facilitator (disclosure-checked), the group's figures and the notes.
* The **projector view** holds only what the consent text promises the other members:
  the group's pooled figures and each member's point against the bands (its cost per
  person, cost per job outcome and job outcome rate), with the members' median and
  spread of those. It never holds a single service's cost or counts, nor arrival
  order or times: points are sorted by label, and anonymous ones are all "Anonymous".

The consent text is built from the same constants as the views, so they cannot drift.
"""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict

from toolkit.content.rules import DisclosureRules, rules
from toolkit.domain.bands import BANDED_MEASURES, band_for
from toolkit.domain.compare import position_of
from toolkit.domain.measures import NotDefined, ServiceMeasures
from toolkit.domain.prices import PriceBase, band_in_prices
from toolkit.network.disclosure import COMPONENTS, HEADLINE
from toolkit.network.summary import BOTH_BANDS, SessionSummary, SpreadRow
from toolkit.worksheets.spend_map.sharing_rules import SpendSharingRules, sharing_rules

#: What the facilitator sees of each service (the consent text names these).
FACILITATOR_SEES = (
    "its total annual cost, the number of people supported, and how many gained a new job, "
    "kept (retained) a job or became self-employed, with the measures worked out from them "
    "(cost per person supported, cost per job outcome, job outcome rate and the outcome split)"
)
#: The only figures of one member on the projector: its point on the band chart.
POINT_FIGURES = BANDED_MEASURES
#: The group's figures on the projector.
PROJECTED_POOLED = (
    "total_cost",
    *HEADLINE,
    *COMPONENTS,
    "cost_per_person",
    "cost_per_job_outcome",
    "job_outcome_rate",
)
ANONYMOUS_POINT = "Anonymous service"
NOT_FOR_PROJECTING = (
    "Facilitator's view: not for projecting. It shows each service's own figures, which only "
    "you agreed to see. Switch to the projector view before you share the screen."
)


def consent_text(service_name: str | None = None, disclosure: DisclosureRules | None = None) -> str:
    """What ticking the consent box agrees to: exactly what is shared, and with whom."""
    disclosure = disclosure or rules().disclosure
    whose = (
        f"the figures of \u201c{service_name}\u201d" if service_name else "this service's figures"
    )
    return (
        f"I agree to share {whose} with the learning-network session whose code is above: "
        f"{FACILITATOR_SEES}. The session's facilitator will see them, shown under the "
        "organisation name given above or, if we choose Anonymous, with no name. The other "
        "members of that session will see only the group's pooled figures (shown once at least "
        f"{disclosure.min_services_for_pooled} services have shared, with each service's counts "
        f"rounded to the nearest {disclosure.rounding_base}, and any count above 0 to at least "
        f"{disclosure.rounding_base}) and our point on the group's band "
        "chart (our cost per person supported, cost per job outcome and job outcome rate), "
        f"never our cost or counts. Counts under {disclosure.min_count_shown} are not shown, nor "
        "any figure they could be worked out from. Nothing else we typed is shared, and we can "
        "withdraw the figures at any time with our private link."
    )


#: What a member shares of a spend map (the consent text names these; nothing else is stored).
SPEND_SHARED = (
    "the year the map covers, the year whose prices its money figures are in, its total spend, "
    "and its spend by type of support, by client group and (where the map gives them) by "
    "delivery organisation"
)


def spend_consent_text(
    disclosure: DisclosureRules | None = None, settings: SpendSharingRules | None = None
) -> str:
    """What ticking the spend map's consent box agrees to: what is shared, and who sees what."""
    disclosure = disclosure or rules().disclosure
    settings = settings or sharing_rules()
    return (
        "I agree to share this spend map's totals with the learning-network session whose code "
        f"is above: {SPEND_SHARED}. No provider names, funding streams, provision lines, area "
        "name or other answers are shared. Nobody in the session, the facilitator included, "
        "sees our map on its own: the facilitator sees only the network's pooled mix, shown "
        f"once at least {disclosure.min_services_for_pooled} maps have been shared, with each "
        f"area's amounts rounded to the nearest \u00a3{settings.money_rounding:,} before they "
        f"are added up, and any part that fewer than {settings.min_maps_per_part} areas spend on "
        "shown only inside \u201cnot shown separately\u201d. We can withdraw our totals at any "
        "time with our private link, even after the session has closed."
    )


# --------------------------------------------------------------------------- the projector view


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class ProjectedPoint(_Model):
    """One member's point on the band chart: its rates only, never its cost or counts."""

    label: str
    values: dict[str, float | None]
    positions: dict[str, dict[str, str]]


class ProjectorView(_Model):
    """What may be shown on the projector (see the module's docstring)."""

    title: str
    code: str
    date: str | None
    closed: bool
    services: int
    pooled: dict[str, float | None] | None
    pooled_hidden: dict[str, str]
    pooled_note: str
    points: list[ProjectedPoint]
    spread: list[SpreadRow] | None
    spread_note: str
    group_not_judged: str


def _positions(
    values: Mapping[str, float | None], price_base: PriceBase | None = None
) -> dict[str, dict[str, str]]:
    """Where each figure sits against both sets of bands, the bands in ``price_base``."""
    return {
        key: {
            str(band_set): position_of(
                value, band_in_prices(band_for(key, band_set), price_base)
            ).value
            for band_set in BOTH_BANDS
        }
        for key, value in values.items()
        if value is not None
    }


def projector_view(summary: SessionSummary) -> ProjectorView:
    """The projector's share of a summary: nothing any member did not agree to show the room."""
    points = []
    for member in summary.submissions:
        values = {key: member.measures.get(key) for key in POINT_FIGURES}
        label = ANONYMOUS_POINT if member.anonymous else member.shown_as
        points.append(
            ProjectedPoint(
                label=label, values=values, positions=_positions(values, summary.price_base)
            )
        )
    points.sort(key=lambda p: (p.label, *(p.values.get(k) or 0.0 for k in POINT_FIGURES)))
    pooled = (
        {key: summary.pooled.get(key) for key in PROJECTED_POOLED}
        if summary.pooled is not None
        else None
    )
    hidden = {k: v for k, v in summary.pooled_suppressed.items() if k in PROJECTED_POOLED}
    spread = (
        [row for row in summary.spread if row.key in POINT_FIGURES]
        if summary.spread is not None
        else None
    )
    return ProjectorView(
        title=summary.session.title,
        code=summary.session.code,
        date=summary.session.date,
        closed=summary.session.closed,
        services=summary.services,
        pooled=pooled,
        pooled_hidden=hidden,
        pooled_note=summary.pooled_note,
        points=points,
        spread=spread,
        spread_note=summary.spread_note,
        group_not_judged=summary.group_not_judged,
    )


# --------------------------------------------------------------------------- chart inputs

HIDDEN = NotDefined("it is not shown, to protect small numbers")
NO_OUTCOMES = NotDefined(
    "there were no job outcomes, so the cost per job outcome cannot be worked out"
)


def chart_measures(
    measures: Mapping[str, float | None], reasons: Mapping[str, str]
) -> ServiceMeasures:
    """Measures for the facilitator's band chart built only from figures the summary shows.

    The chart's likely range for a rate (and for the cost per job outcome) is worked
    out from the people supported and job outcomes, so those measures are drawn only
    when both counts are shown; otherwise they are left off as not shown.
    """
    people, jobs = measures.get("people_supported"), measures.get("job_outcomes")

    def value(path: str) -> float | NotDefined:
        found = measures.get(path)
        if found is None:
            return HIDDEN if path in reasons else NO_OUTCOMES
        return found

    if people is not None and jobs is not None:
        per_person, per_job, rate = (
            value("cost_per_person"),
            value("cost_per_job_outcome"),
            value("job_outcome_rate"),
        )
    else:
        per_person = value("cost_per_person") if people is not None else HIDDEN
        per_job = rate = HIDDEN
        people, jobs = (people if people is not None else 1), 0
    return ServiceMeasures(
        total_cost=measures.get("total_cost") or 0.0,
        people_supported=int(people),
        job_outcomes=int(jobs),
        new_jobs=0,
        jobs_retained=0,
        self_employed=0,
        cost_per_person=per_person,
        cost_per_job_outcome=per_job,
        job_outcome_rate=rate,
        outcome_split={},
        per_100_supported={},
    )
