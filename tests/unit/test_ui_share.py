"""Sharing with a learning-network session from the self-benchmark app, with a real store."""

from __future__ import annotations

import pytest

from tests.unit.test_ui_self_benchmark import GOOD
from toolkit.domain.record import ServiceRecord
from toolkit.network.sessions import ANONYMOUS_NAME
from toolkit.network.store import Store
from toolkit.ui.self_benchmark import APP, SelfBenchmarkApp
from toolkit.ui.share import ANONYMOUS, SHARED_FIELDS, SharePanel, clean_shared, consent_text


@pytest.fixture
def store(tmp_path):
    opened = Store(f"sqlite:///{tmp_path}/t.db")
    yield opened
    opened.close()


@pytest.fixture
def session(store):
    return store.create_session("Fictional network", None)


def filled_app(store, **values) -> SelfBenchmarkApp:
    app = SelfBenchmarkApp(store=store)
    app.set_values({**GOOD, **values})
    return app


def fill_share(panel: SharePanel, code: str, name: str = "Fictional Council", consent=True):
    panel.code.value = code
    panel.org_name.value = name
    panel.consent.value = consent


def shown_text(panel: SharePanel) -> str:
    return " ".join(
        box.value
        for box in (
            panel.status,
            panel.code_error,
            panel.org_error,
            panel.consent_error,
            panel.share_message,
            panel.withdraw_message,
        )
    )


def test_the_panel_sits_before_the_caveats_with_its_labels(store):
    app = SelfBenchmarkApp(store=store)
    children = list(app.widget.children)
    assert children.index(app.share.widget) == children.index(app.caveats) - 1
    panel = app.share
    assert panel.code.description == "Session code"
    assert panel.appear.description == "How you appear"
    assert [label for label, _ in panel.appear.options] == ["Our organisation's name", "Anonymous"]
    assert panel.org_name.description == "Organisation name"
    assert panel.share_button.description == "Share with the session"
    assert panel.withdraw_button.description == "Withdraw our figures"
    assert "Nothing from this page has been shared" in panel.status.value


def test_consent_text_says_what_is_shared_and_with_whom():
    text = consent_text()
    for words in (
        "total annual cost",
        "people supported",
        "new job",
        "retained",
        "self-employed",
        "measures worked out",
        "facilitator",
        "other members of that session",
        "pooled figures",
        "band chart",
        "at least 3 services",
        "Counts under 5 are not shown",
        "withdraw",
    ):
        assert words in text, words


def test_sharing_under_the_organisation_name(store, session):
    app = filled_app(store)
    fill_share(app.share, session.code.lower().replace("-", " "), "Fictional Council A")
    assert app.share.share() is True
    assert "Shared: the figures of" in app.share.share_message.value
    assert app.share.consent.value is False  # cleared: a later click needs a new tick
    summary = store.session_summary(session.code, session.facilitator_key)
    assert [entry.shown_as for entry in summary.submissions] == ["Fictional Council A"]
    shared = store.load_state(APP, app.token)["shared"]
    assert shared["code"] == session.code
    assert shared["submission_id"] == summary.submissions[0].submission_id
    assert not app.share.withdraw_button.disabled
    assert "Fictional Council A" in app.share.status.value


def test_only_the_consented_figures_are_shared(store, session):
    app = filled_app(
        store,
        year="2024/25",
        client_group="mental_health",
        support_under_7_hours="40",
        support_7_to_40_hours="60",
        support_over_40_hours="20",
    )
    fill_share(app.share, session.code, "Fictional Council A")
    assert app.share.share()
    (submission,) = store.submissions_for(session.code, session.facilitator_key)
    dumped = submission.record.model_dump()
    assert {k for k, v in dumped.items() if v is not None} == {"name", *SHARED_FIELDS}
    assert submission.record.name == "Fictional Council A"
    assert submission.record.total_cost == 150_000 and submission.record.self_employed == 2


def test_choosing_anonymous_hides_only_the_organisation_name(store):
    app = filled_app(store)
    app.share.appear.value = ANONYMOUS
    assert app.share.org_name.layout.display == "none"
    assert app.share.code.layout.display is None  # the session code stays visible
    assert all(box.layout.display is None for box in app.fields.values())
    app.share.appear.value = app.share.appear.options[0][1]
    assert app.share.org_name.layout.display is None


def test_sharing_anonymously_keeps_no_name(store, session):
    app = filled_app(store)
    fill_share(app.share, session.code, "Fictional Council B")
    app.share.appear.value = ANONYMOUS
    assert app.share.org_name.layout.display == "none"
    assert app.share.share()
    (submission,) = store.submissions_for(session.code, session.facilitator_key)
    assert submission.anonymous and submission.shown_as == "Service A"
    assert submission.record.name == ANONYMOUS_NAME
    summary = store.session_summary(session.code, session.facilitator_key)
    assert "Council B" not in str(summary) and "IPS service" not in str(summary)
    assert "anonymously" in app.share.status.value


def test_sharing_twice_updates_the_one_submission(store, session):
    app = filled_app(store)
    fill_share(app.share, session.code)
    assert app.share.share()
    assert app.share.share() is False  # the box was cleared: no second share without a tick
    assert "Tick the box" in app.share.consent_error.value
    app.share.consent.value = True
    assert app.share.share()
    assert "Updated: the figures of" in app.share.share_message.value
    app.set_values({"total_cost": "160000"})
    app.share.consent.value = True
    assert app.share.share()
    (submission,) = store.submissions_for(session.code, session.facilitator_key)
    assert submission.record.total_cost == 160_000


def test_the_button_is_disabled_while_sharing_and_a_second_click_is_ignored(store, session):
    app = filled_app(store)
    fill_share(app.share, session.code)
    seen = []
    real_submit = store.submit

    def submit(*args, **kwargs):
        seen.append(app.share.share_button.disabled)
        assert app.share.share() is False  # a click arriving mid-submit does nothing
        return real_submit(*args, **kwargs)

    store.submit = submit
    assert app.share.share()
    assert seen == [True]
    assert not app.share.share_button.disabled
    assert len(store.submissions_for(session.code, session.facilitator_key)) == 1


@pytest.mark.parametrize(
    ("change", "where", "words"),
    [
        ({"code": "K7QF-M2XD-9PRT"}, "code_error", "No session has that code"),
        ({"code": "not a code"}, "code_error", "codes look like K7QF-M2XD-9PRT"),
        ({"code": ""}, "code_error", "enter the code your facilitator gave you"),
        ({"consent": False}, "consent_error", "Tick the box to agree"),
        ({"name": "  "}, "org_error", "Organisation name: enter the name to show"),
        ({"name": "x" * 500}, "org_error", "Organisation name: keep it to"),
    ],
)
def test_problems_are_shown_in_plain_words_and_nothing_is_shared(
    store, session, change, where, words
):
    app = filled_app(store)
    fill_share(
        app.share,
        change.get("code", session.code),
        change.get("name", "Fictional Council"),
        change.get("consent", True),
    )
    assert app.share.share() is False
    assert words in getattr(app.share, where).value
    assert "Traceback" not in shown_text(app.share)
    assert store.submissions_for(session.code, session.facilitator_key) == []
    assert "shared" not in app.state


def test_incomplete_figures_are_not_shared(store, session):
    app = filled_app(store, people_supported="")
    fill_share(app.share, session.code)
    assert app.share.share() is False
    message = app.share.share_message.value
    assert "not complete" in message and "People supported" in message
    blank = SelfBenchmarkApp(store=store)
    fill_share(blank.share, session.code)
    assert blank.share.share() is False
    assert "no figures to share" in blank.share.share_message.value
    assert store.submissions_for(session.code, session.facilitator_key) == []


def test_withdrawing_removes_the_figures_everywhere(store, session):
    app = filled_app(store)
    fill_share(app.share, session.code)
    assert app.share.share()
    assert app.share.withdraw() is True
    assert "Withdrawn from session" in app.share.withdraw_message.value
    assert store.session_summary(session.code, session.facilitator_key).submissions == []
    assert "shared" not in store.load_state(APP, app.token)
    app.share.code.value = ""
    assert app.share.withdraw() is False
    assert "nothing to withdraw" in app.share.withdraw_message.value


def test_the_resume_link_can_withdraw_later(store, session):
    first = filled_app(store)
    fill_share(first.share, session.code, "Fictional Council A")
    assert first.share.share()
    again = SelfBenchmarkApp(store=store, token=first.token)
    assert "shared" in again.state
    assert session.code in again.share.status.value
    assert again.share.code.value == session.code
    assert again.share.org_name.value == "Fictional Council A"
    assert not again.share.withdraw_button.disabled
    assert again.share.withdraw()
    assert store.submissions_for(session.code, session.facilitator_key) == []
    assert "shared" not in SelfBenchmarkApp(store=store, token=first.token).state


def test_figures_withdrawn_elsewhere_are_reported_as_already_gone(store, session):
    app = filled_app(store)
    fill_share(app.share, session.code)
    assert app.share.share()
    store.withdraw(session.code, app.state["shared"]["submission_id"], app.token)
    assert app.share.withdraw() is True
    assert "Nothing to withdraw" in app.share.withdraw_message.value


def test_a_second_session_needs_the_first_withdrawn(store, session):
    other = store.create_session("Another network", None)
    app = filled_app(store)
    fill_share(app.share, session.code)
    assert app.share.share()
    app.share.code.value = other.code
    app.share.consent.value = True
    assert app.share.share() is False
    assert "Withdraw them from that session first" in app.share.share_message.value
    assert store.submissions_for(other.code, other.facilitator_key) == []


def test_a_failing_store_gives_plain_words_not_a_traceback(store, session):
    app = filled_app(store)
    fill_share(app.share, session.code)

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    store.submit = broken
    assert app.share.share() is False
    assert "Something went wrong while sharing" in app.share.share_message.value
    assert "disk on fire" not in shown_text(app.share)
    assert not app.share.share_button.disabled
    store.withdraw = broken
    app.state["shared"] = {"code": session.code, "submission_id": "x" * 22, "anonymous": False}
    assert app.share.withdraw() is False
    assert "could not be withdrawn" in app.share.withdraw_message.value


def test_without_a_store_sharing_says_it_is_not_available(session):
    app = SelfBenchmarkApp(store=None)
    app.set_values(GOOD)
    fill_share(app.share, session.code)
    assert app.share.share() is False
    assert "not available" in app.share.share_message.value


@pytest.mark.parametrize(
    "raw",
    [None, "x", {}, {"code": "nope", "submission_id": "a"}, {"code": "K7QF-M2XD-9PRT"}],
)
def test_bad_saved_share_entries_are_ignored(raw):
    assert clean_shared(raw) is None


def test_a_saved_share_entry_is_normalised():
    entry = clean_shared({"code": "k7qfm2xd9prt", "submission_id": "abc", "anonymous": "yes"})
    assert entry == {
        "code": "K7QF-M2XD-9PRT",
        "submission_id": "abc",
        "anonymous": False,
        "name": None,
    }


def test_shared_record_drops_everything_else():
    from toolkit.ui.share import shared_record

    record = ServiceRecord(
        name="Fictional",
        total_cost=1000,
        people_supported=10,
        new_jobs=2,
        jobs_retained=1,
        year="2024/25",
    )
    assert shared_record(record, "Shown name").model_dump(exclude_none=True) == {
        "name": "Shown name",
        "total_cost": 1000.0,
        "people_supported": 10,
        "new_jobs": 2,
        "jobs_retained": 1,
        "self_employed": 0,
    }
