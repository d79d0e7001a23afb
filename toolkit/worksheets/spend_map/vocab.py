"""The words of the spend map: types of support, client groups, flags and answers.

Each set follows the NDTi Stage One questionnaire (the study's Appendix 1).
Parsing ignores case, surrounding spaces and repeated inner spaces, and accepts
the questionnaire's longer wording as well as the short names.
"""

from __future__ import annotations

from enum import StrEnum


class SupportType(StrEnum):
    """Question 2b's rows: the kinds of employment support money is spent on."""

    paid_work = "support into paid work"
    self_employment = "self-employment"
    college = "college courses and supported internships"
    day_services = "work preparation in day services"
    volunteering = "volunteering"
    unpaid_work = "support into unpaid work"
    other = "other"


class ClientGroup(StrEnum):
    """Question 2b's columns: who the support is for."""

    mental_health = "mental health"
    learning_disability = "learning disability"
    other = "other"
    combined = "combined"


class Flag(StrEnum):
    """How firm a figure is, as the questionnaire asks after each table."""

    rough = "rough estimate"
    calculated = "calculated"


class FiveYearChange(StrEnum):
    """Spend this year against five years ago (question 2a)."""

    more = "more"
    same = "same"
    less = "less"


class BudgetChange(StrEnum):
    """One stream's change from one year to the next, in Table 2's four headings."""

    increase = "increase"
    equal = "equal"
    decrease = "decrease"
    cut = "cut"


class Organisation(StrEnum):
    """Question 2c: who delivers the support."""

    in_house = "local authority in-house"
    nhs_trust = "NHS trust"
    private = "private sector"
    voluntary = "voluntary and community sector"


#: Wording shown to users (sentence case) for each type of support.
SUPPORT_TYPE_LABELS: dict[SupportType, str] = {
    SupportType.paid_work: "Support into paid work (minimum wage or more)",
    SupportType.self_employment: "Self-employment and micro-enterprise",
    SupportType.college: "College courses and supported internships",
    SupportType.day_services: "Work preparation in day services",
    SupportType.volunteering: "Volunteering aimed at paid work",
    SupportType.unpaid_work: "Support into unpaid work (below minimum wage)",
    SupportType.other: "Other or unspecified",
}

CLIENT_GROUP_LABELS: dict[ClientGroup, str] = {
    ClientGroup.mental_health: "Mental health",
    ClientGroup.learning_disability: "Learning disability",
    ClientGroup.other: "Other client groups",
    ClientGroup.combined: "Combined or multi-disability",
}

#: Streams the questionnaire names; users may add their own.
STANDARD_STREAMS = ("social care", "health", "combined")

_EXTRA_SUPPORT_WORDS: dict[str, SupportType] = {
    "paid work": SupportType.paid_work,
    "support into paid work (minimum wage or more)": SupportType.paid_work,
    "self employment": SupportType.self_employment,
    "self-employment and micro-enterprise": SupportType.self_employment,
    "support into self-employment / micro enterprises": SupportType.self_employment,
    "college courses / supported internships": SupportType.college,
    "specific work preparation activity in day services": SupportType.day_services,
    "volunteering aimed at paid work": SupportType.volunteering,
    "volunteering with an end focus on paid work": SupportType.volunteering,
    "support into unpaid work (below minimum wage)": SupportType.unpaid_work,
    "unpaid work": SupportType.unpaid_work,
    "other or unspecified": SupportType.other,
    "unspecified": SupportType.other,
}

_EXTRA_GROUP_WORDS: dict[str, ClientGroup] = {
    "mental health problems": ClientGroup.mental_health,
    "learning disabilities": ClientGroup.learning_disability,
    "other client groups": ClientGroup.other,
    "other clients": ClientGroup.other,
    "combined or multi-disability": ClientGroup.combined,
    "combined / multi-disability": ClientGroup.combined,
    "multi-disability": ClientGroup.combined,
}

_EXTRA_FLAG_WORDS: dict[str, Flag] = {
    "rough": Flag.rough,
    "estimate": Flag.rough,
    "rough estimates": Flag.rough,
    "calculated figures": Flag.calculated,
    "accurate": Flag.calculated,
    "calculated, accurate": Flag.calculated,
}


def normalise(text: object) -> str:
    """Lower case, single spaces, no surrounding space, dashes made plain."""
    value = str(text).replace("\u2013", "-").replace("\u2014", "-").replace("\u00a0", " ")
    return " ".join(value.split()).casefold()


def _parse(text: object, choices: type[StrEnum], extra: dict, what: str):
    key = normalise(text)
    for choice in choices:
        if key == normalise(choice.value):
            return choice
    for words, choice in extra.items():
        if key == normalise(words):
            return choice
    allowed = "; ".join(f"'{choice.value}'" for choice in choices)
    shown = str(text).strip()
    raise ValueError(f"'{shown}' is not a {what}; use one of {allowed}" if shown else
                     f"give a {what}: one of {allowed}")


def parse_support_type(text: object) -> SupportType:
    """A type of support from what a user typed (case and spaces ignored)."""
    if isinstance(text, SupportType):
        return text
    return _parse(text, SupportType, _EXTRA_SUPPORT_WORDS, "type of support")


def parse_client_group(text: object) -> ClientGroup:
    """A client group from what a user typed (case and spaces ignored)."""
    if isinstance(text, ClientGroup):
        return text
    return _parse(text, ClientGroup, _EXTRA_GROUP_WORDS, "client group")


def parse_flag(text: object) -> Flag:
    """'rough estimate' or 'calculated' from what a user typed."""
    if isinstance(text, Flag):
        return text
    return _parse(text, Flag, _EXTRA_FLAG_WORDS, "flag")


def parse_organisation(text: object) -> Organisation:
    """A delivery organisation type (question 2c)."""
    if isinstance(text, Organisation):
        return text
    extra = {"in-house": Organisation.in_house, "nhs": Organisation.nhs_trust,
             "private": Organisation.private, "voluntary": Organisation.voluntary,
             "community and voluntary sector": Organisation.voluntary,
             "vcs": Organisation.voluntary}
    return _parse(text, Organisation, extra, "delivery organisation")


def parse_five_year(text: object) -> FiveYearChange:
    """'more', 'same' or 'less' than five years ago."""
    if isinstance(text, FiveYearChange):
        return text
    extra = {"the same": FiveYearChange.same, "more than 5 yrs ago": FiveYearChange.more,
             "less than 5 yrs ago": FiveYearChange.less}
    return _parse(text, FiveYearChange, extra, "five-year answer")
