"""The programme's tables and operations on both databases (SQLite and PostgreSQL):
migration 0003 applies, a merge keeps notes with their set, and the schema matches the models."""

from __future__ import annotations

import datetime as dt

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from tests.integration.test_store_concurrency import database_url, postgres_server  # noqa: F401
from toolkit.network.programme.service import ProgrammeService
from toolkit.network.store import Base, Store


def test_a_small_programme_on_each_database(database_url):  # noqa: F811
    store = Store(database_url)
    try:
        with store.engine.connect() as connection:
            assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
        service = ProgrammeService(store)
        made = service.create_network("Database network")
        code, key = made.code, made.facilitator_key
        a = service.add_member(code, key, "Alpha (fictional)", "strategic", "Set A")
        b = service.add_member(code, key, "Beta (fictional)", "practitioner", "Set B")
        first = service.schedule_meeting(code, key, "Employer engagement", "2026-04-14", "Set A")
        service.add_note(code, key, first, "outcome", "Only set A")
        service.rate(code, key, a.member_id, "Employer engagement", 5)
        service.rate(code, key, b.member_id, "Employer engagement", 3)
        action = service.add_action(
            code, key, first, "Call", "Beta (fictional)", "2026-05-01", "member"
        )
        service.set_action_status(code, key, action, "done", on=dt.date(2026, 5, 1))
        service.merge_sets(code, key, ["Set A", "Set B"], "Joint")
        later = service.schedule_meeting(code, key, "Client engagement", "2026-05-20", "Joint")
        service.add_note(code, key, later, "issue", "Both sets")
        seen_b = [n.text for m in service.member_view(b.link_token).meetings for n in m.notes]
        seen_a = [n.text for m in service.member_view(a.link_token).meetings for n in m.notes]
        assert seen_b == ["Both sets"] and seen_a == ["Only set A", "Both sets"]
        top = service.summary(code, key)["priorities"][0]
        assert (top["issue"], top["mean_score"], top["ratings"]) == ("Employer engagement", 4.0, 2)
        assert service.briefing(code, key, later).moved[0].what == "Call"
    finally:
        store.close()
