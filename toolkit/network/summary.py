"""A session's summary: the members' figures and the group's, with disclosure control applied.

:func:`summarise` is pure (no database, no disk). Its result, :class:`SessionSummary`, is
what every view, export and the CLI read; none of them re-derives a figure it hides.
The rule is in :mod:`toolkit.network.disclosure` and ``docs/sessions.md``.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

from toolkit.content.rules import DisclosureRules, rules
from toolkit.domain import measures as m
from toolkit.domain.bands import BAND_SET_LABELS, BANDED_MEASURES, BandSet, band_for
from toolkit.domain.common_prices import CommonPrices, records_in_common_prices
from toolkit.domain.compare import position_of
from toolkit.domain.prices import PriceBase, band_in_prices, study_price_base
from toolkit.domain.record import ServiceRecord
from toolkit.network import disclosure as dc
from toolkit.network.codes import format_code

ANONYMOUS_NAME = "Anonymous service"
#: Why the group's pooled figure is not placed against the bands (section 5 of issue 13).
GROUP_NOT_JUDGED = (
    "The group's pooled figure is the group's total cost over its total people or job "
    "outcomes. It is not placed against the bands, because the bands describe single "
    "services (the average of services' own figures, give or take one standard deviation) "
    "and a group's total is not one service. The members' own figures, their median and "
    "their spread are compared with the bands instead."
)
#: Figures whose spread across members is worked out: (label, key, kind).
SPREAD_FIGURES: tuple[tuple[str, str, str], ...] = (
    ("Total annual cost", "total_cost", "money"),
    ("People supported", "people_supported", "count"),
    ("Job outcomes", "job_outcomes", "count"),
    ("Cost per person supported", "cost_per_person", "money"),
    ("Cost per job outcome", "cost_per_job_outcome", "money"),
    ("Job outcome rate", "job_outcome_rate", "percent"),
)
BOTH_BANDS = (BandSet.evidence_based, BandSet.all_sites)


# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class SessionInfo:
    """What a session is: its code (stored form), title, date and whether it is closed."""

    code: str
    title: str
    date: dt.date | None = None
    closed: bool = False


@dataclass(frozen=True)
class Submission:
    """One service's figures as submitted to a session (withdrawn ones never appear).

    ``record`` of an anonymous submission carries no name (it is stored without one).
    """

    submission_id: str
    shown_as: str
    anonymous: bool
    display_name: str | None
    record: ServiceRecord
    submitted_at: dt.datetime
    updated_at: dt.datetime


def anonymous_label(index: int) -> str:
    """``Service A`` for the first anonymous submission, ... ``Service Z``, ``Service AA``."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return f"Service {letters}"


def shown_names(entries: Sequence[tuple[bool, str | None]]) -> list[str]:
    """How each submission is shown, given ``(anonymous, display_name)`` in submission order."""
    names, anonymous_seen = [], 0
    for anonymous, display_name in entries:
        if anonymous or not display_name:
            names.append(anonymous_label(anonymous_seen))
            anonymous_seen += 1
        else:
            names.append(display_name)
    return names


# --------------------------------------------------------------------------- the result

Figures = dict[str, float | None]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class SessionHeading(_Model):
    code: str
    title: str
    date: str | None
    closed: bool = False


class MemberFigures(_Model):
    """One member's figures (hidden ones None, with a reason under ``suppressed``)."""

    submission_id: str
    shown_as: str
    anonymous: bool
    #: A named service's name is whatever the submitter typed: nobody has checked it.
    name_self_declared: bool
    submitted_at: dt.datetime
    measures: Figures
    suppressed: dict[str, str]


class SpreadRow(_Model):
    """Lowest, median and highest of one figure across the members' own values."""

    key: str
    label: str
    kind: str
    low: float | None = None
    median: float | None = None
    high: float | None = None
    note: str = ""
    #: Where the median sits against each set of bands (banded measures only).
    median_position: dict[str, str] = {}


class SessionSummary(_Model):
    """A session's figures as they may be shown: disclosure-checked, with the reasons."""

    session: SessionHeading
    services: int
    pooled: Figures | None
    pooled_suppressed: dict[str, str]
    pooled_note: str
    suppressed: list[str]
    submissions: list[MemberFigures]
    spread: list[SpreadRow] | None
    spread_note: str
    group_not_judged: str = GROUP_NOT_JUDGED
    #: The one price base of every cost shown (members', pooled, median) and of the bands,
    #: with each member's factor into it (pass it to the band chart: ``band_chart(..., prices)``).
    prices: CommonPrices | None = None
    #: Which prices the costs are in, and which members' figures were uprated to them.
    prices_note: str = ""

    @property
    def price_base(self) -> PriceBase | None:
        """The price base of the costs and bands (None before any figures)."""
        return self.prices.price_base if self.prices is not None else None

    def spread_row(self, key: str) -> SpreadRow | None:
        return next((row for row in self.spread or [] if row.key == key), None)


# --------------------------------------------------------------------------- working out


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _hidden_sentence(who: str, hidden: dc.Hidden, disclosure: DisclosureRules) -> str:
    names = ", ".join(dc.LABELS[key].lower() for key in dc.COUNT_KEYS if key in hidden)
    return (
        f"{who}: {names} not shown (numbers under {disclosure.min_count_shown} could identify "
        "people, and other figures are hidden where they would let such a number be worked out)."
    )


def pooled_measures(records: Sequence[ServiceRecord], base: int) -> m.ServiceMeasures:
    """The group's measures from its rounded counts (see :func:`disclosure.rounded_totals`)."""
    totals = dc.rounded_totals((dc.counts_of(m.measure_service(r)) for r in records), base)
    cost = sum(record.total_cost for record in records)
    people, jobs = totals["people_supported"], totals["job_outcomes"]
    parts = [totals[key] for key in dc.COMPONENTS]
    return m.ServiceMeasures(
        total_cost=cost,
        people_supported=people,
        job_outcomes=jobs,
        new_jobs=parts[0],
        jobs_retained=parts[1],
        self_employed=parts[2],
        cost_per_person=m.cost_per_person(cost, people),
        cost_per_job_outcome=m.cost_per_job_outcome(cost, jobs),
        job_outcome_rate=m.job_outcome_rate(jobs, people),
        outcome_split=m.outcome_split(*parts),
        per_100_supported={
            key: m.per_100_supported(part, people)
            for key, part in zip(dc.COMPONENTS, parts, strict=True)
        },
        support_level_index=None,
    )


def hidden_component_keys(
    submissions: Iterable[Submission], disclosure: DisclosureRules | None = None
) -> set[str]:
    """Outcome parts hidden for any member now: their group totals stay hidden from now on."""
    disclosure = disclosure or rules().disclosure
    counts = [dc.counts_of(m.measure_service(s.record)) for s in submissions]
    per_service = (
        dc.group_hidden(counts, disclosure)[0]
        if len(counts) >= disclosure.min_services_for_pooled
        else [dc.hidden_counts(c, disclosure) for c in counts]
    )
    return {key for hidden in per_service for key in hidden if key in dc.COMPONENTS}


def spread_rows(
    members: Sequence[MemberFigures],
    disclosure: DisclosureRules,
    price_base: PriceBase | None = None,
) -> list[SpreadRow] | None:
    """Lowest, median and highest of each figure across members; None below the threshold.

    A figure's spread is left out (with a note) when any member's value for it is
    hidden, or when too few members have a value for it. The median is placed against
    the bands in ``price_base`` (the prices the members' costs are in).
    """
    if len(members) < disclosure.min_services_for_pooled:
        return None
    rows = []
    for label, key, kind in SPREAD_FIGURES:
        values, hidden, undefined = [], 0, 0
        for member in members:
            value = member.measures.get(key)
            if value is not None:
                values.append(value)
            elif key in member.suppressed:
                hidden += 1
            else:
                undefined += 1
        if hidden:
            rows.append(
                SpreadRow(
                    key=key,
                    label=label,
                    kind=kind,
                    note=f"Not shown: hidden for {_plural(hidden, 'service')} to protect small "
                    "numbers, so a spread would be incomplete.",
                )
            )
            continue
        if len(values) < disclosure.min_services_for_pooled:
            has = "has" if len(values) == 1 else "have"
            rows.append(
                SpreadRow(
                    key=key,
                    label=label,
                    kind=kind,
                    note=f"Not shown: only {_plural(len(values), 'service')} {has} a value (it "
                    f"needs {disclosure.min_services_for_pooled}).",
                )
            )
            continue
        median = statistics.median(values)
        positions = (
            {
                str(band_set): position_of(
                    median, band_in_prices(band_for(key, band_set), price_base)
                ).value
                for band_set in BOTH_BANDS
            }
            if key in BANDED_MEASURES
            else {}
        )
        rows.append(
            SpreadRow(
                key=key,
                label=label,
                kind=kind,
                low=min(values),
                median=median,
                high=max(values),
                note=f"{_plural(undefined, 'service')} with no job outcomes left out."
                if undefined
                else "",
                median_position=positions,
            )
        )
    return rows


def median_sentence(row: SpreadRow) -> str:
    """Where the members' median sits against both sets of bands, in words."""
    if not row.median_position:
        return f"{row.label}: the members' median cannot be placed against the bands."
    where = "; ".join(
        f"{position} the band for {BAND_SET_LABELS[BandSet(band_set)]}"
        for band_set, position in row.median_position.items()
    )
    return f"{row.label}: the members' median is {where}."


def summarise(
    session: SessionInfo,
    submissions: Sequence[Submission],
    disclosure: DisclosureRules | None = None,
    once_hidden: Iterable[str] = (),
) -> SessionSummary:
    """A session's summary with disclosure control applied (``submissions`` in submission order).

    ``once_hidden`` names group totals of outcome parts that were hidden earlier in the
    session (kept by the store): they stay hidden.
    """
    disclosure = disclosure or rules().disclosure
    count = len(submissions)
    records, prices = session_prices(submissions)
    measures = [m.measure_service(record) for record in records]
    counts = [dc.counts_of(each) for each in measures]
    pooled_allowed = count >= disclosure.min_services_for_pooled
    if pooled_allowed:
        per_service, pooled_hidden = dc.group_hidden(counts, disclosure)
    else:
        per_service, pooled_hidden = [dc.hidden_counts(c, disclosure) for c in counts], {}

    notes: list[str] = []
    members = []
    for submission, each, hidden in zip(submissions, measures, per_service, strict=True):
        shown, reasons = dc.suppressed(dc.flat_figures(each), hidden, disclosure)
        if hidden:
            notes.append(_hidden_sentence(submission.shown_as, hidden, disclosure))
        members.append(
            MemberFigures(
                submission_id=submission.submission_id,
                shown_as=submission.shown_as,
                anonymous=submission.anonymous,
                name_self_declared=not submission.anonymous,
                submitted_at=submission.submitted_at,
                measures=shown,
                suppressed=reasons,
            )
        )

    pooled: Figures | None = None
    pooled_reasons: dict[str, str] = {}
    base = disclosure.rounding_base
    if pooled_allowed:
        for key in dc.COMPONENTS:
            if key in set(once_hidden) or any(key in hidden for hidden in per_service):
                pooled_hidden.setdefault(key, dc.ONCE_HIDDEN)
        group = pooled_measures(records, base)
        for key in dc.small_totals(dc.counts_of(group), disclosure):
            pooled_hidden.setdefault(key, dc.SMALL_TOTAL)
        figures = dc.flat_figures(group)
        pooled, pooled_reasons = dc.suppressed(figures, pooled_hidden, disclosure)
        pooled["support_level_index"] = None
        if pooled_hidden:
            notes.insert(0, _hidden_sentence("Pooled figures", pooled_hidden, disclosure))
        pooled_note = (
            f"Each service's counts are rounded to the nearest {base} (a count that is not 0 "
            f"never below {base}) before they are added up, "
            "and the group's rates are worked out from those rounded counts, so no one "
            "service's count can be found by comparing the figures before and after a change. "
            f"Costs are in {prices_phrase(prices)}."
        )
    else:
        has = "no services have" if count == 0 else f"only {_plural(count, 'service')} "
        has += "" if count == 0 else ("has" if count == 1 else "have")
        pooled_note = (
            f"Pooled figures are not shown: they need at least "
            f"{_plural(disclosure.min_services_for_pooled, 'service')}, and {has} shared "
            "figures so far (so no one service's figures can be read from them)."
        )
        notes.insert(0, pooled_note)
    spread = spread_rows(members, disclosure, prices.price_base)
    spread_note = (
        GROUP_NOT_JUDGED
        if spread is not None
        else f"The spread within the group is shown once at least "
        f"{_plural(disclosure.min_services_for_pooled, 'service')} have shared figures (so no "
        f"one service's figures can be read from it); {count} so far."
    )
    prices_note = prices.describe() if submissions else ""
    if prices_note:
        spread_note += " " + prices_note
    return SessionSummary(
        session=SessionHeading(
            code=format_code(session.code),
            title=session.title,
            date=session.date.isoformat() if session.date else None,
            closed=session.closed,
        ),
        services=count,
        pooled=pooled,
        pooled_suppressed=pooled_reasons,
        pooled_note=pooled_note,
        suppressed=notes,
        submissions=members,
        spread=spread,
        spread_note=spread_note,
        prices=prices if submissions else None,
        prices_note=prices_note,
    )


def session_prices(
    submissions: Sequence[Submission],
) -> tuple[list[ServiceRecord], CommonPrices]:
    """The members' records with their costs in one price base: the latest year given.

    Each submission's year (and own uprating factor) is stored with its figures, so members
    who give different years are each uprated to the latest; the notes name who was.
    """
    return records_in_common_prices(
        [s.record for s in submissions], [s.shown_as for s in submissions]
    )


def prices_phrase(prices: CommonPrices | None) -> str:
    """``2024-25 prices`` or ``the study's own prices``, for a sentence."""
    base = prices.price_base if prices is not None else study_price_base()
    return f"{base.year} prices" if base.uprated else "the study's own prices"
