"""Records of the learning-network programme (pydantic): what goes in and what comes out."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Role(StrEnum):
    """A member organisation's role in the network."""

    STRATEGIC = "strategic"  # strategic lead, commissioner or funder
    PRACTITIONER = "practitioner"  # provider or practitioner


ROLE_LABELS = {
    Role.STRATEGIC: "Strategic (commissioner or funder)",
    Role.PRACTITIONER: "Practitioner (provider)",
}


class NoteKind(StrEnum):
    ISSUE = "issue"
    IDEA = "idea"
    OUTCOME = "outcome"


NOTE_KIND_LABELS = {
    NoteKind.ISSUE: "Issues raised",
    NoteKind.IDEA: "Ideas and solutions",
    NoteKind.OUTCOME: "Outcomes",
}


class Audience(StrEnum):
    POLICY = "policy"
    FUNDERS = "funders"
    PRACTITIONERS = "practitioners"
    MEMBER = "member"


AUDIENCE_LABELS = {
    Audience.POLICY: "For policy makers",
    Audience.FUNDERS: "For funders",
    Audience.PRACTITIONERS: "For practitioners",
    Audience.MEMBER: "For members themselves",
}


class Status(StrEnum):
    OPEN = "open"
    DONE = "done"
    DROPPED = "dropped"


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True)


class CreatedNetwork(_Record):
    """A new network: share ``code``; keep ``facilitator_key`` private (shown once)."""

    code: str
    facilitator_key: str = Field(repr=False)
    title: str


class CreatedMember(_Record):
    """A new member: ``link_token`` opens their private view (shown once, stored as a digest)."""

    member_id: str
    link_token: str = Field(repr=False)
    name: str
    role: Role


class Member(_Record):
    member_id: str
    name: str
    role: Role
    set_name: str | None


class SetInfo(_Record):
    name: str
    members: tuple[str, ...]
    merged_into: str | None = None


class Issue(_Record):
    issue_id: int
    text: str
    origin: str  # "seed", "condition" or "facilitator"
    chosen: bool


class PriorityRank(_Record):
    """One candidate issue's standing: mean score (1-5), number of ratings and their spread."""

    issue: str
    mean_score: float | None
    ratings: int
    spread: int | None  # highest score minus lowest
    lowest: int | None
    highest: int | None
    chosen: bool = False


class Note(_Record):
    kind: NoteKind
    text: str


class Action(_Record):
    action_id: str
    meeting_id: str
    what: str
    who: str
    due: dt.date
    audience: Audience
    status: Status
    status_changed: dt.date | None = None
    previous_due: dt.date | None = None
    member_id: str | None = None


class Meeting(_Record):
    meeting_id: str
    date: dt.date
    theme: str
    set_name: str | None
    notes: tuple[Note, ...] = ()


class FeedbackSummary(_Record):
    meeting_id: str
    responses: int
    useful_mean: float | None
    useful_counts: dict[int, int]
    new_contacts: int
    will_do_differently: tuple[str, ...]


class EvidenceCard(_Record):
    title: str
    summary: str
    prompts: tuple[str, ...]
    source: str  # document title and section, never a file name


class YearFigures(_Record):
    """One member's own figures for one year."""

    year: int
    people_supported: int
    job_outcomes: int


class MemberView(_Record):
    """Everything one member may see from their private link."""

    network_title: str
    member: Member
    session_code: str | None
    issues: tuple[Issue, ...]
    my_ratings: dict[int, int]
    meetings: tuple[Meeting, ...]
    actions: tuple[Action, ...]  # agreed at the member's own meetings
    my_action_ids: tuple[str, ...]
    feedback_given: tuple[str, ...]  # meeting ids
    figures: tuple[YearFigures, ...] = ()  # the member's own, oldest year first


class TrendYear(_Record):
    """The network's totals for one year; totals are None when too few members shared."""

    year: int
    members: int
    people_supported: int | None
    job_outcomes: int | None
    job_outcome_rate: float | None


class Briefing(_Record):
    """A briefing pack for one meeting."""

    network_title: str
    meeting: Meeting
    readers: tuple[str, ...]
    pooled: dict | None
    pooled_services: int
    pooled_not_shown: tuple[str, ...]
    evidence: tuple[EvidenceCard, ...]
    due: dict[str, tuple[Action, ...]]  # member name -> open actions due by the meeting
    moved: tuple[Action, ...]  # done, dropped or re-dated since the set's previous meeting
    previous_meeting: str | None
    trend: tuple[TrendYear, ...] = ()
