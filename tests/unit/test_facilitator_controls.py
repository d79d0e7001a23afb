"""The facilitator's controls over a session: close, reopen, cap, delete, self-declared names.

Driven three ways on a real store: the shared functions (toolkit.network.facilitator),
the dashboard's buttons, and the command line, which say the same things.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.unit.test_ui_learning_network import everything_shown, opened, record
from toolkit.cli.main import main
from toolkit.network import facilitator
from toolkit.network.store import SessionClosed, Store, WrongKey
from toolkit.ui.learning_network import LearningNetworkApp


@pytest.fixture
def store(tmp_path):
    opened_store = Store(f"sqlite:///{tmp_path}/t.db")
    yield opened_store
    opened_store.close()


@pytest.fixture
def session(store):
    return store.create_session("Fictional network, March", dt.date(2025, 3, 14))


def share(store, session, name="Fictional Council Z"):
    return store.submit(
        session.code,
        record(name=name),
        display_name=name,
        anonymous=False,
        consent=True,
        resume_token=store.new_token(),
    )


# --------------------------------------------------------------------------- the shared functions


def test_close_then_reopen_in_the_store(store, session):
    assert facilitator.close_session(store, session.code, session.facilitator_key).startswith(
        "Closed:"
    )
    with pytest.raises(SessionClosed, match="This session is closed"):
        share(store, session)
    said = facilitator.reopen_session(store, session.code, session.facilitator_key)
    assert said == "Reopened: the session takes figures again."
    share(store, session)  # taken again
    assert store.session_summary(session.code, session.facilitator_key).services == 1


def test_reopen_and_cap_need_the_right_key(store, session):
    for action in (
        lambda key: facilitator.reopen_session(store, session.code, key),
        lambda key: facilitator.set_size_cap(store, session.code, key, 3),
        lambda key: facilitator.delete_session(store, session.code, key),
    ):
        with pytest.raises(WrongKey):
            action(store.new_token())
    assert store.max_services(session.code, session.facilitator_key) is None


@pytest.mark.parametrize(
    ("typed", "cap"), [("", None), ("  ", None), ("12", 12), (" 1,000 ", 1000), ("none", None)]
)
def test_parse_cap_reads_numbers_and_blank(typed, cap):
    assert facilitator.parse_cap(typed) == cap


@pytest.mark.parametrize("typed", ["0", "-3", "2.5", "twelve", "1e3", "\u00b2", "9" * 30])
def test_parse_cap_names_the_field_and_what_it_expects(typed):
    with pytest.raises(ValueError) as caught:
        facilitator.parse_cap(typed)
    message = str(caught.value)
    assert message.startswith("Most services to take:") and "whole number from 1 to" in message
    assert f"\u201c{typed}\u201d" in message


def test_a_cap_below_the_count_keeps_the_figures_and_refuses_newcomers(store, session):
    share(store, session, "Fictional A")
    share(store, session, "Fictional B")
    said = facilitator.set_size_cap(store, session.code, session.facilitator_key, 1)
    assert "at most 1 service." in said and "2 services have already shared" in said
    with pytest.raises(SessionClosed, match="at most 1 services"):
        share(store, session, "Fictional C")
    assert store.session_summary(session.code, session.facilitator_key).services == 2
    assert "No cap" in facilitator.set_size_cap(store, session.code, session.facilitator_key, None)
    share(store, session, "Fictional C")


def test_delete_warning_names_the_session_and_what_goes(store, session):
    share(store, session, "Fictional A")
    controls = facilitator.read_controls(store, session.code, session.facilitator_key)
    warning = facilitator.delete_warning(controls)
    assert "\u201cFictional network, March\u201d" in warning and session.code in warning
    assert "the 1 service shared with it" in warning and "cannot be undone" in warning


def test_self_declared_names_are_listed_and_anonymous_ones_counted(store, session):
    share(store, session, "Fictional Council B")
    share(store, session, "Fictional Council A")
    store.submit(session.code, record(), None, anonymous=True, consent=True)
    controls = facilitator.read_controls(store, session.code, session.facilitator_key)
    assert controls.self_declared == ("Fictional Council A", "Fictional Council B")
    sentence = facilitator.self_declared_sentence(controls)
    assert "self-declared" in sentence and "Fictional Council A; Fictional Council B" in sentence
    assert "1 service shared anonymously" in sentence
    assert "Secret" not in sentence


# --------------------------------------------------------------------------- the dashboard


def test_dashboard_closes_and_reopens_the_session(store, session):
    app = opened(store, session)
    assert app.reopen_session_button.layout.display == "none"
    assert "Open: the session takes figures" in app.session_state.value
    app.close_session_button.click()
    assert "Closed: the session takes no new or changed figures" in app.session_message.value
    assert "This session is closed" in app.heading.value
    assert "Closed:" in app.session_state.value
    assert app.close_session_button.layout.display == "none"
    assert app.reopen_session_button.layout.display is None
    with pytest.raises(SessionClosed):
        share(store, session)
    app.reopen_session_button.click()
    assert "Reopened" in app.session_message.value
    assert app.close_session_button.layout.display is None
    assert "Session code for commissioners" in app.heading.value
    share(store, session)


def test_dashboard_cap_keeps_bad_input_and_says_what_is_expected(store, session):
    app = opened(store, session)
    assert app.cap_box.description == "Most services to take" and app.cap_box.value == ""
    app.cap_box.value = "twelve"
    app.cap_button.click()
    assert "Most services to take:" in app.cap_error.value
    assert "whole number from 1 to 1,000,000" in app.cap_error.value
    assert app.cap_box.value == "twelve"  # nothing typed is lost
    assert store.max_services(session.code, session.facilitator_key) is None
    app.cap_box.value = "2"
    app.cap_button.click()
    assert app.cap_error.value == ""
    assert "Cap set: the session takes figures from at most 2 services." in (
        app.session_message.value
    )
    assert "at most 2 services (0 services so far)" in app.session_state.value
    assert store.max_services(session.code, session.facilitator_key) == 2
    reopened = opened(store, session)
    assert reopened.cap_box.value == "2"


def test_dashboard_delete_asks_first_and_can_be_cancelled(store, session):
    share(store, session, "Fictional Council A")
    app = opened(store, session)
    assert app.delete_confirmation.layout.display == "none"
    app.delete_button.click()  # one click deletes nothing
    assert store.session_summary(session.code, session.facilitator_key).services == 1
    assert app.delete_confirmation.layout.display is None
    question = app.delete_question.value
    assert "Fictional network, March" in question and session.code in question
    assert "the 1 service shared with it" in question and "cannot be undone" in question
    assert 'role="alert"' in question
    app.cancel_delete_button.click()
    assert app.delete_confirmation.layout.display == "none" and app.delete_question.value == ""
    assert app.delete_session() is False  # not asked: nothing happens
    assert store.session_summary(session.code, session.facilitator_key).services == 1


def test_dashboard_delete_after_confirming_goes_back_to_the_forms(store, session):
    share(store, session, "Fictional Council A")
    app = opened(store, session)
    app.delete_button.click()
    app.confirm_delete_button.click()
    with pytest.raises(WrongKey):
        store.session_summary(session.code, session.facilitator_key)
    assert app.dashboard.layout.display == "none" and app.forms.layout.display is None
    assert "Deleted: the session" in app.notice.value and session.code in app.notice.value
    assert app.code is None
    text = everything_shown(app.widget)
    assert "Fictional Council A" not in text and session.facilitator_key not in text


def test_dashboard_lists_self_declared_names(store, session):
    share(store, session, "Fictional Council A")
    store.submit(session.code, record(), None, anonymous=True, consent=True)
    app = opened(store, session)
    assert "self-declared" in app.self_declared.value
    assert "Fictional Council A" in app.self_declared.value
    assert "1 service shared anonymously" in app.self_declared.value
    app.projecting.value = True  # the controls are in the private view only
    assert app.private_view.layout.display == "none"
    assert app.controls in app.private_view.children
    assert app.controls not in app.projector.children


def test_every_control_has_a_visible_label():
    app = LearningNetworkApp(store=None)
    for button in (
        app.close_session_button,
        app.reopen_session_button,
        app.cap_button,
        app.delete_button,
        app.confirm_delete_button,
        app.cancel_delete_button,
    ):
        assert button.description.strip()
    assert app.cap_box.description == facilitator.CAP_LABEL


# --------------------------------------------------------------------------- the command line


def _cli(capsys, *args):
    status = main(list(args))
    out = capsys.readouterr()
    return status, out.out, out.err


def test_cli_reopen_and_cap_use_the_same_words(capsys, tmp_path, monkeypatch):
    monkeypatch.delenv("TOOLKIT_DATABASE_URL", raising=False)
    monkeypatch.delenv("TOOLKIT_FACILITATOR_KEY", raising=False)
    monkeypatch.setenv("TOOLKIT_DATA_HOME", str(tmp_path / "data"))
    main(["session", "create", "--title", "March", "--format", "json"])
    created = json.loads(capsys.readouterr().out)
    code, key = created["code"], created["facilitator_key"]
    status, out, _ = _cli(capsys, "session", "close", code, "--facilitator-key", key)
    assert status == 0 and out.strip() == facilitator.CLOSED
    status, out, _ = _cli(capsys, "session", "reopen", code, "--facilitator-key", key)
    assert status == 0 and out.strip() == "Reopened: the session takes figures again."
    status, out, _ = _cli(capsys, "session", "cap", code, "5", "--facilitator-key", key)
    assert status == 0 and "at most 5 services" in out
    status, _, err = _cli(capsys, "session", "cap", code, "lots", "--facilitator-key", key)
    assert status != 0 and "MOST:" in err and "whole number from 1 to" in err
    assert "give none for no cap" in err
    status, _, err = _cli(capsys, "session", "delete", code, "--facilitator-key", key)
    assert status != 0 and "--yes is needed" in err
    status, out, _ = _cli(capsys, "session", "delete", code, "--facilitator-key", key, "--yes")
    assert status == 0 and out.startswith("Deleted: the session \u201cMarch\u201d")


def test_dashboard_says_so_when_the_session_went_elsewhere(store, session):
    app = opened(store, session)
    store.delete_session(session.code, session.facilitator_key)  # from the command line, say
    app.delete_button.click()
    assert "could not be read, so nothing was deleted" in app.session_message.value
    assert app.delete_confirmation.layout.display == "none"
    app.close_session_button.click()
    assert "The session was not closed: No session matches" in app.session_message.value
    assert "Traceback" not in everything_shown(app.widget)
