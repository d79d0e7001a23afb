"""Learning-network sessions: codes, pooling and disclosure control, as pure logic.

A facilitator opens a session; commissioners submit their services' figures to
it; the facilitator sees the pooled figures and a list of the services. Nothing
here touches the database (see :mod:`toolkit.network.store`) or the disk.

Disclosure control (values in ``data/rules.yaml``, key ``disclosure``):

* pooled figures only when at least ``min_services_for_pooled`` services shared;
* a count of people or job outcomes under ``min_count_shown`` is not shown for a
  service, with a reason; nor is any figure it could be worked out from (a rate,
  a cost per person, a share), nor a second count when the hidden one could
  otherwise be found by subtraction (``secondary`` suppression);
* a pooled count is hidden when, set beside the services' shown counts, it would
  give away a service's hidden count;
* anonymous submissions are shown as "Service A", "Service B", ... in the order
  they were first submitted, with no name.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from toolkit.content.rules import DisclosureRules, rules
from toolkit.domain.measures import ServiceMeasures, measure_service, pool_services
from toolkit.domain.record import FIELD_LABELS, ServiceRecord
from toolkit.domain.results import measures_to_dict
from toolkit.present.spreadsheets import inert

# --------------------------------------------------------------------------- codes

#: Characters of a session code: digits and capitals without look-alikes (no 0, O, 1, I, L).
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_GROUPS = 3
CODE_GROUP_LENGTH = 4
CODE_LENGTH = CODE_GROUPS * CODE_GROUP_LENGTH
CODE_EXAMPLE = "K7QF-M2XD-9PRT"
_CODE_SEPARATORS = str.maketrans("", "", "- \t\u2010\u2011\u2012\u2013\u2014")


def new_session_code() -> str:
    """A random code in its stored form (12 characters, about 59 bits), e.g. ``K7QFM2XD9PRT``."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: object) -> str | None:
    """A typed code in its stored form, or None if it cannot be a code.

    Case does not matter, and dashes and spaces are optional: ``k7qf m2xd-9prt``
    is ``K7QFM2XD9PRT``.
    """
    if not isinstance(text, str) or len(text) > 64:
        return None
    code = text.translate(_CODE_SEPARATORS).upper()
    if len(code) != CODE_LENGTH or any(char not in CODE_ALPHABET for char in code):
        return None
    return code


def format_code(code: str) -> str:
    """A stored code as people read it: ``K7QF-M2XD-9PRT``."""
    size = CODE_GROUP_LENGTH
    return "-".join(code[start : start + size] for start in range(0, len(code), size))


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class SessionInfo:
    """What a session is: its code (stored form), title and date."""

    code: str
    title: str
    date: dt.date | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": format_code(self.code),
            "title": self.title,
            "date": self.date.isoformat() if self.date else None,
        }


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


ANONYMOUS_NAME = "Anonymous service"


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


# --------------------------------------------------------------------------- suppression

#: Counts of people or job outcomes that disclosure control applies to.
COUNT_KEYS = ("people_supported", "job_outcomes", "new_jobs", "jobs_retained", "self_employed")
COMPONENTS = ("new_jobs", "jobs_retained", "self_employed")

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

#: Figures that give a count away when shown beside the other figures.
_REVEALS: dict[str, tuple[str, ...]] = {
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
SMALL, SECONDARY, POOLED = "small", "secondary", "pooled"


def _is_small(count: int, disclosure: DisclosureRules) -> bool:
    if count == 0:
        return disclosure.suppress_zero_counts
    return count < disclosure.min_count_shown


def counts_of(measures: ServiceMeasures) -> dict[str, int]:
    return {key: int(getattr(measures, key)) for key in COUNT_KEYS}


def hidden_counts(
    counts: dict[str, int],
    disclosure: DisclosureRules,
    forced: Sequence[str] = (),
) -> dict[str, str]:
    """Which counts to hide and why (``small``, ``secondary`` or ``pooled``).

    ``forced`` names counts that must be hidden whatever their size (a pooled
    count that would give a service's hidden count away).
    """
    hidden = {key: SMALL for key in COUNT_KEYS if _is_small(counts[key], disclosure)}
    for key in forced:
        hidden.setdefault(key, POOLED)

    def hidden_parts() -> list[str]:
        return [key for key in COMPONENTS if key in hidden]

    def hide_smallest_shown_part() -> bool:
        shown = [key for key in COMPONENTS if key not in hidden]
        if not shown:
            return False
        hidden[min(shown, key=lambda key: (counts[key], COMPONENTS.index(key)))] = SECONDARY
        return True

    if "job_outcomes" in hidden:
        # The parts must not add up to the hidden total.
        if not hidden_parts():
            hide_smallest_shown_part()
    elif hidden_parts():
        # With the total shown, one hidden part is the total less the others: hide
        # parts until at least two are hidden and together they reach the threshold.
        while len(hidden_parts()) < 2 or (
            sum(counts[key] for key in hidden_parts()) < disclosure.min_count_shown
        ):
            if not hide_smallest_shown_part():
                break
    return hidden


def _reason(key: str, why: str, disclosure: DisclosureRules) -> str:
    label, limit = LABELS[key], disclosure.min_count_shown
    if why == SMALL:
        return f"{label}: not shown because it is fewer than {limit}; small numbers could identify people."
    if why == SECONDARY:
        return (
            f"{label}: not shown so that a hidden number under {limit} cannot be worked out "
            "by subtracting the other figures."
        )
    return (
        f"{label}: not shown for the pooled figures because, set beside the services' own "
        f"figures, it would give away a hidden number under {limit}."
    )


def apply_suppression(
    measures: dict[str, Any], hidden: dict[str, str], disclosure: DisclosureRules
) -> tuple[dict[str, Any], dict[str, str]]:
    """The measures with hidden figures set to None, and the reason for each (by dotted path)."""
    shown = {
        key: dict(value) if isinstance(value, dict) else value for key, value in measures.items()
    }
    reasons: dict[str, str] = {}
    for key in COUNT_KEYS:
        if key not in hidden:
            continue
        reasons.setdefault(key, _reason(key, hidden[key], disclosure))
        for path in _REVEALS[key]:
            head, _, tail = path.partition(".")
            if tail:
                shown[head][tail] = None
            else:
                shown[head] = None
            reasons.setdefault(
                path,
                f"{LABELS[path]}: not shown because it would give away a hidden count "
                f"({LABELS[key].lower()}).",
            )
    return shown, reasons


def measures_with_counts(measures: ServiceMeasures) -> dict[str, Any]:
    """:func:`toolkit.domain.results.measures_to_dict` plus the three outcome counts."""
    data = measures_to_dict(measures)
    data.update({key: getattr(measures, key) for key in COMPONENTS})
    return data


# --------------------------------------------------------------------------- summary


def _pooled_forced(
    services: list[tuple[dict[str, int], dict[str, str]]], disclosure: DisclosureRules
) -> list[str]:
    """Pooled counts that, less the services' shown counts, would leave a hidden one exposed."""
    forced = []
    for key in COUNT_KEYS:
        hidden_values = [counts[key] for counts, hidden in services if key in hidden]
        if len(hidden_values) == 1 or (
            hidden_values and sum(hidden_values) < disclosure.min_count_shown
        ):
            forced.append(key)
    return forced


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _hidden_sentence(who: str, hidden: dict[str, str], disclosure: DisclosureRules) -> str:
    names = ", ".join(LABELS[key].lower() for key in COUNT_KEYS if key in hidden)
    return (
        f"{who}: {names} not shown (numbers under {disclosure.min_count_shown} could identify "
        "people, and other figures are hidden where they would let such a number be worked out)."
    )


def summarise(
    session: SessionInfo,
    submissions: Sequence[Submission],
    disclosure: DisclosureRules | None = None,
) -> dict[str, Any]:
    """A session's summary in the documented JSON shape, with disclosure control applied.

    ``submissions`` are in submission order and include no withdrawn ones.
    """
    disclosure = disclosure or rules().disclosure
    suppressed: list[str] = []
    entries = []
    per_service: list[tuple[dict[str, int], dict[str, str]]] = []
    for submission in submissions:
        measures = measure_service(submission.record)
        counts = counts_of(measures)
        hidden = hidden_counts(counts, disclosure)
        shown, reasons = apply_suppression(measures_with_counts(measures), hidden, disclosure)
        per_service.append((counts, hidden))
        if hidden:
            suppressed.append(_hidden_sentence(submission.shown_as, hidden, disclosure))
        entries.append(
            {
                "submission_id": submission.submission_id,
                "shown_as": submission.shown_as,
                "anonymous": submission.anonymous,
                "submitted_at": submission.submitted_at.isoformat(),
                "measures": shown,
                "suppressed": reasons,
            }
        )

    pooled: dict[str, Any] | None = None
    pooled_reasons: dict[str, str] = {}
    count = len(submissions)
    if count >= disclosure.min_services_for_pooled:
        measures = pool_services(submission.record for submission in submissions)
        hidden = hidden_counts(
            counts_of(measures), disclosure, _pooled_forced(per_service, disclosure)
        )
        pooled, pooled_reasons = apply_suppression(
            measures_with_counts(measures), hidden, disclosure
        )
        if hidden:
            suppressed.insert(0, _hidden_sentence("Pooled figures", hidden, disclosure))
    else:
        has = "no services have" if count == 0 else f"only {_plural(count, 'service')} "
        has += "" if count == 0 else ("has" if count == 1 else "have")
        suppressed.insert(
            0,
            f"Pooled figures are not shown: they need at least "
            f"{_plural(disclosure.min_services_for_pooled, 'service')}, and {has} shared "
            "figures so far (so no one service's figures can be read from them).",
        )
    return {
        "session": session.to_dict(),
        "services": count,
        "pooled": pooled,
        "pooled_suppressed": pooled_reasons,
        "suppressed": suppressed,
        "submissions": entries,
    }


# --------------------------------------------------------------------------- session pack

NOT_SHOWN = "not shown"
NOT_DEFINED = "not defined"
POOLED_ROW = "All services (pooled)"

#: Columns of the pack's figures table: (heading, dotted path, kind).
PACK_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("Total annual cost (£)", "total_cost", "money"),
    ("People supported", "people_supported", "count"),
    ("Job outcomes", "job_outcomes", "count"),
    ("Gained a new job", "new_jobs", "count"),
    ("Retained a job", "jobs_retained", "count"),
    ("Became self-employed", "self_employed", "count"),
    ("Cost per person supported (£)", "cost_per_person", "money"),
    ("Cost per job outcome (£)", "cost_per_job_outcome", "money"),
    ("Job outcome rate (%)", "job_outcome_rate", "percent"),
    ("New jobs per 100 supported", "per_100_supported.new_jobs", "number"),
    ("Retained jobs per 100 supported", "per_100_supported.jobs_retained", "number"),
    ("Self-employed per 100 supported", "per_100_supported.self_employed", "number"),
    ("Support Level Index", "support_level_index", "number"),
)


def _cell(measures: dict[str, Any], reasons: dict[str, str], path: str, kind: str) -> Any:
    head, _, tail = path.partition(".")
    value = measures[head][tail] if tail else measures[head]
    if value is None:
        return NOT_SHOWN if path in reasons else NOT_DEFINED
    if kind == "percent":
        return round(100 * value, 1)
    return value


def pack_figures(summary: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """The pack's figures table: a pooled row (when shown), then one row per service."""
    header = ["Service"] + [heading for heading, _, _ in PACK_COLUMNS] + ["Notes"]
    rows = []
    sources = []
    if summary["pooled"] is not None:
        sources.append((POOLED_ROW, summary["pooled"], summary["pooled_suppressed"]))
    sources.extend(
        (entry["shown_as"], entry["measures"], entry["suppressed"])
        for entry in summary["submissions"]
    )
    for name, measures, reasons in sources:
        notes = " ".join(reason for path, reason in reasons.items() if path in COUNT_KEYS)
        rows.append(
            [name]
            + [_cell(measures, reasons, path, kind) for _, path, kind in PACK_COLUMNS]
            + [notes]
        )
    return header, rows


def pack_about(
    summary: dict[str, Any], disclosure: DisclosureRules | None = None
) -> list[list[Any]]:
    """The pack's first sheet: what the session is and what was left out, as (item, value) rows."""
    disclosure = disclosure or rules().disclosure
    session = summary["session"]
    rows: list[list[Any]] = [
        ["Session", session["title"]],
        ["Session code", session["code"]],
        ["Date", session["date"] or "not given"],
        ["Services that shared figures", summary["services"]],
        ["Pooled figures", "shown" if summary["pooled"] is not None else NOT_SHOWN],
        [
            "Consent",
            "Every service here agreed to share these figures with the session. Figures "
            "withdrawn by the service that sent them are not included.",
        ],
        [
            "Disclosure control",
            f"Pooled figures are shown only for {disclosure.min_services_for_pooled} or more "
            f"services. Counts of people or job outcomes under {disclosure.min_count_shown} are "
            f"shown as '{NOT_SHOWN}', and so are figures that would let them be worked out. "
            "Services that chose not to be named are shown as Service A, B, C... "
            f"'{NOT_DEFINED}' means the figure has no value (for example, no job outcomes).",
        ],
    ]
    rows.extend(["Not shown", reason] for reason in summary["suppressed"])
    return rows


_NUMBER_FORMATS = {"money": '"£"#,##0', "count": "#,##0", "percent": "0.0", "number": "0.##"}


def session_pack_bytes(summary: dict[str, Any], fmt: str) -> bytes:
    """The session pack as ``xlsx`` or ``csv`` bytes, from a (suppressed) summary."""
    header, rows = pack_figures(summary)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(["Session code", "Session title", *header])
        session = summary["session"]
        for row in rows:
            writer.writerow([inert(v) for v in [session["code"], session["title"], *row]])
        return buffer.getvalue().encode("utf-8-sig")
    if fmt != "xlsx":
        raise ValueError(f"format: '{fmt}' is not one of xlsx, csv")

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    about = book.active
    about.title = "Session"
    for row in pack_about(summary):
        about.append([inert(value) for value in row])
    about.column_dimensions["A"].width = 30
    about.column_dimensions["B"].width = 100
    for cell in about["B"]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for cell in about["A"]:
        cell.font = Font(bold=True)

    figures = book.create_sheet("Figures")
    figures.append([inert(value) for value in header])
    for cell in figures[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        figures.append([inert(value) for value in row])
    for column, (_, _, kind) in enumerate(PACK_COLUMNS, start=2):
        for (cell,) in figures.iter_rows(min_row=2, min_col=column, max_col=column):
            if isinstance(cell.value, int | float):
                cell.number_format = _NUMBER_FORMATS[kind]
    figures.column_dimensions["A"].width = 28
    figures.freeze_panes = "B2"
    workbook_buffer = io.BytesIO()
    book.save(workbook_buffer)
    return workbook_buffer.getvalue()
