"""Spend maps shared into a learning-network session: consent, closed sessions, withdrawal,
the facilitator's pooled mix, and migration 0004."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import text

from toolkit.network import store as store_module
from toolkit.network.audiences import SPEND_SHARED, spend_consent_text
from toolkit.network.spend_sharing import (
    SpendConsentRequired,
    is_shared,
    share_spend,
    shared_payloads,
    spend_mix,
    withdraw_spend,
)
from toolkit.network.store import (
    SCHEMA_HEAD,
    InvalidInput,
    SessionClosed,
    Store,
    UnknownSession,
    WrongKey,
)
from toolkit.worksheets.spend_map.model import ProvisionLine, SpendMap
from toolkit.worksheets.spend_map.network import shared_payload


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "store.sqlite3"


@pytest.fixture
def store(db_path):
    opened = Store(f"sqlite:///{db_path}")
    yield opened
    opened.close()


def payload(paid: float = 300_000, other: float = 100_000) -> dict:
    lines = [
        ProvisionLine(provider="Secret Provider Ltd", funding_stream="Hidden stream",
                      support_type="support into paid work", client_group="mental health",
                      annual_spend=paid),
        ProvisionLine(provider="Another", funding_stream="social care", support_type="other",
                      client_group="learning disability", annual_spend=other),
    ]
    return shared_payload(SpendMap(area="Fictional shire", year="2025-26", lines=lines))


def rows(db_path, sql):
    with sqlite3.connect(db_path) as connection:
        return connection.execute(sql).fetchall()


def test_consent_is_needed_and_its_words_name_what_is_shared(store):
    session = store.create_session("Spend network")
    with pytest.raises(SpendConsentRequired, match="consent box"):
        share_spend(store, session.code, payload(), False, store.new_token())
    words = spend_consent_text()
    assert SPEND_SHARED in words and "withdraw" in words and "at least 3 maps" in words
    assert shared_payloads(store, session.code, session.facilitator_key) == []


def test_share_stores_only_totals_and_sharing_again_replaces(store, db_path):
    session = store.create_session("Spend network")
    token = store.new_token()
    first = share_spend(store, session.code, payload(), True, token)
    again = share_spend(store, session.code, payload(paid=500_000), True, token)
    assert first == again
    stored = shared_payloads(store, session.code, session.facilitator_key)
    assert len(stored) == 1 and stored[0]["total"] == 600_000
    store.close()
    raw = db_path.read_bytes()
    for secret in (b"Secret Provider", b"Hidden stream", b"Fictional shire", token.encode()):
        assert secret not in raw


def test_a_closed_session_refuses_but_withdrawal_still_works(store):
    session = store.create_session("Spend network")
    token = store.new_token()
    share_spend(store, session.code, payload(), True, token)
    store.close_session(session.code, session.facilitator_key)
    with pytest.raises(SessionClosed, match="closed"):
        share_spend(store, session.code, payload(), True, store.new_token())
    assert is_shared(store, session.code, token)
    assert withdraw_spend(store, session.code, token) is True
    assert not is_shared(store, session.code, token)
    assert withdraw_spend(store, session.code, token) is False
    assert shared_payloads(store, session.code, session.facilitator_key) == []


def test_unknown_codes_wrong_keys_and_empty_maps_are_refused(store):
    session = store.create_session("Spend network")
    with pytest.raises(UnknownSession):
        share_spend(store, "ZZZZ-ZZZZ-ZZZZ", payload(), True, store.new_token())
    with pytest.raises(InvalidInput, match="no spend"):
        share_spend(store, session.code, payload(0, 0), True, store.new_token())
    with pytest.raises(InvalidInput, match="private link"):
        share_spend(store, session.code, payload(), True, "")
    with pytest.raises(WrongKey):
        spend_mix(store, session.code, "not the key")
    assert withdraw_spend(store, "ZZZZ-ZZZZ-ZZZZ", store.new_token()) is False


def test_the_facilitator_sees_the_pooled_mix_once_enough_maps_are_shared(store):
    session = store.create_session("Spend network")
    share_spend(store, session.code, payload(300_000, 100_000), True, store.new_token())
    share_spend(store, session.code, payload(100_000, 100_000), True, store.new_token())
    early = spend_mix(store, session.code, session.facilitator_key)
    assert early["shown"] is False and "2 map(s) shared" in early["reason"]
    share_spend(store, session.code, payload(200_000, 0), True, store.new_token())
    mix = spend_mix(store, session.code, session.facilitator_key)
    assert mix["shown"] is True and mix["maps"] == 3
    assert mix["pooled"]["total"] == 800_000
    assert mix["pooled"]["share_paid_work"] == pytest.approx(600 / 800)
    assert mix["national_share_paid_work"]["value"] == 0.32


def test_deleting_the_session_deletes_its_shared_maps(store, db_path):
    session = store.create_session("Spend network")
    share_spend(store, session.code, payload(), True, store.new_token())
    store.delete_session(session.code, session.facilitator_key)
    assert rows(db_path, "select count(*) from spend_share") == [(0,)]


def test_migration_0004_adds_the_table_to_a_database_at_0003_and_goes_back(tmp_path):
    from alembic import command  # only the migration tests need Alembic directly

    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = store_module.make_engine(url)
    config = store_module._alembic_config(url)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0003")
        connection.execute(text(
            "INSERT INTO learning_session (code, title, facilitator_key_hash, created_at, "
            "hidden_pooled) VALUES ('K7QFM2XD9PRT', 'Old', :key, '2025-01-01 00:00:00', '[]')"
        ), {"key": store_module._digest("old-key")})
    engine.dispose()
    assert SCHEMA_HEAD == "0004"
    opened = Store(url)
    share_spend(opened, "K7QF-M2XD-9PRT", payload(), True, opened.new_token())
    assert len(shared_payloads(opened, "K7QF-M2XD-9PRT", "old-key")) == 1
    opened.close()
    path = tmp_path / "old.db"
    assert rows(path, "select version_num from alembic_version") == [("0004",)]
    engine = store_module.make_engine(url)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0003")
    engine.dispose()
    tables = {name for (name,) in rows(path, "select name from sqlite_master where type='table'")}
    assert "spend_share" not in tables and "learning_session" in tables
    assert rows(path, "select version_num from alembic_version") == [("0003",)]
