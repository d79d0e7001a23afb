"""The store on a SQLite file: state, sessions, submissions, secrets and migrations."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import sqlite3
import subprocess
import sys

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from toolkit.domain.record import ServiceRecord
from toolkit.network.sessions import session_pack_bytes
from toolkit.network.store import (
    SCHEMA_HEAD,
    Base,
    ConsentRequired,
    InvalidInput,
    Store,
    UnknownSession,
    WrongKey,
    default_store,
    default_url,
)


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "store.sqlite3"


@pytest.fixture
def store(db_path):
    opened = Store(f"sqlite:///{db_path}")
    yield opened
    opened.close()


def service(name: str = "Fictional service", people: int = 40, new: int = 10, retained: int = 8):
    return ServiceRecord(
        name=name, total_cost=100_000, people_supported=people, new_jobs=new, jobs_retained=retained
    )


def rows(db_path, sql):
    with sqlite3.connect(db_path) as connection:
        return connection.execute(sql).fetchall()


# --------------------------------------------------------------------------- tokens and state


def test_tokens_are_long_and_never_repeat(store):
    tokens = [store.new_token() for _ in range(500)]
    assert len(set(tokens)) == len(tokens)
    assert all(len(token) >= 43 and re.fullmatch(r"[A-Za-z0-9_-]+", token) for token in tokens)
    assert not any(token.startswith("-") for token in tokens)  # it can follow a flag


def test_state_round_trip_and_overwrite(store):
    token = store.new_token()
    state = {"service": {"name": "Leeds", "total_cost": 1.5}, "tabs": [1, 2], "ok": True, "x": None}
    store.save_state("self-benchmark", token, state)
    assert store.load_state("self-benchmark", token) == state
    store.save_state("self-benchmark", token, {"step": 2})
    assert store.load_state("self-benchmark", token) == {"step": 2}
    # Apps do not see each other's state, nor another token's.
    assert store.load_state("workbook", token) is None
    assert store.load_state("self-benchmark", store.new_token()) is None


@pytest.mark.parametrize("token", [None, "", 42, "x" * 5000, ["list"]])
def test_a_malformed_token_is_just_unknown(store, token):
    assert store.load_state("self-benchmark", token) is None


def test_state_must_be_json(store):
    token = store.new_token()
    with pytest.raises(InvalidInput):
        store.save_state("app", token, {"x": float("nan")})
    with pytest.raises(InvalidInput):
        store.save_state("app", token, {"x": object()})
    with pytest.raises(InvalidInput):
        store.save_state("app", "", {})
    assert store.load_state("app", token) is None


def test_state_tokens_are_stored_only_as_digests(store, db_path):
    token = store.new_token()
    store.save_state("app", token, {"a": 1})
    store.close()
    assert token.encode() not in db_path.read_bytes()
    assert rows(db_path, "select token_hash from app_state") == [
        (hashlib.sha256(token.encode()).hexdigest(),)
    ]


# --------------------------------------------------------------------------- the database


def test_sqlite_uses_wal_and_the_schema_matches_the_models(store, db_path):
    assert rows(db_path, "pragma journal_mode") == [("wal",)]
    assert rows(db_path, "select version_num from alembic_version") == [(SCHEMA_HEAD,)]
    with store.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []


def test_schema_head_is_alembics_newest_revision():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from toolkit.network.store import MIGRATIONS_DIR, SCHEMA_HEAD

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert ScriptDirectory.from_config(config).get_current_head() == SCHEMA_HEAD


def test_an_up_to_date_database_opens_without_loading_alembic(store, db_path):
    """Alembic costs about 11 MB per kernel: it loads only when a migration must run."""
    script = (
        "import sys\n"
        "from toolkit.network.store import Store\n"
        f"Store('sqlite:///{db_path}').load_state('self_benchmark', 'x' * 43)\n"
        "print('alembic' in sys.modules)\n"
    )
    opened = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert opened.returncode == 0, opened.stderr
    assert opened.stdout.strip() == "False"


def test_a_new_database_is_migrated(tmp_path):
    fresh = Store(f"sqlite:///{tmp_path / 'new.sqlite3'}")
    assert rows(tmp_path / "new.sqlite3", "select version_num from alembic_version") == [(SCHEMA_HEAD,)]
    fresh.close()


def test_opening_again_from_another_folder_keeps_the_data(store, db_path, tmp_path, monkeypatch):
    created = store.create_session("Network")
    monkeypatch.chdir(tmp_path)
    again = Store(f"sqlite:///{db_path}")
    assert again.session_summary(created.code, created.facilitator_key).services == 0
    again.close()


def test_default_store_lives_in_the_data_home_and_is_one_per_process(tmp_path, monkeypatch):
    monkeypatch.delenv("TOOLKIT_DATABASE_URL", raising=False)
    monkeypatch.setenv("TOOLKIT_DATA_HOME", str(tmp_path / "home"))
    assert default_url() == f"sqlite:///{tmp_path / 'home' / 'toolkit.sqlite3'}"
    assert default_store() is default_store()
    assert (tmp_path / "home" / "toolkit.sqlite3").exists()
    monkeypatch.setenv("TOOLKIT_DATABASE_URL", f"sqlite:///{tmp_path / 'other.db'}")
    assert default_url().endswith("other.db")


# --------------------------------------------------------------------------- sessions


def test_create_session_gives_a_readable_code_and_keeps_only_the_keys_digest(store, db_path):
    created = store.create_session("  March   network ", dt.date(2025, 3, 14))
    assert re.fullmatch(r"[2-9A-HJKMNP-Z]{4}(-[2-9A-HJKMNP-Z]{4}){2}", created.code)
    assert created.title == "March network"
    assert created.facilitator_key not in repr(created)
    store.close()
    assert created.facilitator_key.encode() not in db_path.read_bytes()
    [(stored_hash, date)] = rows(
        db_path, "select facilitator_key_hash, session_date from learning_session"
    )
    assert stored_hash == hashlib.sha256(created.facilitator_key.encode()).hexdigest()
    assert date == "2025-03-14"


def test_session_codes_and_keys_differ_between_sessions(store):
    made = [store.create_session(f"S{i}") for i in range(20)]
    assert len({c.code for c in made}) == 20
    assert len({c.facilitator_key for c in made}) == 20


def test_a_blank_title_is_refused(store):
    with pytest.raises(InvalidInput, match="title"):
        store.create_session("   ")


def test_submitting_needs_consent_and_stores_nothing_without_it(store):
    created = store.create_session("Network")
    for consent in (False, None, "yes"):
        with pytest.raises(ConsentRequired, match="facilitator will see"):
            store.submit(created.code, service(), None, False, consent)
    assert store.submissions_for(created.code, created.facilitator_key) == []


def test_codes_are_accepted_in_any_case_with_or_without_dashes(store):
    created = store.create_session("Network")
    typed = created.code.lower().replace("-", " ")
    store.submit(typed, service(), None, False, True)
    store.submit(created.code.replace("-", ""), service(), None, False, True)
    assert len(store.submissions_for(typed, created.facilitator_key)) == 2
    with pytest.raises(UnknownSession):
        store.submit("2222-2222-2222", service(), None, False, True)
    with pytest.raises(UnknownSession):
        store.submit("not a code", service(), None, False, True)


def test_a_double_click_does_not_submit_twice(store):
    created = store.create_session("Network")
    key = store.new_token()
    first = store.submit(created.code, service(), None, False, True, idempotency_key=key)
    second = store.submit(created.code, service(), None, False, True, idempotency_key=key)
    assert first == second
    assert len(store.submissions_for(created.code, created.facilitator_key)) == 1


def test_the_same_resume_token_updates_the_one_submission(store):
    created = store.create_session("Network")
    token = store.new_token()
    first = store.submit(created.code, service(new=10), "Leeds", False, True, resume_token=token)
    again = store.submit(created.code, service(new=20), "Leeds", False, True, resume_token=token)
    assert first == again
    [only] = store.submissions_for(created.code, created.facilitator_key)
    assert only.record.new_jobs == 20
    assert only.shown_as == "Leeds"
    # The same token in another session is another submission.
    other = store.create_session("Another")
    assert store.submit(other.code, service(), None, False, True, resume_token=token) != first


def test_withdrawal_removes_the_submission_from_every_view(store):
    created = store.create_session("Network")
    token = store.new_token()
    gone = store.submit(
        created.code, service("Withdrawn Town"), None, False, True, resume_token=token
    )
    for name in ("Stays One", "Stays Two", "Stays Three"):
        store.submit(created.code, service(name), None, False, True, resume_token=store.new_token())
    assert not store.withdraw(created.code, gone, store.new_token())  # someone else's token
    assert not store.withdraw(created.code, "no-such-id", token)
    assert store.withdraw(created.code, gone, token)
    assert not store.withdraw(created.code, gone, token)  # already gone

    listed = store.submissions_for(created.code, created.facilitator_key)
    assert [s.shown_as for s in listed] == ["Stays One", "Stays Two", "Stays Three"]
    summary = store.session_summary(created.code, created.facilitator_key)
    assert summary.services == 3
    assert summary.pooled["total_cost"] == 300_000
    assert gone not in repr(summary) and "Withdrawn Town" not in repr(summary)
    for kind in ("csv", "xlsx"):
        assert b"Withdrawn Town" not in session_pack_bytes(summary, kind)


def test_a_wrong_key_and_an_unknown_code_fail_alike(store):
    created = store.create_session("Network")
    store.submit(created.code, service(), None, False, True)
    messages = set()
    for code, key in [
        (created.code, store.new_token()),
        (created.code, ""),
        (created.code, None),
        (created.code, created.facilitator_key[:-1]),
        ("2222-2222-2222", created.facilitator_key),
        ("garbage", created.facilitator_key),
    ]:
        for call in (store.submissions_for, store.session_summary):
            with pytest.raises(WrongKey) as caught:
                call(code, key)
            messages.add(str(caught.value))
    assert len(messages) == 1
    assert created.code not in messages.pop()


def test_anonymous_submissions_keep_no_name(store, db_path):
    created = store.create_session("Network")
    store.submit(created.code, service("Named First"), None, False, True)
    store.submit(created.code, service("Secret Town"), "Secret Town", True, True)
    store.submit(created.code, service("Hidden Village"), None, True, True)
    listed = store.submissions_for(created.code, created.facilitator_key)
    assert [(s.shown_as, s.anonymous, s.display_name) for s in listed] == [
        ("Named First", False, "Named First"),
        ("Service A", True, None),
        ("Service B", True, None),
    ]
    assert "Secret Town" not in repr(listed)
    summary = store.session_summary(created.code, created.facilitator_key)
    assert "Secret Town" not in repr(summary) and "Hidden Village" not in repr(summary)
    store.close()
    assert b"Secret Town" not in db_path.read_bytes()


def test_summary_applies_disclosure_control(store):
    created = store.create_session("Network", dt.date(2025, 3, 14))
    store.submit(created.code, service(), None, False, True)
    store.submit(created.code, service(new=2, retained=1), None, True, True)
    summary = store.session_summary(created.code, created.facilitator_key)
    assert summary.session.date == "2025-03-14"
    assert summary.pooled is None
    assert summary.suppressed[0].startswith("Pooled figures are not shown")
    small = summary.submissions[1]
    assert small.shown_as == "Service A"
    assert small.measures["job_outcomes"] is None
    assert "job_outcomes" in small.suppressed


def test_an_unreachable_database_is_one_plain_error_without_the_password():
    from toolkit.network.store import StoreUnavailable

    with pytest.raises(StoreUnavailable) as caught:
        Store("postgresql://someone:s3cret-pass@127.0.0.1:1/nothing?connect_timeout=2")
    message = str(caught.value)
    assert "s3cret-pass" not in message
    assert message.startswith("could not open the toolkit's database at postgresql+psycopg://")
    assert "\n" not in message
