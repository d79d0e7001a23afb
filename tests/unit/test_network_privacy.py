"""The store keeps its promises: private files, unjoinable anonymous submissions, closable
sessions, and a projector view that holds nothing a member did not agree the room may see."""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
import stat

import pytest
from sqlalchemy import text

from toolkit.charts import client as chart_service
from toolkit.domain.record import ServiceRecord
from toolkit.network import store as store_module
from toolkit.network.audiences import consent_text, projector_view
from toolkit.network.store import SessionClosed, Store, WrongKey
from toolkit.network.summary import SessionInfo, Submission, summarise
from toolkit.ui import learning_network as ln


def service(people=40, new=10, retained=8, self_employed=0, cost=100_000, name="Fictional A"):
    return ServiceRecord(
        name=name,
        total_cost=cost,
        people_supported=people,
        new_jobs=new,
        jobs_retained=retained,
        self_employed=self_employed,
    )


@pytest.fixture
def store(tmp_path):
    opened = Store(f"sqlite:///{tmp_path}/t.db")
    yield opened
    opened.close()


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --------------------------------------------------------------------------- section 6: modes


def test_the_store_makes_its_folder_0700_and_its_database_0600(tmp_path, monkeypatch):
    home = tmp_path / "home" / "data"
    monkeypatch.setenv("TOOLKIT_DATA_HOME", str(home))
    monkeypatch.delenv("TOOLKIT_DATABASE_URL", raising=False)
    opened = Store()
    opened.save_state("self-benchmark", opened.new_token(), {"a": 1})
    opened.close()
    assert mode(home) == 0o700
    assert mode(home / store_module.DATABASE_FILE) == 0o600
    for side in home.glob(f"{store_module.DATABASE_FILE}-*"):
        assert mode(side) == 0o600, side


def test_the_chart_process_making_the_folder_first_still_leaves_it_private(tmp_path, monkeypatch):
    home = tmp_path / "data"
    monkeypatch.setenv("TOOLKIT_DATA_HOME", str(home))
    monkeypatch.delenv("TOOLKIT_DATABASE_URL", raising=False)
    run = chart_service.runtime_dir()  # what the chart process does first
    assert mode(home) == 0o700 and mode(run) == 0o700
    Store().close()
    assert mode(home) == 0o700
    assert mode(home / store_module.DATABASE_FILE) == 0o600


def test_an_existing_open_folder_and_file_are_tightened(tmp_path, monkeypatch):
    home = tmp_path / "data"
    home.mkdir(mode=0o755)
    home.chmod(0o755)
    database = home / store_module.DATABASE_FILE
    database.touch()
    database.chmod(0o644)
    monkeypatch.setenv("TOOLKIT_DATA_HOME", str(home))
    monkeypatch.delenv("TOOLKIT_DATABASE_URL", raising=False)
    Store().close()
    assert mode(home) == 0o700 and mode(database) == 0o600


def test_the_chart_process_gets_a_clean_environment():
    kernel = {
        "PATH": "/usr/bin",
        "HOME": "/home/x",
        "QUERY_STRING": "id=secret-resume-id",
        "TOOLKIT_FACILITATOR_KEY": "secret-key",
        "TOOLKIT_DATA_HOME": "/data",
    }
    clean = chart_service.clean_environment(kernel)
    assert clean == {"PATH": "/usr/bin", "HOME": "/home/x", "TOOLKIT_DATA_HOME": "/data"}


# --------------------------------------------------------------------------- anonymity


def test_no_query_over_the_database_joins_an_anonymous_submission_to_the_app_state(tmp_path):
    path = tmp_path / "t.db"
    opened = Store(f"sqlite:///{path}")
    created = opened.create_session("Fictional network")
    token = opened.new_token()
    opened.save_state("self-benchmark", token, {"services": [{"name": "Fictional Secret"}]})
    submission_id = opened.submit(
        created.code, service(name="Fictional Secret"), None, True, True, resume_token=token
    )
    opened.close()
    connection = sqlite3.connect(path)
    app_rows = connection.execute("SELECT token_hash, state FROM app_state").fetchall()
    sub_rows = connection.execute(
        "SELECT submission_id, resume_token_hash, idempotency_key_hash, record, display_name "
        "FROM submission"
    ).fetchall()
    connection.close()
    app_values = {str(v) for row in app_rows for v in row if v is not None}
    app_text = " ".join(app_values)
    for row in sub_rows:
        for value in row:
            if value is None:
                continue
            assert str(value) not in app_values  # no equal value to join on
            if len(str(value)) > 8:
                assert str(value) not in app_text  # nor one inside the saved state
    assert submission_id not in app_text
    assert "Fictional Secret" not in json.dumps(sub_rows)
    # The token still withdraws it (the HMAC is worked out from the token and the code).
    again = Store(f"sqlite:///{path}")
    assert again.withdraw(created.code, None, token) is True
    again.close()


def test_the_same_token_makes_unlinkable_digests_in_two_sessions(store):
    first, second = store.create_session("One"), store.create_session("Two")
    token = store.new_token()
    store.submit(first.code, service(), None, True, True, resume_token=token)
    store.submit(second.code, service(), None, True, True, resume_token=token)
    with store.engine.connect() as connection:
        digests = [
            r[0] for r in connection.execute(text("SELECT resume_token_hash FROM submission"))
        ]
    assert len(set(digests)) == 2
    assert store_module._digest(token) not in digests


def test_a_submission_without_a_token_cannot_be_withdrawn_with_a_fixed_string(store):
    created = store.create_session("Network")
    submission_id = store.submit(created.code, service(), None, False, True)
    for guess in ("no such session", "x", store.new_token()):
        assert store.withdraw(created.code, submission_id, guess) is False
    assert len(store.submissions_for(created.code, created.facilitator_key)) == 1


def test_an_idempotency_key_is_scoped_to_its_submitter(store):
    created = store.create_session("Network")
    key = "same-key-typed-by-two-people"
    mine, theirs = store.new_token(), store.new_token()
    first = store.submit(created.code, service(name="Fictional A"), None, False, True, mine, key)
    second = store.submit(created.code, service(name="Fictional B"), None, False, True, theirs, key)
    assert first != second
    assert store.submit(created.code, service(), None, False, True, mine, key) == first
    assert len(store.submissions_for(created.code, created.facilitator_key)) == 2


# --------------------------------------------------------------------------- closing


def test_a_closed_session_refuses_figures_with_a_clear_message(store):
    created = store.create_session("Network")
    token = store.new_token()
    store.submit(created.code, service(), None, False, True, resume_token=token)
    with pytest.raises(WrongKey):
        store.close_session(created.code, store.new_token())
    store.close_session(created.code, created.facilitator_key)
    with pytest.raises(SessionClosed, match="closed"):
        store.submit(created.code, service(name="Fictional Late"), None, False, True)
    with pytest.raises(SessionClosed):
        store.submit(created.code, service(cost=1), None, False, True, resume_token=token)
    assert store.session_summary(created.code, created.facilitator_key).session.closed
    assert store.withdraw(created.code, None, token) is True  # withdrawing still works


def test_a_capped_session_refuses_the_next_service(store):
    created = store.create_session("Network", max_services=2)
    store.submit(created.code, service(name="Fictional A"), None, False, True)
    store.submit(created.code, service(name="Fictional B"), None, False, True)
    with pytest.raises(SessionClosed, match="at most 2"):
        store.submit(created.code, service(name="Fictional C"), None, False, True)


def test_a_deleted_session_and_its_submissions_are_gone(store):
    created = store.create_session("Network")
    store.submit(created.code, service(), None, False, True)
    store.delete_session(created.code, created.facilitator_key)
    with pytest.raises(WrongKey):
        store.session_summary(created.code, created.facilitator_key)
    with store.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM submission")).scalar() == 0


def test_names_are_marked_self_declared_for_the_facilitator(store):
    created = store.create_session("Network")
    store.submit(created.code, service(name="Real Council"), None, False, True)
    store.submit(created.code, service(name="Fictional X"), None, True, True)
    summary = store.session_summary(created.code, created.facilitator_key)
    assert [e.name_self_declared for e in summary.submissions] == [True, False]
    assert "not checked" in ln.services_html(summary)


def test_secure_delete_is_on_for_sqlite(store):
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA secure_delete").scalar() == 1


def test_a_database_at_the_first_revision_migrates(tmp_path):
    path = tmp_path / "old.db"
    url = f"sqlite:///{path}"
    from alembic import command  # only this test needs Alembic directly

    engine = store_module.make_engine(url)
    config = store_module._alembic_config(url)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        connection.execute(
            text(
                "INSERT INTO learning_session (code, title, facilitator_key_hash, created_at) "
                "VALUES ('K7QFM2XD9PRT', 'Old', :key, '2025-01-01 00:00:00')"
            ),
            {"key": store_module._digest("old-key")},
        )
    engine.dispose()
    opened = Store(url)
    summary = opened.session_summary("K7QF-M2XD-9PRT", "old-key")
    assert summary.session.title == "Old" and not summary.session.closed
    opened.close_session("K7QF-M2XD-9PRT", "old-key")
    opened.close()


# --------------------------------------------------------------------------- the projector


def distinctive_summary():
    records = [
        service(people=37, new=11, retained=7, cost=123_457, name="Fictional Alpha"),
        service(
            people=53, new=19, retained=13, self_employed=6, cost=234_567, name="Fictional Beta"
        ),
        service(people=3, new=1, retained=1, cost=45_679, name="Fictional Gamma"),
        service(people=71, new=23, retained=17, cost=345_679, name="Fictional Delta"),
    ]
    at = dt.datetime(2025, 3, 14, 10, 7, tzinfo=dt.UTC)
    subs = [
        Submission(
            f"id{i}",
            name if i != 1 else "Service A",
            i == 1,
            None if i == 1 else name,
            r,
            at + dt.timedelta(minutes=i),
            at,
        )
        for i, (r, name) in enumerate((r, r.name) for r in records)
    ]
    return records, summarise(SessionInfo("K7QFM2XD9PRT", "Fictional", None), subs)


def test_the_projector_view_never_holds_a_single_services_cost_or_counts():
    records, summary = distinctive_summary()
    view = projector_view(summary)
    html = " ".join(ln.projector_sections(summary).values())
    dumped = view.model_dump_json()
    for rec in records:
        for value in (rec.total_cost, rec.people_supported, rec.job_outcomes):
            if value < 10:
                continue  # single digits appear in any page; the model check below covers them
            shown = re.escape(f"{value:,.0f}")
            # the number standing alone (not part of a rate such as £4,538 or 38.5%)
            assert not re.search(rf"(?<![\d.,]){shown}(?![\d.,%])", html), (rec.name, value)
        assert f"{rec.total_cost:g}" not in dumped
    for point in view.points:
        assert set(point.values) == {"cost_per_person", "cost_per_job_outcome", "job_outcome_rate"}
    # No arrival order or times: anonymous members are not lettered, and no clock is shown.
    assert "Service A" not in html and "UTC" not in html and "10:0" not in html
    assert [p.label for p in view.points] == sorted(p.label for p in view.points)
    # The pooled group figure is there, with why it is not judged against the bands.
    assert view.pooled is not None and view.pooled["job_outcomes"] is not None
    assert "not placed against the bands" in html


def test_consent_names_what_the_projector_shows_and_the_service():
    text_ = consent_text("Fictional Council")
    assert "\u201cFictional Council\u201d" in text_
    for words in ("cost per person supported", "cost per job outcome", "job outcome rate"):
        assert words in text_
    assert "never our cost or counts" in text_
