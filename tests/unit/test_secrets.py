"""Resume tokens and facilitator keys: long, random, kept hashed, compared in constant
time, never logged, and a wrong one reveals nothing. (Length, uniqueness and the
digest-only storage are also in test_store.py; this file adds where the randomness
comes from, the constant-time comparison, and the logs.)"""

from __future__ import annotations

import base64
import hmac
import logging
from unittest import mock

import pytest
from sqlalchemy.orm import Session

from toolkit.domain.record import ServiceRecord
from toolkit.network import store as store_module
from toolkit.network.store import Store, WrongKey
from toolkit.serving.redact import RedactQueryValues, redact


@pytest.fixture
def store(tmp_path):
    opened = Store(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    yield opened
    opened.close()


def _service() -> ServiceRecord:
    return ServiceRecord(
        name="Fictional service",
        total_cost=100_000,
        people_supported=40,
        new_jobs=10,
        jobs_retained=8,
    )


def test_tokens_and_keys_come_from_secrets_with_at_least_32_random_bytes(store):
    drawn = []
    real = store_module.secrets.token_urlsafe

    def recording(nbytes=None):
        drawn.append(nbytes)
        return real(nbytes)

    with mock.patch.object(store_module.secrets, "token_urlsafe", side_effect=recording):
        token = store.new_token()
        created = store.create_session("Network")
    assert drawn and all(n is not None and n >= 32 for n in drawn)
    for secret in (token, created.facilitator_key):
        raw = base64.urlsafe_b64decode(secret + "=" * (-len(secret) % 4))
        assert len(raw) >= 32


def _spy():
    return mock.patch.object(store_module.hmac, "compare_digest", wraps=hmac.compare_digest)


def test_resume_tokens_are_compared_in_constant_time(store):
    token = store.new_token()
    store.save_state("self-benchmark", token, {"a": 1})
    with _spy() as compare:
        assert store.load_state("self-benchmark", token) == {"a": 1}
    assert compare.called


def test_a_row_the_database_matched_loosely_is_not_trusted(store, monkeypatch):
    """A database comparing text without case could hand back another token's row: the
    stored digest is checked byte for byte, so that row's state is never returned."""
    mine, theirs = store.new_token(), store.new_token()
    store.save_state("self-benchmark", theirs, {"secret": "theirs"})
    their_row_key = ("self-benchmark", store_module._digest(theirs))
    real_get = Session.get

    def loose_get(self, entity, ident, *args, **kwargs):
        if entity is store_module.AppState:
            ident = their_row_key  # the database "matches" another row
        return real_get(self, entity, ident, *args, **kwargs)

    monkeypatch.setattr(Session, "get", loose_get)
    assert store.load_state("self-benchmark", mine) is None
    assert store.load_state("self-benchmark", theirs) == {"secret": "theirs"}


@pytest.mark.parametrize("right", [True, False])
def test_facilitator_keys_are_compared_in_constant_time(store, right):
    created = store.create_session("Network")
    key = created.facilitator_key if right else store.new_token()
    with _spy() as compare:
        if right:
            store.submissions_for(created.code, key)
        else:
            with pytest.raises(WrongKey):
                store.submissions_for(created.code, key)
    assert compare.called
    # an unknown code is compared too (against a dummy), so it takes the same path
    with _spy() as compare, pytest.raises(WrongKey):
        store.submissions_for("2222-2222-2222", created.facilitator_key)
    assert compare.called


def test_withdrawing_compares_the_resume_token_in_constant_time(store):
    created = store.create_session("Network")
    token = store.new_token()
    submission = store.submit(created.code, _service(), None, False, True, resume_token=token)
    with _spy() as compare:
        assert store.withdraw(created.code, submission, store.new_token()) is False
    assert compare.called
    with _spy() as compare:
        assert store.withdraw(created.code, submission, token) is True
    assert compare.called


def test_a_wrong_secret_reveals_nothing(store):
    created = store.create_session("Network")
    token = store.new_token()
    submission = store.submit(created.code, _service(), None, False, True, resume_token=token)
    wrong = store.new_token()
    # the same answer whether the submission, the code or the token is wrong
    answers = {
        store.withdraw(created.code, submission, wrong),
        store.withdraw(created.code, "no-such-submission", token),
        store.withdraw("2222-2222-2222", submission, token),
    }
    assert answers == {False}
    with pytest.raises(WrongKey) as caught:
        store.session_summary(created.code, wrong)
    for text in (str(caught.value), repr(caught.value)):
        assert wrong not in text and created.facilitator_key not in text
        assert created.code not in text
    assert store.load_state("self-benchmark", wrong) is None


def test_no_secret_reaches_the_log_even_with_sql_logging_on(store, caplog):
    caplog.set_level(logging.DEBUG)
    logging.getLogger("sqlalchemy.engine").setLevel(logging.INFO)
    try:
        token = store.new_token()
        store.save_state("self-benchmark", token, {"a": 1})
        store.load_state("self-benchmark", token)
        created = store.create_session("Network")
        store.submit(created.code, _service(), None, False, True, resume_token=token)
        store.session_summary(created.code, created.facilitator_key)
        with pytest.raises(WrongKey):
            store.session_summary(created.code, store.new_token())
    finally:
        logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)
    assert caplog.records  # the SQL was logged...
    logged = caplog.text
    for secret in (token, created.facilitator_key):
        assert secret not in logged  # ...without its parameters
        assert store_module._digest(secret) not in logged


# --------------------------------------------------------------------------- the server's log


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "404 GET /voila/render/x.ipynb?id=abcDEF123_-xyz (127.0.0.1) 4.1ms",
            "404 GET /voila/render/x.ipynb?id=[redacted] (127.0.0.1) 4.1ms",
        ),
        (
            "404 GET /voila/render/learning_network.ipynb?code=ABCD-EFGH&key=s3cr3t (::1): nope",
            "404 GET /voila/render/learning_network.ipynb?code=[redacted]&key=[redacted] (::1): nope",
        ),
        (
            "HTTPServerRequest(protocol='http', uri='/x.ipynb?id=s3cr3t', version='HTTP/1.1')",
            "HTTPServerRequest(protocol='http', uri='/x.ipynb?id=[redacted]', version='HTTP/1.1')",
        ),
        ("{'QUERY_STRING': 'id=s3cr3t'}", "{'QUERY_STRING': '[redacted]'}"),
        ("Kernel started: 1234-abcd", "Kernel started: 1234-abcd"),
        ("Is this right? Yes = fine", "Is this right? Yes = fine"),
    ],
)
def test_query_values_are_redacted(line, expected):
    assert redact(line) == expected


def test_the_log_filter_redacts_messages_arguments_and_tracebacks():
    record_filter = RedactQueryValues()
    record = logging.LogRecord(
        "tornado.access", logging.WARNING, __file__, 1, "%d %s", (404, "GET /a?id=s3cr3t"), None
    )
    assert record_filter.filter(record) is True
    assert record.getMessage() == "404 GET /a?id=[redacted]"
    try:
        raise ValueError("bad uri /a?key=s3cr3t")
    except ValueError:
        import sys

        failed = logging.LogRecord("x", logging.ERROR, __file__, 1, "boom", None, sys.exc_info())
    record_filter.filter(failed)
    text = logging.Formatter().format(failed)
    assert "s3cr3t" not in text and "key=[redacted]" in text
