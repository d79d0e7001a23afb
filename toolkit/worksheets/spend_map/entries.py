"""What a user typed into the spend map app, as text, and the map read from it.

The app keeps every entry as text (nothing typed is lost, even when it cannot be
read). :func:`read_entries` turns the entries into a :class:`SpendMap` and a list
of problems, each naming the line and field and what is expected; entries
that cannot be read are left out of the map, not guessed.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from toolkit.domain.parsing import is_blank, parse_count, parse_money
from toolkit.worksheets.spend_map.model import (
    ChangeArea,
    Eligibility,
    Factor,
    KnownUse,
    ProvisionLine,
    SpendMap,
    StreamSpend,
    parse_year,
)
from toolkit.worksheets.spend_map.vocab import (
    STANDARD_STREAMS,
    Organisation,
    parse_client_group,
    parse_support_type,
)

LINE_FIELDS = ("provider", "funding_stream", "support_type", "client_group", "annual_spend",
               "people_supported", "job_outcomes")
LINE_LABELS = {
    "provider": "Provider", "funding_stream": "Funding stream", "support_type": "Type of support",
    "client_group": "Client group", "annual_spend": "Annual spend (£)",
    "people_supported": "People supported", "job_outcomes": "Job outcomes",
}
#: Answers kept as a choice's value ('' = not answered).
CHOICE_FIELDS = ("lines_flag", "collects_numbers_into_work", "five_year", "organisations_flag",
                 "eligibility", "personal_budgets_allowed", "personal_budgets_use",
                 "personal_budgets_amount_known", "expected_change")
TEXT_FIELDS = ("area", "year", "price_year", "other_groups_named", "under_18_options", "under_18_spend",
               "expected_change_notes", "other_factor")


def blank_line() -> dict[str, str]:
    """A new provision line: every field empty."""
    return {name: "" for name in LINE_FIELDS}


def blank_stream(name: str = "") -> dict[str, str]:
    """A budget stream row: its name, three years' spend and the flag."""
    return {"stream": name, "last": "", "this": "", "next": "", "flag": ""}


def blank_entries() -> dict[str, Any]:
    """The entries of a new map."""
    return {
        **{name: "" for name in TEXT_FIELDS + CHOICE_FIELDS},
        "lines": [blank_line()],
        "streams": [blank_stream(name) for name in STANDARD_STREAMS] + [blank_stream()],
        "organisations": {org.value: "" for org in Organisation},
        "expected_change_areas": [],
        "factor_ranks": {factor.value: "" for factor in Factor},
    }


def clean_entries(raw: Any) -> dict[str, Any]:
    """Saved entries made safe to show: unknown keys dropped, every value kept as text."""
    entries = blank_entries()
    if not isinstance(raw, dict):
        return entries

    def text(value: Any) -> str:
        return "" if value is None else str(value)

    for name in TEXT_FIELDS + CHOICE_FIELDS:
        entries[name] = text(raw.get(name, ""))
    lines = [
        {name: text(line.get(name, "")) for name in LINE_FIELDS}
        for line in raw.get("lines") or [] if isinstance(line, dict)
    ]
    entries["lines"] = lines or [blank_line()]
    streams = [
        {name: text(row.get(name, "")) for name in blank_stream()}
        for row in raw.get("streams") or [] if isinstance(row, dict)
    ]
    if streams:
        entries["streams"] = streams
    for key in ("organisations", "factor_ranks"):
        saved = raw.get(key)
        if isinstance(saved, dict):
            for name in entries[key]:
                entries[key][name] = text(saved.get(name, ""))
    areas = raw.get("expected_change_areas")
    valid = {area.value for area in ChangeArea}
    entries["expected_change_areas"] = [a for a in areas if a in valid] if isinstance(
        areas, list) else []
    return entries


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def _percent(value: str) -> float:
    text = value.strip().rstrip("%").strip()
    number = float(text)
    if not 0 <= number <= 100:
        raise ValueError("give a percentage from 0 to 100")
    return number / 100


def read_entries(entries: dict[str, Any]) -> tuple[SpendMap, list[str]]:
    """The map from the entries, and a sentence for each entry that could not be read."""
    problems: list[str] = []
    data: dict[str, Any] = {"area": " ".join(entries.get("area", "").split())}
    if not is_blank(entries.get("year")):
        try:
            data["year"] = parse_year(entries["year"])
        except ValueError as exc:
            problems.append(f"Year: {exc}")
    if not is_blank(entries.get("price_year")):
        try:
            data["price_year"] = parse_year(entries["price_year"])
        except ValueError as exc:
            problems.append(f"Prices of which year: {exc}")
    lines = []
    for number, raw in enumerate(entries.get("lines", []), start=1):
        if all(is_blank(raw.get(name)) for name in LINE_FIELDS):
            continue
        values: dict[str, Any] = {}
        line_problems = []
        for name in LINE_FIELDS:
            value = raw.get(name, "")
            try:
                if name in ("provider", "funding_stream"):
                    if is_blank(value):
                        raise ValueError("fill this in")
                    values[name] = value
                elif name == "support_type":
                    values[name] = parse_support_type(value)
                elif name == "client_group":
                    values[name] = parse_client_group(value)
                elif name == "annual_spend":
                    if is_blank(value):
                        raise ValueError("give the annual spend in £ (0 if none)")
                    values[name] = parse_money(value)
                else:
                    values[name] = None if is_blank(value) else parse_count(value)
            except ValueError as exc:
                line_problems.append(f"Line {number}, {LINE_LABELS[name].lower()}: {exc}")
        if line_problems:
            problems.extend(line_problems)
            continue
        try:
            lines.append(ProvisionLine(**values))
        except ValidationError as exc:
            problems.append(f"Line {number}: {exc.errors()[0]['msg']}")
    data["lines"] = lines
    streams = []
    for row in entries.get("streams", []):
        amounts = []
        bad = False
        for key, label in (("last", "last year"), ("this", "this year"), ("next", "next year")):
            value = row.get(key, "")
            try:
                amounts.append(None if is_blank(value) else parse_money(value))
            except ValueError as exc:
                problems.append(f"Budget stream '{row.get('stream') or 'unnamed'}', {label}: {exc}")
                bad = True
        if bad or all(amount is None for amount in amounts):
            continue
        if is_blank(row.get("stream")):
            problems.append("Budget streams: give the other stream a name")
            continue
        streams.append(StreamSpend(stream=row["stream"], amounts=tuple(amounts),
                                   flag=row.get("flag") or None))
    data["streams"] = streams
    shares = {}
    for name, value in entries.get("organisations", {}).items():
        if is_blank(value):
            continue
        try:
            shares[Organisation(name)] = _percent(value)
        except ValueError:
            problems.append(f"Delivery organisations, {name}: give a percentage from 0 to 100")
    if sum(shares.values()) > 1.005:
        problems.append(f"Delivery organisations: the shares add to {sum(shares.values()):.0%}; "
                        "they cannot add to more than 100%")
        shares = {}
    data["organisations"] = shares
    ranks: dict[Factor, int] = {}
    for name, value in entries.get("factor_ranks", {}).items():
        if is_blank(value):
            continue
        try:
            rank = parse_count(value)
        except ValueError:
            problems.append(f"Factors, {name}: give a rank from 1 to {len(Factor)}")
            continue
        if not 1 <= rank <= len(Factor):
            problems.append(f"Factors, {name}: give a rank from 1 to {len(Factor)}")
            continue
        if rank in ranks.values():
            problems.append(f"Factors: rank {rank} is given twice; give each factor its own rank")
            continue
        ranks[Factor(name)] = rank
    data["factor_ranks"] = ranks
    for name in ("lines_flag", "five_year", "expected_change", "organisations_flag"):
        data[name] = entries.get(name) or None
    for name in ("collects_numbers_into_work", "personal_budgets_allowed",
                 "personal_budgets_amount_known"):
        data[name] = _yes_no(entries.get(name, ""))
    data["eligibility"] = Eligibility(entries["eligibility"]) if entries.get("eligibility") else None
    data["personal_budgets_use"] = (
        KnownUse(entries["personal_budgets_use"]) if entries.get("personal_budgets_use") else None)
    if not is_blank(entries.get("under_18_spend")):
        try:
            data["under_18_spend"] = parse_money(entries["under_18_spend"])
        except ValueError as exc:
            problems.append(f"Spend on under-18s: {exc}")
    for name in ("other_groups_named", "under_18_options", "expected_change_notes",
                 "other_factor"):
        data[name] = entries.get(name, "")
    data["expected_change_areas"] = [ChangeArea(a) for a in entries.get("expected_change_areas", [])]
    data["example"] = bool(lines) and all(
        line.provider.casefold().startswith("example") for line in lines)
    return SpendMap(**data), problems


def entries_from_map(spend_map: SpendMap) -> dict[str, Any]:
    """A map (from an uploaded file) as entries the app can show."""
    entries = blank_entries()

    def number(value: float | int | None) -> str:
        if value is None:
            return ""
        return f"{value:g}" if isinstance(value, float) and value == int(value) else str(value)

    entries["area"] = spend_map.area
    entries["year"] = spend_map.year or ""
    entries["price_year"] = spend_map.price_year or ""
    entries["lines"] = [
        {"provider": line.provider, "funding_stream": line.funding_stream,
         "support_type": line.support_type.value, "client_group": line.client_group.value,
         "annual_spend": number(line.annual_spend),
         "people_supported": number(line.people_supported),
         "job_outcomes": number(line.job_outcomes)}
        for line in spend_map.lines
    ] or [blank_line()]
    if spend_map.streams:
        entries["streams"] = [
            {"stream": s.stream, "last": number(s.amounts[0]), "this": number(s.amounts[1]),
             "next": number(s.amounts[2]), "flag": s.flag.value if s.flag else ""}
            for s in spend_map.streams
        ]
    for org, share in spend_map.organisations.items():
        entries["organisations"][org.value] = f"{share * 100:g}"
    for factor, rank in spend_map.factor_ranks.items():
        entries["factor_ranks"][factor.value] = str(rank)
    for name in CHOICE_FIELDS:
        value = getattr(spend_map, name)
        if isinstance(value, bool):
            entries[name] = "yes" if value else "no"
        elif value is not None:
            entries[name] = getattr(value, "value", str(value))
    for name in ("other_groups_named", "under_18_options", "expected_change_notes",
                 "other_factor"):
        entries[name] = getattr(spend_map, name)
    if spend_map.under_18_spend is not None:
        entries["under_18_spend"] = number(spend_map.under_18_spend)
    entries["expected_change_areas"] = [a.value for a in spend_map.expected_change_areas]
    return entries


def self_benchmark_state(line: ProvisionLine, year: str | None) -> dict[str, Any]:
    """The self-benchmark app's saved state for one provision line (its figures filled in)."""
    service = {
        "name": f"{line.provider} ({line.support_type.value}, {line.client_group.value})",
        "total_cost": f"{line.annual_spend:g}",
        "people_supported": "" if line.people_supported is None else str(line.people_supported),
        "new_jobs": "" if line.job_outcomes is None else str(line.job_outcomes),
        "year": year or "",
    }
    return {"services": [service], "selected": 0, "bands": "both", "budget": ""}


def _filled(line: dict[str, str]) -> bool:
    return any(str(value).strip() for value in line.values())


def merge_entries(current: dict[str, Any], incoming: dict[str, Any]) -> dict[str, Any]:
    """Entries from a file added to what is on screen, losing nothing typed.

    Lines are added after the lines already typed; an answer or a budget stream given in the
    file replaces the one on screen, and answers the file leaves blank keep what was typed.
    """
    merged = clean_entries(current)
    incoming = clean_entries(incoming)
    lines = [line for line in merged["lines"] if _filled(line)]
    lines += [line for line in incoming["lines"] if _filled(line)]
    merged["lines"] = lines or [blank_line()]
    for name in TEXT_FIELDS + CHOICE_FIELDS:
        if incoming[name].strip():
            merged[name] = incoming[name]
    if any(any(row[k].strip() for k in ("last", "this", "next")) for row in incoming["streams"]):
        merged["streams"] = incoming["streams"]
    for key in ("organisations", "factor_ranks"):
        for name, value in incoming[key].items():
            if value.strip():
                merged[key][name] = value
    merged["expected_change_areas"] = list(dict.fromkeys(
        merged["expected_change_areas"] + incoming["expected_change_areas"]))
    return merged
