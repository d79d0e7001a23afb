"""The facilitator's dashboard, driven as a facilitator would, with a real store."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import re
import threading

import ipywidgets as w
import pytest

from toolkit.domain.record import ServiceRecord
from toolkit.network.store import Store, StoreUnavailable
from toolkit.ui.learning_network import (
    PAGE,
    AutoRefresh,
    LearningNetworkApp,
    link_params,
    private_link,
)

WRONG = "No session matches that code and facilitator key"


@pytest.fixture
def store(tmp_path):
    opened = Store(f"sqlite:///{tmp_path}/t.db")
    yield opened
    opened.close()


@pytest.fixture
def session(store):
    return store.create_session("Fictional network, March", dt.date(2025, 3, 14))


def record(people=120, new=30, retained=18, self_employed=2, cost=150_000, name="Fictional"):
    return ServiceRecord(
        name=name,
        total_cost=cost,
        people_supported=people,
        new_jobs=new,
        jobs_retained=retained,
        self_employed=self_employed,
    )


def submit(store, session, name=None, **figures):
    token = store.new_token()
    sid = store.submit(
        session.code,
        record(name=name or "Secret anonymous service", **figures),
        display_name=name,
        anonymous=name is None,
        consent=True,
        resume_token=token,
    )
    return sid, token


def everything_shown(widget) -> str:
    """The value of every text-like widget in the tree (what a browser could show)."""
    parts = []
    stack = [widget]
    while stack:
        item = stack.pop()
        if isinstance(item, w.Box):
            stack.extend(item.children)
        elif isinstance(item, w.HTML | w.Text | w.Password | w.Textarea):
            parts.append(item.value)
        if isinstance(item, w.Accordion):
            stack.extend(item.children)
    return " ".join(parts)


def opened(store, session) -> LearningNetworkApp:
    app = LearningNetworkApp(store)
    app.code_box.value = session.code
    app.key_box.value = session.facilitator_key
    app.open_button.click()
    return app


# --------------------------------------------------------------------------- opening


def test_with_no_key_the_forms_are_shown(store):
    app = LearningNetworkApp(store)
    assert app.forms.layout.display is None and app.dashboard.layout.display == "none"
    assert app.code_box.description == "Session code"
    assert isinstance(app.key_box, w.Password) and app.key_box.description == "Facilitator key"


@pytest.mark.parametrize("which", ["wrong key", "unknown code", "junk code"])
def test_a_wrong_key_or_code_reveals_nothing(store, session, which):
    submit(store, session, "Fictional Council A")
    code, key = {
        "wrong key": (session.code, store.new_token()),
        "unknown code": ("K7QF-M2XD-9PRT", session.facilitator_key),
        "junk code": ("<script>", session.facilitator_key),
    }[which]
    app = LearningNetworkApp(store)
    assert app.open(code, key) is False
    assert WRONG in app.open_error.value
    assert app.dashboard.layout.display == "none"
    text = everything_shown(app.widget)
    assert "Fictional network" not in text and "Fictional Council A" not in text


def test_the_right_key_opens_the_dashboard_and_clears_the_key_field(store, session):
    app = opened(store, session)
    assert app.dashboard.layout.display is None and app.forms.layout.display == "none"
    assert "Fictional network, March" in app.heading.value and session.code in app.heading.value
    assert app.key_box.value == ""
    assert session.facilitator_key not in everything_shown(app.widget)
    assert "No services have shared figures yet" in app.services.value
    assert "session-pack-" in app.downloads.value
    assert session.facilitator_key not in repr(app)


def test_named_by_name_anonymous_unnamed_and_pooled_hidden_below_three(store, session):
    submit(store, session, "Fictional Council A")
    submit(store, session, None, people=80, new=10, retained=12, self_employed=0)
    app = opened(store, session)
    text = everything_shown(app.widget)
    assert "2 services have shared figures" in app.services.value
    assert "Fictional Council A" in app.services.value and "Service A" in app.services.value
    assert "Secret anonymous service" not in text
    assert "Pooled figures are not shown: they need at least 3 services" in app.pooled.value
    assert "only 2 services have shared figures so far" in app.pooled.value
    assert "Not shown yet" in app.spread.value and "Not shown yet" in app.projector_spread.value
    assert "Fictional Council A" in app.services_chart.value  # alt text and caption
    assert "Service A: cost per person supported £1,875" in app.services_chart.value


def test_with_three_services_the_pooled_figures_spread_and_group_appear(store, session):
    submit(store, session, "Fictional Council A")  # 150,000 / 120 people, 50 outcomes
    submit(store, session, None, people=80, new=10, retained=12, self_employed=0, cost=220_000)
    submit(store, session, "Fictional Council C", people=200, new=40, retained=20, cost=300_000)
    app = opened(store, session)
    # pooled from each service's counts rounded to 5: 670,000 / 400 people = £1,675;
    # outcomes 50 + 20 (22 rounded) + 60 = 130, so £5,154 per job outcome and 32.5%
    assert "£1,675" in app.pooled.value and "£5,154" in app.pooled.value
    assert "32.5%" in app.pooled.value
    assert "not placed against the bands" in app.pooled.value
    row = app.summary.spread_row("cost_per_person")
    assert (row.low, row.median, row.high) == (1250, 1500, 2750)
    assert "Lowest" in app.spread.value and "£2,750" in app.spread.value
    assert "median is within the band for evidence-based services" in app.spread.value
    assert "evidence-based" in app.projector_spread.value


def test_small_counts_are_not_shown_anywhere(store, session):
    submit(store, session, "Fictional Council A")
    submit(store, session, "Fictional Tiny", people=4, new=1, retained=1, self_employed=0)
    submit(store, session, None, people=80, new=10, retained=12, self_employed=0)
    app = opened(store, session)
    tiny = next(e for e in app.summary.submissions if e.shown_as == "Fictional Tiny")
    assert tiny.measures["people_supported"] is None
    row = re.search(r"<tr><th scope=\"row\">Fictional Tiny</th>.*?</tr>", app.services.value)
    assert row and "not shown" in row.group(0) and ">4<" not in row.group(0)
    assert "Fictional Tiny: people supported, job outcomes" in app.not_shown.value
    assert "Fictional Tiny: cost per person supported not shown" in app.services_chart.value
    assert "hidden for 2 services" in app.spread.value  # the tiny one, and one to protect it
    assert "£37,500" not in everything_shown(app.widget)  # 150,000 / 4 would give it away


def test_refresh_shows_new_and_withdrawn_submissions(store, session):
    sid, token = submit(store, session, "Fictional Council A")
    app = opened(store, session)
    assert "1 service has shared figures" in app.services.value
    submit(store, session, None)
    app.refresh_button.click()
    assert "2 services have shared figures" in app.services.value
    assert store.withdraw(session.code, sid, token)
    assert app.refresh()
    assert "1 service has shared figures" in app.services.value
    assert "Fictional Council A" not in everything_shown(app.widget)
    pack = app.downloads.value
    csv = re.search(r'href="data:text/csv;base64,([^"]+)"', pack).group(1)
    text = base64.b64decode(csv).decode("utf-8-sig")
    assert "Service A" in text and "Fictional Council A" not in text
    assert "Secret anonymous service" not in text


def test_unchanged_figures_are_not_redrawn(store, session):
    submit(store, session, "Fictional Council A")
    app = opened(store, session)
    app.services_chart.value = "marker"
    assert app.refresh()
    assert app.services_chart.value == "marker"
    assert "Last checked" in app.updated.value


def test_the_session_pack_links(store, session):
    submit(store, session, "Fictional Council A")
    app = opened(store, session)
    pack = app.downloads.value
    assert f'download="session-pack-{session.code}.xlsx"' in pack
    assert f'download="session-pack-{session.code}.csv"' in pack
    xlsx = re.search(r'href="data:application/[^;]+;base64,([^"]+)"', pack).group(1)
    assert base64.b64decode(xlsx)[:2] == b"PK"


def test_a_refresh_that_fails_says_so_in_plain_words(store, session):
    app = opened(store, session)

    def broken(*args):
        raise StoreUnavailable("could not open the toolkit's database")

    store.session_summary = broken
    assert app.refresh() is False
    assert "Could not check for new figures" in app.updated.value
    assert "Traceback" not in everything_shown(app.widget)
    assert "Fictional network" in app.heading.value  # the last figures stay


def test_projector_toggle_and_close(store, session):
    app = opened(store, session)
    app.projecting.value = True
    assert "toolkit-large" in app.widget._dom_classes
    assert app.private_view.layout.display == "none" and app.projector.layout.display is None
    app.projecting.value = False
    assert "toolkit-large" not in app.widget._dom_classes
    assert app.private_view.layout.display is None
    app.close_button.click()
    assert app.forms.layout.display is None and app.dashboard.layout.display == "none"
    assert app.heading.value == "" and app.code is None
    assert app.refresh()  # nothing open: nothing to do, no error


# --------------------------------------------------------------------------- starting a session


def test_start_a_new_session_shows_code_key_and_private_link_once(store):
    app = LearningNetworkApp(store)
    app.create_button.click()
    assert "Title: enter some text" in app.create_error.value
    app.title_box.value = "Fictional network, April"
    app.date_box.value = dt.date(2025, 4, 10)
    app.create_button.click()
    shown = app.created.value
    code = re.search(r'class="toolkit-code">([A-Z0-9-]+)<', shown).group(1)
    key = re.search(r'<code class="toolkit-key">([A-Za-z0-9_-]{40,})</code>', shown).group(1)
    assert "keep it private" in shown and "shown only this once" in shown
    assert f'href="{PAGE}?code={code}&amp;key={key}"' in shown
    assert store.session_info(code, key).title == "Fictional network, April"
    app.open_created_button.click()
    assert app.dashboard.layout.display is None
    assert "Fictional network, April" in app.heading.value and "2025-04-10" in app.heading.value
    assert key not in everything_shown(app.widget)  # never on the (projected) dashboard


def test_private_link_round_trip(store, session):
    link = private_link(session.code, session.facilitator_key)
    code, key = link_params(link.split("?", 1)[1])
    assert (code, key) == (session.code, session.facilitator_key)
    assert link_params("") == (None, None)
    app = LearningNetworkApp(store, code, key)
    assert app.dashboard.layout.display is None
    assert "the facilitator key is in this page's address" in app.link_notice.value
    bad = LearningNetworkApp(store, session.code, "x" * 43)
    assert bad.dashboard.layout.display == "none"
    assert "That private link did not open a session" in bad.notice.value
    assert WRONG in bad.open_error.value


# --------------------------------------------------------------------------- auto-refresh


def run_on_own_loop(scenario) -> None:
    """``asyncio.run(scenario())`` on a thread of its own (in the full suite the browser
    tests leave an event loop running on the main thread)."""
    failures = []

    def target():
        try:
            asyncio.run(scenario())
        except BaseException as exc:  # handed back to the test
            failures.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(timeout=60)
    assert not thread.is_alive()
    if failures:
        raise failures[0]


def test_auto_refresh_does_nothing_without_an_event_loop(store, session):
    app = opened(store, session)
    assert not app.refresher.running


def test_auto_refresh_keeps_going_after_errors_and_stops_when_asked():
    calls, applied, errors = [], [], []

    def fetch():
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("the store hiccupped")
        return len(calls)

    async def scenario():
        refresher = AutoRefresh(
            0.01, fetch, applied.append, errors.append, find_loop=asyncio.get_running_loop
        )
        assert refresher.start()
        await asyncio.sleep(0.2)
        assert refresher.running
        refresher.stop()
        count = len(calls)
        await asyncio.sleep(0.05)
        assert not refresher.running and len(calls) == count

    run_on_own_loop(scenario)
    assert len(errors) == 1 and isinstance(errors[0], RuntimeError)
    assert applied[:2] == [1, 3]


def test_the_dashboard_refreshes_itself(store, session):
    async def scenario():
        app = LearningNetworkApp(store, refresh_seconds=0.05)
        assert not AutoRefresh(1, list, print, print).start()  # not a kernel: no timer
        app.refresher.find_loop = asyncio.get_running_loop
        assert app.open(session.code, session.facilitator_key)
        assert app.refresher.running
        submit(store, session, "Fictional Council A")
        for _ in range(100):
            await asyncio.sleep(0.05)
            if "1 service has shared figures" in app.services.value:
                break
        assert "Fictional Council A" in app.services.value
        app.close()
        assert not app.refresher.running

    run_on_own_loop(scenario)
