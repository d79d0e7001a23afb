"""Disclosure control for a session's figures, as pure functions (rule: ``docs/sessions.md``).

Counts of people or job outcomes are the cells protected. The limits are in
``data/rules.yaml`` under ``disclosure``.

* **Primary suppression.** A service's count under ``min_count_shown`` (1 to 4) is hidden,
  with every figure it could be read back from (a rate, a cost per person, a share).
* **Secondary suppression within a service.** When one part of the job outcomes (new,
  retained, self-employed) or the total is hidden, all three parts are hidden. A member's
  people supported and job outcomes are hidden together, since one bounds the other.
* **Secondary suppression across the group.** The group's total stays shown. When it
  would otherwise single out a hidden cell (only one service's cell for that count is
  hidden), the next smallest *member* cell is hidden instead, never the group's headline.
* **Across releases.** A group total is the sum of each service's count rounded to the
  nearest ``rounding_base`` (5), and its rates are worked out from those rounded counts.
  A count that is not 0 never rounds below the base (1 to 7 -> 5). Withdrawals, updates
  and made-up submissions then move it only in steps of whole rounded counts, so
  differencing two releases gives at most a service's rounded count, which leaves at
  least ``protection_values`` possible values (the protection rule, ``data/rules.yaml``). A group
  total of new jobs, retained jobs or self-employment, once any service's figure for it
  was hidden, stays hidden for the rest of the session.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from toolkit.content.rules import DisclosureRules
from toolkit.domain.measures import Measure, ServiceMeasures, is_defined
from toolkit.domain.record import FIELD_LABELS

#: Counts of people or job outcomes that disclosure control applies to.
COUNT_KEYS = ("people_supported", "job_outcomes", "new_jobs", "jobs_retained", "self_employed")
COMPONENTS = ("new_jobs", "jobs_retained", "self_employed")
#: The group's headline counts: always shown (rounded) once the group is big enough.
HEADLINE = ("people_supported", "job_outcomes")

#: Every figure of a service, by flat dotted key, with its label.
LABELS: dict[str, str] = {
    "total_cost": FIELD_LABELS["total_cost"],
    "people_supported": FIELD_LABELS["people_supported"],
    "job_outcomes": "Job outcomes",
    "new_jobs": FIELD_LABELS["new_jobs"],
    "jobs_retained": FIELD_LABELS["jobs_retained"],
    "self_employed": FIELD_LABELS["self_employed"],
    "cost_per_person": "Cost per person supported",
    "cost_per_job_outcome": "Cost per job outcome",
    "job_outcome_rate": "Job outcome rate",
    "support_level_index": "Support Level Index",
    "per_100_supported.new_jobs": "New jobs per 100 supported",
    "per_100_supported.jobs_retained": "Retained jobs per 100 supported",
    "per_100_supported.self_employed": "Self-employed per 100 supported",
    "outcome_split.new_jobs": "Share of job outcomes that were new jobs",
    "outcome_split.jobs_retained": "Share of job outcomes that were retained jobs",
    "outcome_split.self_employed": "Share of job outcomes that were self-employment",
}
FIGURE_KEYS = tuple(LABELS)

#: Figures that give a count away when shown beside the other figures.
REVEALS: dict[str, tuple[str, ...]] = {
    "people_supported": (
        "people_supported",
        "cost_per_person",
        "job_outcome_rate",
        "per_100_supported.new_jobs",
        "per_100_supported.jobs_retained",
        "per_100_supported.self_employed",
        "support_level_index",
    ),
    "job_outcomes": (
        "job_outcomes",
        "cost_per_job_outcome",
        "job_outcome_rate",
        "outcome_split.new_jobs",
        "outcome_split.jobs_retained",
        "outcome_split.self_employed",
    ),
    **{key: (key, f"per_100_supported.{key}", f"outcome_split.{key}") for key in COMPONENTS},
}

#: Why a count is hidden.
SMALL, SECONDARY, GROUP, POOLED, ONCE_HIDDEN = "small", "secondary", "group", "pooled", "once"
#: A group total that, rounded, is no more than the threshold (0 or 5): hidden, so that
#: whether it is shown never tells whether the true total crossed the threshold.
SMALL_TOTAL = "small_total"

Counts = Mapping[str, int]
Hidden = dict[str, str]


def is_small(count: int, disclosure: DisclosureRules) -> bool:
    """A count that primary suppression hides."""
    if count == 0:
        return disclosure.suppress_zero_counts
    return count < disclosure.min_count_shown


def round_to_base(count: int, base: int) -> int:
    """``count`` to the nearest multiple of ``base`` (halves up), never below ``base`` unless 0.

    For base 5: 0 -> 0; 1 to 7 -> 5; 8 to 12 -> 10. A count that is not 0 never rounds to
    0, so a group's rounded total always leaves a hidden count at least ``base`` possible
    values (1 to 7, or 5 around its rounded value), whoever knows the other members' counts.
    """
    if count == 0 or base <= 1:
        return count
    return max(base, base * ((2 * count + base) // (2 * base)))


def counts_of(measures: ServiceMeasures) -> dict[str, int]:
    return {key: int(getattr(measures, key)) for key in COUNT_KEYS}


def flat_figures(measures: ServiceMeasures) -> dict[str, float | None]:
    """Every figure by flat dotted key; a figure that is not defined is None."""

    def plain(value: Measure | None, places: int) -> float | None:
        return round(float(value), places) if is_defined(value) else None

    figures: dict[str, float | None] = {
        "total_cost": measures.total_cost,
        **{key: getattr(measures, key) for key in COUNT_KEYS},
        "cost_per_person": plain(measures.cost_per_person, 2),
        "cost_per_job_outcome": plain(measures.cost_per_job_outcome, 2),
        "job_outcome_rate": plain(measures.job_outcome_rate, 4),
        "support_level_index": plain(measures.support_level_index, 3),
    }
    for key in COMPONENTS:
        figures[f"per_100_supported.{key}"] = plain(measures.per_100_supported.get(key), 2)
        figures[f"outcome_split.{key}"] = plain(measures.outcome_split.get(key), 4)
    return figures


def hidden_counts(
    counts: Counts, disclosure: DisclosureRules, forced: Hidden | None = None
) -> Hidden:
    """One service's counts to hide and why: primary, then secondary within the service.

    ``forced`` maps counts that must be hidden whatever their size to the reason
    (a complement for the group, see :func:`group_hidden`).
    """
    hidden = {key: SMALL for key in COUNT_KEYS if is_small(counts[key], disclosure)}
    for key, why in (forced or {}).items():
        hidden.setdefault(key, why)

    if "job_outcomes" in hidden or any(key in hidden for key in COMPONENTS):
        # All three parts go together. With the total shown, the hidden parts would add up
        # to the total less the shown ones; with the total hidden, shown parts would put a
        # floor under it that, beside the group's rounded total, can leave too few values.
        for key in COMPONENTS:
            hidden.setdefault(key, SECONDARY)
    return hidden


def _exposed(values: Sequence[int]) -> bool:
    """Hidden cells of one count that the group total, less the shown cells, would single out.

    It looks only at how many cells are hidden, never at their sizes: a rule that hid
    more when the hidden cells were smaller would itself tell their sizes. (The group's
    totals add rounded counts, so even two hidden cells give away only a rounded sum.)
    """
    return len(values) == 1


def _pinned_by_bound(hidden: Hidden) -> str | None:
    """The headline count to hide beside a member's other hidden headline count.

    Job outcomes are at most the people supported, so beside an exact count of people a
    hidden, rounded count of job outcomes can have only one possible value (8 of 8 people:
    rounded to 10, only 8 fits), and the same the other way round. The two are hidden
    together whatever their values: a rule that looked at the values would tell them.
    """
    people, jobs = "people_supported" in hidden, "job_outcomes" in hidden
    if jobs and not people:
        return "people_supported"
    if people and not jobs:
        return "job_outcomes"
    return None


def group_hidden(
    counts: Sequence[Counts], disclosure: DisclosureRules
) -> tuple[list[Hidden], Hidden]:
    """Hidden cells for each service of a pooled group, and the group totals hidden.

    Secondary suppression across the group hides the fewest member cells (the
    smallest other one) so that no count has a single hidden cell that the group's
    total, less the shown cells, would single out. When no member cell is left to hide,
    a group total of an outcome part is hidden; the group's headline (people supported,
    job outcomes) never is, since its rounding protects the cell.
    """
    forced: list[Hidden] = [{} for _ in counts]
    pooled: Hidden = {}
    while True:
        per_service = [hidden_counts(c, disclosure, f) for c, f in zip(counts, forced, strict=True)]
        changed = False
        for index, h in enumerate(per_service):
            pinned = _pinned_by_bound(h)
            if pinned is not None:
                forced[index][pinned] = GROUP
                changed = True
                break
        if changed:
            continue
        for key in COUNT_KEYS:
            if key in pooled:
                continue
            values = [c[key] for c, h in zip(counts, per_service, strict=True) if key in h]
            if not _exposed(values):
                continue
            candidates = [
                (c[key], index)
                for index, (c, h) in enumerate(zip(counts, per_service, strict=True))
                if key not in h and c[key] > 0  # a zero protects nothing
            ]
            if not candidates:
                if key in HEADLINE:
                    # The group's headline stays: rounding alone then leaves the one hidden
                    # cell at least ``rounding_base`` possible values (see round_to_base).
                    continue
                pooled[key] = POOLED
                changed = True
                continue
            # The smallest other cell that is not itself small (hiding it loses least).
            _, chosen = min(candidates)
            forced[chosen][key] = GROUP
            changed = True
            break  # work the services' own rules through before looking again
        if not changed:
            return per_service, pooled


def suppressed(
    figures: Mapping[str, float | None], hidden: Hidden, disclosure: DisclosureRules
) -> tuple[dict[str, float | None], dict[str, str]]:
    """The figures with hidden ones set to None, and the reason for each (by dotted key)."""
    shown = dict(figures)
    reasons: dict[str, str] = {}
    for key in COUNT_KEYS:
        if key not in hidden:
            continue
        reasons.setdefault(key, reason(key, hidden[key], disclosure))
        for path in REVEALS[key]:
            shown[path] = None
            reasons.setdefault(
                path,
                f"{LABELS[path]}: not shown because it would give away a hidden count "
                f"({LABELS[key].lower()}).",
            )
    return shown, reasons


def reason(key: str, why: str, disclosure: DisclosureRules) -> str:
    """Why one count is hidden, in plain words.

    A member's hidden counts all get the same words, whether the count is small or hidden
    to protect another: saying which were small would itself help work them out.
    """
    label, limit = LABELS[key], disclosure.min_count_shown
    if why == POOLED:
        return (
            f"{label}: not shown for the group because one service's figure for it is "
            "hidden and no other could be hidden with it, so the group's total would give "
            "it away."
        )
    if why == SMALL_TOTAL:
        return (
            f"{label}: not shown for the group because its rounded total is {limit} or "
            "fewer, too few to show safely."
        )
    if why == ONCE_HIDDEN:
        return (
            f"{label}: not shown for the group because a service's figure for it was hidden "
            "in this session; it stays hidden so that figures before and after a change "
            "cannot be compared to find it."
        )
    return (
        f"{label}: not shown, to protect small numbers (it is fewer than {limit}, or it "
        f"would let a number under {limit} be worked out from the other figures or the "
        "group's total)."
    )


def small_totals(totals: Mapping[str, int], disclosure: DisclosureRules) -> list[str]:
    """The group's rounded totals of outcome parts too small to show (no more than the threshold).

    Only where counts are rounded: a rounded total at the threshold could hold a member's
    hidden count just under it, so both it and 0 are hidden and neither gives that away.
    The headline (people supported, job outcomes) is always shown: a hidden count in it
    keeps at least ``rounding_base`` possible values from its rounding alone.
    """
    if disclosure.rounding_base <= 1:
        return []
    return [key for key in COMPONENTS if totals[key] <= disclosure.min_count_shown]


def rounded_totals(counts: Iterable[Counts], base: int) -> dict[str, int]:
    """The group's counts: each service's count rounded to ``base``, then added up."""
    totals = dict.fromkeys(COUNT_KEYS, 0)
    for service in counts:
        for key in COUNT_KEYS:
            totals[key] += round_to_base(int(service[key]), base)
    return totals
