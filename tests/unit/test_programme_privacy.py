"""Property: a member's private link never shows another set's notes.

Hypothesis runs random programmes (members in sets, meetings, notes, moves between sets
and merges) against the real store. A plain-Python model records, for every meeting,
which members were in its set when its note was started (the people in the room); a
member may see a note only if they were, and a member who never changed set always sees
the notes of meetings their set held after they joined.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.network.programme.service import ProgrammeService
from toolkit.network.store import Store

SETS = ("Set A", "Set B", "Set C")

operation = st.one_of(
    st.tuples(st.just("meeting"), st.sampled_from(SETS)),
    st.tuples(st.just("note"), st.integers(0, 20)),
    st.tuples(st.just("move"), st.integers(0, 5), st.sampled_from(SETS)),
    st.tuples(st.just("merge"), st.sampled_from(SETS), st.sampled_from(SETS)),
)


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('privacy') / 'p.sqlite3'}")
    yield ProgrammeService(store)
    store.close()


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    placement=st.lists(st.sampled_from(SETS), min_size=2, max_size=6),
    operations=st.lists(operation, min_size=1, max_size=14),
)
def test_a_members_link_never_shows_another_sets_notes(service, placement, operations):
    created = service.create_network("Privacy property network")
    code, key = created.code, created.facilitator_key
    members, links, where = [], [], {}
    for index, set_name in enumerate(placement):
        made = service.add_member(code, key, f"Member {index}", "practitioner", set_name)
        members.append(made.member_id)
        links.append(made.link_token)
        where[made.member_id] = set_name
    live = set(placement)  # sets not merged away
    meetings: list[tuple[str, str]] = []  # (meeting id, set when scheduled / moved)
    meeting_set: dict[str, str] = {}
    noted: set[str] = set()
    in_room: dict[str, set[str]] = {}  # meeting id -> members in its set at its first note
    founders: dict[str, set[str]] = {}  # meeting id -> members in its set when scheduled
    note_meeting: dict[str, str] = {}  # note text -> meeting id
    never_moved = {m: True for m in members}

    for step, op in enumerate(operations):
        if op[0] == "meeting" and op[1] in live:
            meeting_id = service.schedule_meeting(code, key, "Theme", "2026-04-14", op[1])
            meetings.append((meeting_id, op[1]))
            meeting_set[meeting_id] = op[1]
            founders[meeting_id] = {m for m in members if where[m] == op[1]}
        elif op[0] == "note" and meetings:
            meeting_id, _ = meetings[op[1] % len(meetings)]
            text = f"note {step} for {meeting_set[meeting_id]}"
            service.add_note(code, key, meeting_id, "issue", text)
            if meeting_id not in noted:
                in_room[meeting_id] = {m for m in members if where[m] == meeting_set[meeting_id]}
            noted.add(meeting_id)
            note_meeting[text] = meeting_id
        elif op[0] == "move" and op[2] in live:
            member = members[op[1] % len(members)]
            if where[member] != op[2]:
                never_moved[member] = False
            service.assign(code, key, member, op[2])
            where[member] = op[2]
        elif op[0] == "merge" and op[1] in live and op[2] in live and op[1] != op[2]:
            service.merge_sets(code, key, [op[1]], op[2])
            live.discard(op[1])
            for member in members:
                if where[member] == op[1]:
                    where[member] = op[2]
                    never_moved[member] = False
            for meeting_id, _ in meetings:
                if meeting_set[meeting_id] == op[1] and meeting_id not in noted:
                    meeting_set[meeting_id] = op[2]

    for member, link in zip(members, links, strict=True):
        view = service.member_view(link)
        seen = {note.text for meeting in view.meetings for note in meeting.notes}
        for text in seen:
            room = in_room[note_meeting[text]]
            assert member in room, f"{member} saw {text!r} from a set they were not in"
        for text, meeting_id in note_meeting.items():
            if never_moved[member] and member in founders[meeting_id]:
                assert text in seen, f"{member} never left the set but cannot see {text!r}"
