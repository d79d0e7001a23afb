"""Operations on a learning-network programme, over the toolkit's store.

Every facilitator operation takes the network code and the facilitator key (checked in
constant time; a wrong code or key raises :class:`WrongNetworkKey` and says nothing
more). Members act only through their private link token, which is kept as a digest.

Who may read a meeting's note: the members of its set when the meeting was scheduled
(the whole network for a network-wide meeting), plus members who join that set before
anything is written in the note. A merge moves members and future meetings to the
merged set, never earlier notes: a set's note stays with the people who were in the room.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from toolkit.domain.parsing import parse_date
from toolkit.network.programme import content as programme_content
from toolkit.network.programme.models import (
    Action,
    Audience,
    Briefing,
    CreatedMember,
    CreatedNetwork,
    FeedbackSummary,
    Issue,
    Meeting,
    Member,
    MemberView,
    Note,
    NoteKind,
    PriorityRank,
    Role,
    SetInfo,
    Status,
    TrendYear,
    YearFigures,
)
from toolkit.network.programme.ranking import (
    MAX_SCORE,
    MIN_SCORE,
    mean_or_none,
    network_trend,
    rank_priorities,
)
from toolkit.network.programme.tables import (
    ActionRow,
    FeedbackRow,
    FiguresRow,
    IssueRow,
    MeetingRow,
    MemberRow,
    NetworkRow,
    NoteRow,
    ParagraphRow,
    RatingRow,
    ReaderRow,
    SetRow,
)
from toolkit.network.store import InvalidInput, Store, StoreError

MAX_NOTE_LENGTH = 4000
MAX_NAME_LENGTH = 200
_MAX_TOKEN_LENGTH = 256
_DUMMY_DIGEST = hashlib.sha256(b"no such network").hexdigest()


class WrongNetworkKey(StoreError):
    """Unknown network code or wrong facilitator key (deliberately not saying which)."""

    def __init__(self) -> None:
        super().__init__(
            "No network matches that code and facilitator key: check both and try again."
        )


class NotFound(InvalidInput):
    """A member, meeting, set or action the network does not have."""


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _token(nbytes: int) -> str:
    while True:  # never starts with "-", which would read as a command-line flag
        token = secrets.token_urlsafe(nbytes)
        if not token.startswith("-"):
            return token


def _well_formed(token: object) -> bool:
    return isinstance(token, str) and 0 < len(token) <= _MAX_TOKEN_LENGTH


def normalise_network_code(code: object) -> str | None:
    """A code as stored: letters and digits only, upper case (``k7qf-m2xd`` -> ``K7QFM2XD``)."""
    if not isinstance(code, str):
        return None
    cleaned = re.sub(r"[^A-Za-z0-9]", "", code).upper()
    return cleaned if 0 < len(cleaned) <= 12 else None


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def clean_text(value: object, field: str, limit: int = MAX_NAME_LENGTH) -> str:
    """Text with runs of white space folded; :class:`InvalidInput` naming ``field`` if empty or long."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"{field}: enter some text")
    folded = " ".join(value.split())
    if len(folded) > limit:
        raise InvalidInput(f"{field}: keep it to {limit} characters or fewer")
    return folded


def _enum(kind: Any, value: object, field: str) -> Any:
    try:
        return kind(value)
    except ValueError:
        allowed = "|".join(member.value for member in kind)
        raise InvalidInput(f"{field}: use one of {allowed} (got {value!r})") from None


def _date(value: object, field: str) -> dt.date:
    try:
        return parse_date(value)
    except ValueError as exc:
        raise InvalidInput(f"{field}: {exc}") from None


def _score(value: object, field: str = "score") -> int:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise InvalidInput(f"{field}: give a whole number from {MIN_SCORE} to {MAX_SCORE}")
    try:
        number = int(str(value).strip())
    except ValueError:
        raise InvalidInput(
            f"{field}: give a whole number from {MIN_SCORE} to {MAX_SCORE} (got {value!r})"
        ) from None
    if not MIN_SCORE <= number <= MAX_SCORE:
        raise InvalidInput(
            f"{field}: give a whole number from {MIN_SCORE} to {MAX_SCORE} (got {number})"
        )
    return number


def _whole(value: object, field: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise InvalidInput(f"{field}: give a whole number from {low} to {high:,}")
    try:
        number = int(str(value).strip().replace(",", ""))
    except ValueError:
        raise InvalidInput(
            f"{field}: give a whole number from {low} to {high:,} (got {value!r})"
        ) from None
    if not low <= number <= high:
        raise InvalidInput(f"{field}: give a whole number from {low} to {high:,} (got {number})")
    return number


class ProgrammeService:
    """The programme's operations. Uses the store's engine (same database, same migrations)."""

    def __init__(self, store: Store):
        self.store = store
        self._sessions = sessionmaker(store.engine, expire_on_commit=False)

    @contextmanager
    def _tx(self) -> Iterator[Session]:
        with self._sessions.begin() as session:
            yield session

    # ----------------------------------------------------------------- access

    def _network(self, session: Session, code: str, facilitator_key: str) -> NetworkRow:
        normalised = normalise_network_code(code)
        row = (
            session.scalars(select(NetworkRow).where(NetworkRow.code == normalised)).one_or_none()
            if normalised
            else None
        )
        given = _digest(facilitator_key) if _well_formed(facilitator_key) else _digest("")
        expected = row.facilitator_key_hash if row is not None else _DUMMY_DIGEST
        if not hmac.compare_digest(expected, given) or row is None:
            raise WrongNetworkKey()
        return row

    def _network_of(self, session: Session, member: MemberRow) -> NetworkRow:
        """The member's network; the foreign key means it is always there."""
        network = session.get(NetworkRow, member.network_id)
        if network is None:
            raise RuntimeError(f"member {member.id} has no network {member.network_id}")
        return network

    def _member_by_link(self, session: Session, link_token: str) -> MemberRow | None:
        if not _well_formed(link_token):
            return None
        digest = _digest(link_token)
        row = session.scalars(
            select(MemberRow).where(MemberRow.link_token_hash == digest)
        ).one_or_none()
        expected = row.link_token_hash if row is not None else _DUMMY_DIGEST
        if row is None or not hmac.compare_digest(expected, digest):
            return None
        return row

    def _member(self, session: Session, network: NetworkRow, member_id: str) -> MemberRow:
        row = session.scalars(
            select(MemberRow).where(
                MemberRow.network_id == network.id, MemberRow.member_id == str(member_id)
            )
        ).one_or_none()
        if row is None:
            raise NotFound(f"member-id: this network has no member {member_id!r}")
        return row

    def _meeting(self, session: Session, network: NetworkRow, meeting_id: str) -> MeetingRow:
        row = session.scalars(
            select(MeetingRow).where(
                MeetingRow.network_id == network.id, MeetingRow.meeting_id == str(meeting_id)
            )
        ).one_or_none()
        if row is None:
            raise NotFound(f"meeting-id: this network has no meeting {meeting_id!r}")
        return row

    def _set(self, session: Session, network: NetworkRow, name: str, create: bool) -> SetRow:
        clean = clean_text(name, "set")
        row = session.scalars(
            select(SetRow).where(SetRow.network_id == network.id, SetRow.name == clean)
        ).one_or_none()
        if row is None:
            if not create:
                known = ", ".join(self._set_names(session, network)) or "none yet"
                raise NotFound(f"set: this network has no set called {clean!r} (sets: {known})")
            row = SetRow(network_id=network.id, name=clean, merged_into_id=None)
            session.add(row)
            session.flush()
        elif row.merged_into_id is not None:
            target = session.get(SetRow, row.merged_into_id)
            raise InvalidInput(
                f"set: {clean!r} was merged into {target.name if target else 'another set'!r}; "
                "use that set"
            )
        return row

    def _set_names(self, session: Session, network: NetworkRow) -> list[str]:
        return list(
            session.scalars(
                select(SetRow.name)
                .where(SetRow.network_id == network.id, SetRow.merged_into_id.is_(None))
                .order_by(SetRow.id)
            )
        )

    # ----------------------------------------------------------------- network and members

    def create_network(self, title: str) -> CreatedNetwork:
        """Open a network. It comes with a learning-network session (same code and key) where
        members pool their figures; its pooled benchmark feeds the briefing packs."""
        clean_title = clean_text(title, "title")
        created = self.store.create_session(clean_title)
        code = normalise_network_code(created.code)
        with self._tx() as session:
            network = NetworkRow(
                code=code,
                title=clean_title,
                facilitator_key_hash=_digest(created.facilitator_key),
                session_code=created.code,
                created_at=_now(),
            )
            session.add(network)
            session.flush()
            for text, origin in programme_content.candidate_issues():
                session.add(IssueRow(network_id=network.id, text=text, origin=origin, chosen=False))
        return CreatedNetwork(
            code=created.code, facilitator_key=created.facilitator_key, title=clean_title
        )

    def network_title(self, code: str, facilitator_key: str) -> str:
        with self._tx() as session:
            return self._network(session, code, facilitator_key).title

    def add_member(
        self, code: str, facilitator_key: str, name: str, role: str, set_name: str | None = None
    ) -> CreatedMember:
        """Add a member organisation; returns its id and its private link token (shown once)."""
        clean_name = clean_text(name, "name")
        clean_role = _enum(Role, role, "role")
        token = _token(32)
        with self._tx() as session:
            network = self._network(session, code, facilitator_key)
            member = MemberRow(
                member_id=_token(9),
                network_id=network.id,
                name=clean_name,
                role=clean_role.value,
                link_token_hash=_digest(token),
                set_id=None,
                created_at=_now(),
            )
            session.add(member)
            session.flush()
            if set_name:
                self._join(session, member, self._set(session, network, set_name, create=True))
            else:
                self._join_open_meetings(session, network, member, None)
        return CreatedMember(
            member_id=member.member_id, link_token=token, name=clean_name, role=clean_role
        )

    def members(self, code: str, facilitator_key: str) -> list[Member]:
        with self._tx() as session:
            network = self._network(session, code, facilitator_key)
            return self._members(session, network)

    def _members(self, session: Session, network: NetworkRow) -> list[Member]:
        sets = {
            row.id: row.name
            for row in session.scalars(select(SetRow).where(SetRow.network_id == network.id))
        }
        rows = session.scalars(
            select(MemberRow).where(MemberRow.network_id == network.id).order_by(MemberRow.id)
        )
        return [
            Member(
                member_id=row.member_id,
                name=row.name,
                role=Role(row.role),
                set_name=sets.get(row.set_id) if row.set_id else None,
            )
            for row in rows
        ]

    # ----------------------------------------------------------------- sets

    def _has_notes(self, session: Session, meeting: MeetingRow) -> bool:
        return (
            session.scalars(select(NoteRow.id).where(NoteRow.meeting_id == meeting.id)).first()
            is not None
        )

    def _join_open_meetings(
        self, session: Session, network: NetworkRow, member: MemberRow, set_id: int | None
    ) -> None:
        """Make ``member`` a reader of the set's (or network-wide) meetings with no note yet."""
        meetings = session.scalars(
            select(MeetingRow).where(
                MeetingRow.network_id == network.id,
                MeetingRow.set_id.is_(None) if set_id is None else MeetingRow.set_id == set_id,
            )
        )
        for meeting in meetings:
            if not self._has_notes(session, meeting):
                self._add_reader(session, meeting, member)

    def _add_reader(self, session: Session, meeting: MeetingRow, member: MemberRow) -> None:
        exists = session.scalars(
            select(ReaderRow.id).where(
                ReaderRow.meeting_id == meeting.id, ReaderRow.member_id == member.id
            )
        ).first()
        if exists is None:
            session.add(ReaderRow(meeting_id=meeting.id, member_id=member.id))
            session.flush()

    def _join(self, session: Session, member: MemberRow, set_row: SetRow) -> None:
        """Move a member into a set: they leave the old set's meetings not yet noted and
        join the new set's."""
        if member.set_id is not None and member.set_id != set_row.id:
            for meeting in session.scalars(
                select(MeetingRow).where(MeetingRow.set_id == member.set_id)
            ):
                if not self._has_notes(session, meeting):
                    session.execute(
                        delete(ReaderRow).where(
                            ReaderRow.meeting_id == meeting.id, ReaderRow.member_id == member.id
                        )
                    )
        member.set_id = set_row.id
        session.flush()
        network = self._network_of(session, member)
        self._join_open_meetings(session, network, member, set_row.id)

    def assign(self, code: str, facilitator_key: str, member_id: str, set_name: str) -> None:
        """Put a member in a set (made if new). They read only that set's notes from now on."""
        with self._tx() as session:
            network = self._network(session, code, facilitator_key)
            member = self._member(session, network, member_id)
            self._join(session, member, self._set(session, network, set_name, create=True))

    def merge_sets(self, code: str, facilitator_key: str, names: list[str], into: str) -> None:
        """Merge sets: their members and meetings not yet noted move to ``into`` (made if new).
        Notes already written stay readable only by those who were in the set."""
        with self._tx() as session:
            network = self._network(session, code, facilitator_key)
            sources = [self._set(session, network, name, create=False) for name in names]
            target = self._set(session, network, into, create=True)
            for source in sources:
                if source.id == target.id:
                    continue
                for member in session.scalars(
                    select(MemberRow).where(MemberRow.set_id == source.id)
                ):
                    member.set_id = target.id
                for meeting in session.scalars(
                    select(MeetingRow).where(MeetingRow.set_id == source.id)
                ):
                    if not self._has_notes(session, meeting):
                        meeting.set_id = target.id
                        meeting.set_name = target.name
                source.merged_into_id = target.id
            session.flush()
            for member in session.scalars(select(MemberRow).where(MemberRow.set_id == target.id)):
                self._join_open_meetings(session, network, member, target.id)

    def sets(self, code: str, facilitator_key: str) -> list[SetInfo]:
        with self._tx() as session:
            network = self._network(session, code, facilitator_key)
            rows = list(
                session.scalars(
                    select(SetRow).where(SetRow.network_id == network.id).order_by(SetRow.id)
                )
            )
            names = {row.id: row.name for row in rows}
            members = defaultdict(list)
            for member in session.scalars(
                select(MemberRow).where(MemberRow.network_id == network.id)
            ):
                if member.set_id is not None:
                    members[member.set_id].append(member.name)
            return [
                SetInfo(
                    name=row.name,
                    members=tuple(members[row.id]),
                    merged_into=names.get(row.merged_into_id) if row.merged_into_id else None,
                )
                for row in rows
            ]

    # ----------------------------------------------------------------- priorities

    def add_issue(self, code: str, facilitator_key: str, text: str) -> Issue:
        with self._tx() as session:
            network = self._network(session, code, facilitator_key)
            return self._issue_row(session, network, text, create=True)

    def _issue_row(self, session: Session, network: NetworkRow, text: str, create: bool) -> Issue:
        clean = clean_text(text, "issue")
        rows = session.scalars(select(IssueRow).where(IssueRow.network_id == network.id)).all()
        row = next((r for r in rows if r.text.lower() == clean.lower()), None)
        if row is None:
            if not create:
                raise NotFound(f"issue: no candidate issue called {clean!r}")
            row = IssueRow(network_id=network.id, text=clean, origin="facilitator", chosen=False)
            session.add(row)
            session.flush()
        return Issue(issue_id=row.id, text=row.text, origin=row.origin, chosen=row.chosen)

    def issues(self, code: str, facilitator_key: str) -> list[Issue]:
        with self._tx() as session:
            network = self._network(session, code, facilitator_key)
            return self._issues(session, network)

    def _issues(self, session: Session, network: NetworkRow) -> list[Issue]:
        rows = session.scalars(
            select(IssueRow).where(IssueRow.network_id == network.id).order_by(IssueRow.id)
        )
        return [Issue(issue_id=r.id, text=r.text, origin=r.origin, chosen=r.chosen) for r in rows]

    def _save_rating(self, session: Session, issue_id: int, member: MemberRow, score: int) -> None:
        row = session.scalars(
            select(RatingRow).where(
                RatingRow.issue_id == issue_id, RatingRow.member_id == member.id
            )
        ).one_or_none()
        if row is None:
            session.add(
                RatingRow(issue_id=issue_id, member_id=member.id, score=score, updated_at=_now())
            )
        else:
            row.score = score
            row.updated_at = _now()

    def rate(
        self, code: str, facilitator_key: str, member_id: str, issue: str, score: object
    ) -> None:
        """Record a member's rating (1-5) of an issue; an issue not yet offered is added."""
        value = _score(score)
        with self._tx() as session:
            network = self._network(session, code, facilitator_key)
            member = self._member(session, network, member_id)
            found = self._issue_row(session, network, issue, create=True)
            self._save_rating(session, found.issue_id, member, value)

    def rate_as_member(self, link_token: str, issue_id: int, score: object) -> None:
        """A member rates an offered issue from their private link."""
        value = _score(score)
        with self._tx() as session:
            member = self._member_by_link(session, link_token)
            if member is None:
                raise InvalidInput("link: that private link was not recognised")
            issue = session.get(IssueRow, int(issue_id))
            if issue is None or issue.network_id != member.network_id:
                raise NotFound("issue: not an issue of your network")
            self._save_rating(session, issue.id, member, value)

    def ranking(self, code: str, facilitator_key: str) -> list[PriorityRank]:
        with self._tx() as session:
            network = self._network(session, code, facilitator_key)
            return self._ranking(session, network)

    def _ranking(self, session: Session, network: NetworkRow) -> list[PriorityRank]:
        scores: dict[str, list[int]] = {}
        chosen = []
        ids = {}
        for issue in session.scalars(select(IssueRow).where(IssueRow.network_id == network.id)):
            scores[issue.text] = []
            ids[issue.id] = issue.text
            if issue.chosen:
                chosen.append(issue.text)
        if ids:
            for rating in session.scalars(select(RatingRow).where(RatingRow.issue_id.in_(ids))):
                scores[ids[rating.issue_id]].append(rating.score)
        return rank_priorities(scores, chosen)

    def choose_themes(self, code: str, facilitator_key: str, issues: list[str]) -> None:
        """Mark the issues picked as themes for the sets (all others unpicked)."""
        with self._tx() as session:
            network = self._network(session, code, facilitator_key)
            wanted = {
                self._issue_row(session, network, text, create=False).issue_id for text in issues
            }
            for row in session.scalars(select(IssueRow).where(IssueRow.network_id == network.id)):
                row.chosen = row.id in wanted

    # ----------------------------------------------------------------- meetings and notes

    def schedule_meeting(
        self, code: str, facilitator_key: str, theme: str, date: object, set_name: str | None = None
    ) -> str:
        """A meeting of one set (or the whole network); returns its id."""
        clean_theme = clean_text(theme, "theme")
        when = _date(date, "date")
        with self._tx() as session:
            network = self._network(session, code, facilitator_key)
            set_row = self._set(session, network, set_name, create=False) if set_name else None
            meeting = MeetingRow(
                meeting_id=_token(9),
                network_id=network.id,
                set_id=set_row.id if set_row else None,
                set_name=set_row.name if set_row else None,
                theme=clean_theme,
                meeting_date=when,
                created_at=_now(),
            )
            session.add(meeting)
            session.flush()
            readers = select(MemberRow).where(MemberRow.network_id == network.id)
            if set_row is not None:
                readers = readers.where(MemberRow.set_id == set_row.id)
            for member in session.scalars(readers):
                session.add(ReaderRow(meeting_id=meeting.id, member_id=member.id))
            return meeting.meeting_id

    def add_note(
        self, code: str, facilitator_key: str, meeting_id: str, kind: str, text: str
    ) -> None:
        clean_kind = _enum(NoteKind, kind, "kind")
        clean = clean_text(text, "text", MAX_NOTE_LENGTH)
        with self._tx() as session:
            network = self._network(session, code, facilitator_key)
            meeting = self._meeting(session, network, meeting_id)
            session.add(
                NoteRow(meeting_id=meeting.id, kind=clean_kind.value, text=clean, created_at=_now())
            )

    def meetings(self, code: str, facilitator_key: str) -> list[Meeting]:
        with self._tx() as session:
            network = self._network(session, code, facilitator_key)
            rows = session.scalars(
                select(MeetingRow)
                .where(MeetingRow.network_id == network.id)
                .order_by(MeetingRow.meeting_date, MeetingRow.id)
            )
            return [self._meeting_record(session, row) for row in rows]

    def _meeting_record(self, session: Session, row: MeetingRow) -> Meeting:
        notes = session.scalars(
            select(NoteRow).where(NoteRow.meeting_id == row.id).order_by(NoteRow.id)
        )
        return Meeting(
            meeting_id=row.meeting_id,
            date=row.meeting_date,
            theme=row.theme,
            set_name=row.set_name,
            notes=tuple(Note(kind=NoteKind(n.kind), text=n.text) for n in notes),
        )

    # ----------------------------------------------------------------- actions

    def add_action(
        self,
        code: str,
        facilitator_key: str,
        meeting_id: str,
        what: str,
        who: str,
        due: object,
        audience: str,
    ) -> str:
        """An agreed action; ``who`` naming a member links the action to that member."""
        clean_what = clean_text(what, "what", MAX_NOTE_LENGTH)
        clean_who = clean_text(who, "who")
        when = _date(due, "due")
        clean_audience = _enum(Audience, audience, "audience")
        with self._tx() as session:
            network = self._network(session, code, facilitator_key)
            meeting = self._meeting(session, network, meeting_id)
            owner = next(
                (
                    m
                    for m in session.scalars(
                        select(MemberRow).where(MemberRow.network_id == network.id)
                    )
                    if m.name.lower() == clean_who.lower()
                ),
                None,
            )
            action = ActionRow(
                action_id=_token(9),
                network_id=network.id,
                meeting_id=meeting.id,
                what=clean_what,
                who=clean_who,
                member_id=owner.id if owner else None,
                due=when,
                previous_due=None,
                audience=clean_audience.value,
                status=Status.OPEN.value,
                status_changed=None,
                created_at=_now(),
            )
            session.add(action)
            return action.action_id

    def _action(self, session: Session, network: NetworkRow, action_id: str) -> ActionRow:
        row = session.scalars(
            select(ActionRow).where(
                ActionRow.network_id == network.id, ActionRow.action_id == str(action_id)
            )
        ).one_or_none()
        if row is None:
            raise NotFound(f"action-id: this network has no action {action_id!r}")
        return row

    def set_action_status(
        self,
        code: str,
        facilitator_key: str,
        action_id: str,
        status: str,
        on: dt.date | None = None,
    ) -> None:
        """Mark an action open, done or dropped, recording the day it changed."""
        clean_status = _enum(Status, status, "status")
        with self._tx() as session:
            network = self._network(session, code, facilitator_key)
            row = self._action(session, network, action_id)
            if row.status != clean_status.value:
                row.status = clean_status.value
                row.status_changed = on or dt.date.today()

    def change_due(
        self,
        code: str,
        facilitator_key: str,
        action_id: str,
        due: object,
        on: dt.date | None = None,
    ) -> None:
        """Move an action's due date (the old date is kept, so the next briefing shows it moved)."""
        when = _date(due, "due")
        with self._tx() as session:
            network = self._network(session, code, facilitator_key)
            row = self._action(session, network, action_id)
            if row.due != when:
                row.previous_due = row.due
                row.due = when
                row.status_changed = on or dt.date.today()

    def _actions(
        self, session: Session, network: NetworkRow, meeting_ids: list[int] | None = None
    ) -> list[Action]:
        query = select(ActionRow).where(ActionRow.network_id == network.id)
        if meeting_ids is not None:
            query = query.where(ActionRow.meeting_id.in_(meeting_ids))
        meetings = {
            row.id: row.meeting_id
            for row in session.scalars(
                select(MeetingRow).where(MeetingRow.network_id == network.id)
            )
        }
        members = {
            row.id: row.member_id
            for row in session.scalars(select(MemberRow).where(MemberRow.network_id == network.id))
        }
        return [
            Action(
                action_id=row.action_id,
                meeting_id=meetings[row.meeting_id],
                what=row.what,
                who=row.who,
                due=row.due,
                audience=Audience(row.audience),
                status=Status(row.status),
                status_changed=row.status_changed,
                previous_due=row.previous_due,
                member_id=members.get(row.member_id) if row.member_id else None,
            )
            for row in session.scalars(query.order_by(ActionRow.due, ActionRow.id))
        ]

    def actions(self, code: str, facilitator_key: str) -> list[Action]:
        with self._tx() as session:
            return self._actions(session, self._network(session, code, facilitator_key))

    # ----------------------------------------------------------------- feedback

    def give_feedback(
        self,
        link_token: str,
        meeting_id: str,
        useful: object,
        differently: str,
        new_contacts: object,
    ) -> None:
        """A member's short feedback on a meeting they were part of (sending again replaces it)."""
        score = _score(useful, "useful")
        text = " ".join(str(differently or "").split())[:MAX_NOTE_LENGTH]
        try:
            contacts = int(str(new_contacts).strip() or 0)
        except ValueError:
            raise InvalidInput("new contacts: give a whole number, 0 or more") from None
        if contacts < 0 or contacts > 1000:
            raise InvalidInput("new contacts: give a whole number from 0 to 1000")
        with self._tx() as session:
            member = self._member_by_link(session, link_token)
            if member is None:
                raise InvalidInput("link: that private link was not recognised")
            meeting = session.scalars(
                select(MeetingRow).where(
                    MeetingRow.network_id == member.network_id,
                    MeetingRow.meeting_id == str(meeting_id),
                )
            ).one_or_none()
            if meeting is None or not self._is_reader(session, meeting, member):
                raise NotFound("meeting: not one of your meetings")
            session.execute(
                delete(FeedbackRow).where(
                    FeedbackRow.meeting_id == meeting.id, FeedbackRow.member_id == member.id
                )
            )
            session.add(
                FeedbackRow(
                    meeting_id=meeting.id,
                    member_id=member.id,
                    useful=score,
                    differently=text,
                    new_contacts=contacts,
                    created_at=_now(),
                )
            )

    def _is_reader(self, session: Session, meeting: MeetingRow, member: MemberRow) -> bool:
        return (
            session.scalars(
                select(ReaderRow.id).where(
                    ReaderRow.meeting_id == meeting.id, ReaderRow.member_id == member.id
                )
            ).first()
            is not None
        )

    def feedback(self, code: str, facilitator_key: str) -> list[FeedbackSummary]:
        with self._tx() as session:
            return self._feedback(session, self._network(session, code, facilitator_key))

    def _feedback(self, session: Session, network: NetworkRow) -> list[FeedbackSummary]:
        summaries = []
        meetings = session.scalars(
            select(MeetingRow)
            .where(MeetingRow.network_id == network.id)
            .order_by(MeetingRow.meeting_date, MeetingRow.id)
        )
        for meeting in meetings:
            rows = list(
                session.scalars(select(FeedbackRow).where(FeedbackRow.meeting_id == meeting.id))
            )
            counts = {score: 0 for score in range(MIN_SCORE, MAX_SCORE + 1)}
            for row in rows:
                counts[row.useful] += 1
            summaries.append(
                FeedbackSummary(
                    meeting_id=meeting.meeting_id,
                    responses=len(rows),
                    useful_mean=mean_or_none([row.useful for row in rows]),
                    useful_counts=counts,
                    new_contacts=sum(row.new_contacts for row in rows),
                    will_do_differently=tuple(row.differently for row in rows if row.differently),
                )
            )
        return summaries

    # ----------------------------------------------------------------- figures over time

    def share_figures(
        self, link_token: str, year: object, people_supported: object, job_outcomes: object
    ) -> None:
        """A member's own figures for a year (sending the same year again replaces them)."""
        when = _whole(year, "year", 2000, 2100)
        people = _whole(people_supported, "people supported", 0, 1_000_000)
        outcomes = _whole(job_outcomes, "job outcomes", 0, 1_000_000)
        if outcomes > people:
            raise InvalidInput(
                f"job outcomes: {outcomes} is more than the {people} people supported"
            )
        with self._tx() as session:
            member = self._member_by_link(session, link_token)
            if member is None:
                raise InvalidInput("link: that private link was not recognised")
            session.execute(
                delete(FiguresRow).where(FiguresRow.member_id == member.id, FiguresRow.year == when)
            )
            session.add(
                FiguresRow(
                    member_id=member.id,
                    year=when,
                    people_supported=people,
                    job_outcomes=outcomes,
                    updated_at=_now(),
                )
            )

    def _figures(self, session: Session, member_pk: int) -> tuple[YearFigures, ...]:
        rows = session.scalars(
            select(FiguresRow).where(FiguresRow.member_id == member_pk).order_by(FiguresRow.year)
        )
        return tuple(
            YearFigures(
                year=r.year, people_supported=r.people_supported, job_outcomes=r.job_outcomes
            )
            for r in rows
        )

    def _trend(self, session: Session, network: NetworkRow) -> list[TrendYear]:
        members = session.scalars(select(MemberRow.id).where(MemberRow.network_id == network.id))
        return network_trend(
            [self._figures(session, pk) for pk in members],
            programme_content.load_content().trend_min_members,
        )

    def trend(self, code: str, facilitator_key: str) -> list[TrendYear]:
        """The network's yearly totals of members' own figures (small years not shown)."""
        with self._tx() as session:
            return self._trend(session, self._network(session, code, facilitator_key))

    # ----------------------------------------------------------------- members' views

    def member_view(self, link_token: str) -> MemberView | None:
        """What a member sees from their private link, or None for a link not recognised.

        Only the notes and actions of meetings the member was part of; their own ratings,
        never anyone else's; no feedback, keys, links or figures of other members.
        """
        with self._tx() as session:
            member = self._member_by_link(session, link_token)
            if member is None:
                return None
            network = self._network_of(session, member)
            mine = [
                row
                for row in session.scalars(
                    select(MeetingRow)
                    .join(ReaderRow, ReaderRow.meeting_id == MeetingRow.id)
                    .where(ReaderRow.member_id == member.id)
                    .order_by(MeetingRow.meeting_date, MeetingRow.id)
                )
            ]
            ratings = {
                row.issue_id: row.score
                for row in session.scalars(
                    select(RatingRow).where(RatingRow.member_id == member.id)
                )
            }
            actions = self._actions(session, network, [row.id for row in mine])
            set_name = None
            if member.set_id:
                set_row = session.get(SetRow, member.set_id)
                if set_row is None:  # the foreign key sets set_id to NULL when a set goes
                    raise RuntimeError(f"member {member.id} has no set {member.set_id}")
                set_name = set_row.name
            given = [
                row.meeting_id
                for row in session.scalars(
                    select(MeetingRow)
                    .join(FeedbackRow, FeedbackRow.meeting_id == MeetingRow.id)
                    .where(FeedbackRow.member_id == member.id)
                )
            ]
            return MemberView(
                network_title=network.title,
                member=Member(
                    member_id=member.member_id,
                    name=member.name,
                    role=Role(member.role),
                    set_name=set_name,
                ),
                session_code=network.session_code,
                issues=tuple(self._issues(session, network)),
                my_ratings=ratings,
                meetings=tuple(self._meeting_record(session, row) for row in mine),
                actions=tuple(actions),
                my_action_ids=tuple(
                    a.action_id for a in actions if a.member_id == member.member_id
                ),
                feedback_given=tuple(given),
                figures=self._figures(session, member.id),
            )

    # ----------------------------------------------------------------- briefing and summary

    def briefing(self, code: str, facilitator_key: str, meeting_id: str) -> Briefing:
        """The pack to send before a meeting: pooled benchmark, evidence cards, actions due and moved."""
        with self._tx() as session:
            network = self._network(session, code, facilitator_key)
            meeting = self._meeting(session, network, meeting_id)
            record = self._meeting_record(session, meeting)
            readers = list(
                session.scalars(
                    select(MemberRow)
                    .join(ReaderRow, ReaderRow.member_id == MemberRow.id)
                    .where(ReaderRow.meeting_id == meeting.id)
                    .order_by(MemberRow.id)
                )
            )
            earlier = session.scalars(
                select(MeetingRow)
                .where(
                    MeetingRow.network_id == network.id,
                    MeetingRow.meeting_date < meeting.meeting_date,
                    MeetingRow.set_id.is_(None)
                    if meeting.set_id is None
                    else MeetingRow.set_id.in_(self._lineage(session, meeting.set_id)),
                )
                .order_by(MeetingRow.meeting_date.desc())
            ).first()
            actions = self._actions(session, network)
            session_code = network.session_code
            trend = tuple(self._trend(session, network))
        reader_ids = {member.member_id: member.name for member in readers}
        due: dict[str, tuple[Action, ...]] = {}
        for member_id, name in reader_ids.items():
            theirs = tuple(
                a
                for a in actions
                if a.member_id == member_id
                and a.status == Status.OPEN
                and a.due <= meeting.meeting_date
            )
            if theirs:
                due[name] = theirs
        since = earlier.meeting_date if earlier is not None else None
        moved = tuple(
            a
            for a in actions
            if a.status_changed is not None
            and (since is None or a.status_changed >= since)
            and a.status_changed <= meeting.meeting_date
        )
        pooled, services, not_shown = self._pooled(session_code, facilitator_key)
        return Briefing(
            network_title=network.title,
            meeting=record,
            readers=tuple(reader_ids.values()),
            pooled=pooled,
            pooled_services=services,
            pooled_not_shown=not_shown,
            evidence=tuple(programme_content.evidence_cards(meeting.theme)),
            due=due,
            moved=moved,
            previous_meeting=since.isoformat() if since else None,
            trend=trend,
        )

    def _lineage(self, session: Session, set_id: int) -> set[int]:
        """A set and every set merged into it, however many merges back."""
        found, frontier = {set_id}, [set_id]
        while frontier:
            merged = session.scalars(select(SetRow.id).where(SetRow.merged_into_id.in_(frontier)))
            frontier = [i for i in merged if i not in found]
            found.update(frontier)
        return found

    def _pooled(
        self, session_code: str | None, facilitator_key: str
    ) -> tuple[dict | None, int, tuple[str, ...]]:
        """The pooled figures of the network's session, through the store's disclosure control."""
        if not session_code:
            return None, 0, ()
        try:
            summary = self.store.session_summary(session_code, facilitator_key)
        except StoreError:
            return None, 0, ()
        return (
            dict(summary.pooled) if summary.pooled is not None else None,
            summary.services,
            tuple(summary.suppressed),
        )

    def summary(self, code: str, facilitator_key: str) -> dict[str, Any]:
        """The programme so far: priorities (highest first), meetings and actions (JSON-ready)."""
        with self._tx() as session:
            network = self._network(session, code, facilitator_key)
            ranking = self._ranking(session, network)
            meetings = [
                self._meeting_record(session, row)
                for row in session.scalars(
                    select(MeetingRow)
                    .where(MeetingRow.network_id == network.id)
                    .order_by(MeetingRow.meeting_date, MeetingRow.id)
                )
            ]
            actions = self._actions(session, network)
            members = self._members(session, network)
            feedback = self._feedback(session, network)
            paragraphs = {
                row.key: row.text
                for row in session.scalars(
                    select(ParagraphRow).where(ParagraphRow.network_id == network.id)
                )
            }
            title = network.title
            sets = self._set_names(session, network)
        return {
            "title": title,
            "members": [m.model_dump(mode="json") for m in members],
            "sets": sets,
            "priorities": [
                {
                    "issue": r.issue,
                    "mean_score": r.mean_score,
                    "ratings": r.ratings,
                    "spread": r.spread,
                    "chosen": r.chosen,
                }
                for r in ranking
            ],
            "meetings": [
                {
                    "meeting_id": m.meeting_id,
                    "date": m.date.isoformat(),
                    "theme": m.theme,
                    "set": m.set_name,
                    "notes": [n.model_dump(mode="json") for n in m.notes],
                }
                for m in meetings
            ],
            "actions": [
                {
                    "action_id": a.action_id,
                    "meeting_id": a.meeting_id,
                    "what": a.what,
                    "who": a.who,
                    "due": a.due.isoformat(),
                    "audience": a.audience.value,
                    "status": a.status.value,
                    "status_changed": a.status_changed.isoformat() if a.status_changed else None,
                }
                for a in actions
            ],
            "feedback": [f.model_dump(mode="json") for f in feedback],
            "paragraphs": paragraphs,
        }

    def set_paragraph(self, code: str, facilitator_key: str, key: str, text: str | None) -> None:
        """The facilitator's wording for one paragraph of the paper (empty text restores ours)."""
        clean_key = clean_text(key, "paragraph", 100)
        with self._tx() as session:
            network = self._network(session, code, facilitator_key)
            session.execute(
                delete(ParagraphRow).where(
                    ParagraphRow.network_id == network.id, ParagraphRow.key == clean_key
                )
            )
            if text is not None and text.strip():
                body = text.strip()
                if len(body) > MAX_NOTE_LENGTH:
                    raise InvalidInput(
                        f"paragraph: keep it to {MAX_NOTE_LENGTH} characters or fewer"
                    )
                session.add(ParagraphRow(network_id=network.id, key=clean_key, text=body))
