"""An honest attacker on a session's summary: the range each hidden count could take.

It is written from the published rule, not from ``toolkit.network.disclosure``: it reads
only what a summary shows (every shown cell and ratio, the group's rounded totals and the
rounding base) and the limits everybody knows (whole numbers, at least 1 person supported,
outcome parts of 0 or more that add up to the job outcomes, job outcomes no more than the
people supported). For each hidden count it works out, by exact enumeration, the lowest
and highest value consistent with all of that.

Two attackers:

* :func:`outsider_ranges`: one release, seen by anyone in the room.
* :func:`insider_ranges`: a member who knows every *other* member's true figures (they
  made them up, or colluded) and sees every release while members come and go. Only the
  target's figures are unknown.

A range's upper end of :data:`UNBOUNDED` means nothing shown limits it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

UNBOUNDED = math.inf
PARTS = ("new_jobs", "jobs_retained", "self_employed")
COUNTS = ("people_supported", "job_outcomes", *PARTS)
#: Shown ratios and the counts each is worked out from (a shown ratio beside a hidden
#: count gives the count away).
RATIOS: dict[str, tuple[str, ...]] = {
    "cost_per_person": ("people_supported",),
    "cost_per_job_outcome": ("job_outcomes",),
    "job_outcome_rate": ("job_outcomes", "people_supported"),
    "support_level_index": ("people_supported",),
    **{f"per_100_supported.{k}": (k, "people_supported") for k in PARTS},
    **{f"outcome_split.{k}": (k, "job_outcomes") for k in PARTS},
}
#: Enumeration limit of the insider's search where nothing shown bounds a count; a range
#: reaching it is reported as unbounded (far wider than any protection rule).
SEARCH_CAP = 45

Range = tuple[float, float]


class NotModelled(AssertionError):
    """The summary shows something this attacker does not model: fail, never pass quietly."""


def published_round(count: int, base: int) -> int:
    """The published rounding: 0 stays 0; any other count goes to the nearest multiple of
    ``base`` (halves up), and never below ``base``."""
    if count == 0 or base <= 1:
        return count
    return max(base, base * ((2 * count + base) // (2 * base)))


def size(span: Range) -> float:
    """How many whole numbers a range holds."""
    low, high = span
    return UNBOUNDED if high == UNBOUNDED else high - low + 1


def _revealed_by_ratios(figures: Mapping[str, float | None]) -> set[str]:
    return {
        count
        for ratio, inputs in RATIOS.items()
        if figures.get(ratio) is not None
        for count in inputs
        if figures.get(count) is None
    }


def _pooled_total(pooled: Mapping[str, float | None], key: str) -> int | None:
    """A group total as shown, or as worked out from a shown ratio and the total cost."""
    value = pooled.get(key)
    if value is not None:
        return int(value)
    cost = pooled.get("total_cost") or 0
    people, jobs = pooled.get("people_supported"), pooled.get("job_outcomes")
    if key == "people_supported":
        if pooled.get("cost_per_person"):
            return round(cost / pooled["cost_per_person"])
        if jobs is not None and pooled.get("job_outcome_rate"):
            return round(jobs / pooled["job_outcome_rate"])
    if key == "job_outcomes":
        if pooled.get("cost_per_job_outcome"):
            return round(cost / pooled["cost_per_job_outcome"])
        if people is not None and pooled.get("job_outcome_rate") is not None:
            return round(people * pooled["job_outcome_rate"])
    if key in PARTS and jobs is not None and pooled.get(f"outcome_split.{key}") is not None:
        return round(jobs * pooled[f"outcome_split.{key}"])
    if key in PARTS and people is not None and pooled.get(f"per_100_supported.{key}") is not None:
        return round(people * pooled[f"per_100_supported.{key}"] / 100)
    return None


# --------------------------------------------------------------------------- one release


def outsider_ranges(summary: Mapping, base: int) -> dict[tuple[int, str], Range]:
    """The range of every hidden count of every member, from one release (``model_dump``)."""
    members = [entry["measures"] for entry in summary["submissions"]]
    pooled = summary.get("pooled") or {}
    totals = {key: _pooled_total(pooled, key) for key in COUNTS} if pooled else {}
    for key in PARTS:
        if totals.get(key) is not None and any(m[key] is None for m in members):
            raise NotModelled(f"a group total of {key} is shown beside a member's hidden {key}")
    coupled = [key for key in ("people_supported", "job_outcomes") if totals.get(key) is not None]
    half = (base - 1) // 2 if base > 1 else 0
    known_people = totals.get("people_supported")
    known_jobs = totals.get("job_outcomes")
    p_cap = UNBOUNDED if known_people is None else known_people + base + half
    j_cap_pooled = UNBOUNDED if known_jobs is None else known_jobs + base + half

    # Each member's possible (job outcomes, people) pairs, as ranges per job outcome value.
    local = []
    for figures in members:
        shown_parts = sum(int(figures[k]) for k in PARTS if figures[k] is not None)
        hidden_parts = [k for k in PARTS if figures[k] is None]
        people = figures["people_supported"]
        jobs = figures["job_outcomes"]
        if jobs is not None:
            job_values: Iterable[int] = [int(jobs)]
        elif not hidden_parts:
            job_values = [shown_parts]
        else:
            top = min(j_cap_pooled, p_cap if people is None else people)
            job_values = range(shown_parts, int(top) + 1) if top != UNBOUNDED else []
            if top == UNBOUNDED:
                job_values = None  # type: ignore[assignment]
        local.append((figures, shown_parts, hidden_parts, job_values))

    grid_shape = tuple(
        (int(totals[key]) // base) + 1 if key in coupled else 1
        for key in ("people_supported", "job_outcomes")
    )

    def cell(people: int, jobs: int) -> tuple[int, int]:
        return (
            published_round(people, base) // base if "people_supported" in coupled else 0,
            published_round(jobs, base) // base if "job_outcomes" in coupled else 0,
        )

    def contributions(index: int) -> set[tuple[int, int]]:
        figures, _, _, job_values = local[index]
        if job_values is None:
            raise NotModelled("a member with unbounded counts beside a shown group total")
        found = set()
        people = figures["people_supported"]
        for jobs in job_values:
            if people is not None:
                if jobs <= people:
                    found.add(cell(int(people), jobs))
            elif "people_supported" in coupled:
                for p in range(max(1, jobs), int(p_cap) + 1):
                    found.add(cell(p, jobs))
            else:
                found.add(cell(max(1, jobs), jobs))
        return found

    result: dict[tuple[int, str], Range] = {}
    for index, (figures, shown_parts, hidden_parts, job_values) in enumerate(local):
        hidden = [k for k in COUNTS if figures[k] is None]
        if not hidden:
            continue
        for key in _revealed_by_ratios(figures):
            result[(index, key)] = (0, 0)
        if not coupled or job_values is None:
            # Nothing ties this member to the others: only its own limits.
            if job_values is None:
                low_jobs, high_jobs = shown_parts, UNBOUNDED
            else:
                values = list(job_values)
                people = figures["people_supported"]
                if people is not None:
                    values = [j for j in values if j <= people]
                low_jobs, high_jobs = min(values), max(values)
            spans = {
                "job_outcomes": (low_jobs, high_jobs),
                "people_supported": (max(1, low_jobs), UNBOUNDED),
            }
        else:
            others = np.zeros(grid_shape, dtype=bool)
            others[0, 0] = True
            for other in range(len(local)):
                if other == index:
                    continue
                grown = np.zeros(grid_shape, dtype=bool)
                for a, b in contributions(other):
                    if a < grid_shape[0] and b < grid_shape[1]:
                        grown[a:, b:] |= others[: grid_shape[0] - a, : grid_shape[1] - b]
                others = grown
            target = (grid_shape[0] - 1, grid_shape[1] - 1)

            def fits(people: int, jobs: int, others=others, target=target) -> bool:
                a, b = cell(people, jobs)
                a, b = target[0] - a, target[1] - b
                return a >= 0 and b >= 0 and bool(others[a, b])

            people_shown = figures["people_supported"]
            feasible_jobs, feasible_people = [], []
            for jobs in job_values:
                if people_shown is not None:
                    if jobs <= people_shown and fits(int(people_shown), jobs):
                        feasible_jobs.append(jobs)
                elif "people_supported" in coupled:
                    ok = [p for p in range(max(1, jobs), int(p_cap) + 1) if fits(p, jobs)]
                    if ok:
                        feasible_jobs.append(jobs)
                        feasible_people.extend((min(ok), max(ok)))
                elif fits(max(1, jobs), jobs):
                    feasible_jobs.append(jobs)
            if not feasible_jobs:
                raise AssertionError("the attacker found no figures that fit: attacker bug")
            low_jobs, high_jobs = min(feasible_jobs), max(feasible_jobs)
            spans = {
                "job_outcomes": (low_jobs, high_jobs),
                "people_supported": (min(feasible_people), max(feasible_people))
                if feasible_people
                else (max(1, low_jobs), UNBOUNDED),
            }
        low_hidden, high_hidden = spans["job_outcomes"]
        for key in PARTS:
            if key not in hidden_parts:
                continue
            if len(hidden_parts) == 1:
                part = (low_hidden - shown_parts, high_hidden - shown_parts)
            else:
                part = (0, high_hidden - shown_parts)
            spans[key] = part
        for key in hidden:
            result.setdefault((index, key), spans[key])
    return result


# --------------------------------------------------------------------------- many releases


def insider_ranges(
    releases: Sequence[tuple[Mapping, int | None, Sequence[Mapping[str, int]]]], base: int
) -> dict[str, Range]:
    """The range of the target's counts over many releases, by one who knows the others.

    ``releases`` holds, per release, the summary (``model_dump``), the target's position
    among its members (None when the target is not in it), and every *other* member's true
    counts, in the summary's order without the target.
    """
    allowed: dict[str, set[int] | None] = dict.fromkeys(COUNTS)  # None: anything

    def narrow(key: str, values: Iterable[int]) -> None:
        values = set(values)
        allowed[key] = values if allowed[key] is None else allowed[key] & values

    for summary, position, others in releases:
        if position is None:
            continue
        figures = summary["submissions"][position]["measures"]
        for key in COUNTS:
            if figures[key] is not None:
                narrow(key, [int(figures[key])])
        for key in _revealed_by_ratios(figures):
            narrow(key, [-1])  # a ratio gives it away: no range left to protect it
        pooled = summary.get("pooled") or {}
        if not pooled:
            continue
        for key in COUNTS:
            total = _pooled_total(pooled, key)
            if total is None:
                continue
            rest = total - sum(published_round(o[key], base) for o in others)
            narrow(key, [v for v in range(SEARCH_CAP + 1) if published_round(v, base) == rest])

    def values(key: str, top: int) -> list[int]:
        chosen = allowed[key]
        return list(range(top + 1)) if chosen is None else sorted(v for v in chosen if v <= top)

    seen: dict[str, list[int]] = {key: [] for key in COUNTS}
    all_people = values("people_supported", SEARCH_CAP)
    self_employed_allowed = allowed["self_employed"]
    for jobs in values("job_outcomes", SEARCH_CAP):
        people = [p for p in all_people if p >= max(1, jobs)]
        if not people:
            continue
        fits = False
        for new in values("new_jobs", jobs):
            for retained in values("jobs_retained", jobs - new):
                self_employed = jobs - new - retained
                if self_employed_allowed is not None and self_employed not in self_employed_allowed:
                    continue
                fits = True
                seen["new_jobs"].append(new)
                seen["jobs_retained"].append(retained)
                seen["self_employed"].append(self_employed)
        if fits:
            seen["job_outcomes"].append(jobs)
            seen["people_supported"].extend((min(people), max(people)))
    ranges: dict[str, Range] = {}
    for key, found in seen.items():
        if not found:
            ranges[key] = (0, -1)  # given away (or the attacker is wrong: the test says which)
            continue
        low, high = min(found), max(found)
        ranges[key] = (low, UNBOUNDED if high >= SEARCH_CAP else high)
    return ranges
