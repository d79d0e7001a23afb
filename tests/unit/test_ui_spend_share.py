"""The spend map app's learning-network parts: a member shares and withdraws the map's totals;
the facilitator sees the network's mix, never one area's map."""

from __future__ import annotations

import pytest

from toolkit.network.spend_sharing import shared_payloads
from toolkit.network.store import Store
from toolkit.ui.spend_map import SpendMapApp
from toolkit.ui.spend_share import breakdown_table_html


@pytest.fixture
def store(tmp_path):
    opened = Store(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    yield opened
    opened.close()


def filled(store, paid: str, other: str, area: str = "Fictional shire") -> SpendMapApp:
    app = SpendMapApp(store=store, chart_delay=0)
    app.fields["area"].value = area
    app.fields["year"].value = "2024-25"
    app.set_line(0, provider="Secret Provider", funding_stream="health",
                 support_type="support into paid work", client_group="mental health",
                 annual_spend=paid)
    app.set_line(1, provider="B", funding_stream="care", support_type="other",
                 client_group="learning disability", annual_spend=other)
    return app


def share(app: SpendMapApp, code: str) -> bool:
    panel = app.share_panel
    panel.code.value = code
    panel.consent.value = True
    return panel.share()


def test_nothing_is_shared_without_consent_or_spend(store):
    session = store.create_session("Network")
    app = filled(store, "100000", "0")
    app.share_panel.code.value = session.code
    assert app.share_panel.share() is False
    assert "Tick the box" in app.share_panel.message.value
    empty = SpendMapApp(store=store, chart_delay=0)
    assert share(empty, session.code) is False
    assert "nothing to share yet" in empty.share_panel.message.value
    unread = filled(store, "100000", "lots")
    assert share(unread, session.code) is False
    assert "could not be read" in unread.share_panel.message.value
    assert shared_payloads(store, session.code, session.facilitator_key) == []


def test_share_replace_withdraw_and_a_closed_session(store):
    session = store.create_session("Network")
    app = filled(store, "100000", "50000")
    assert share(app, session.code) is True
    assert "Shared:" in app.share_panel.message.value
    assert app.share_panel.consent.value is False  # a later share must be agreed again
    app.set_line(0, annual_spend="200000")
    assert share(app, session.code) is True and "Updated:" in app.share_panel.message.value
    stored = shared_payloads(store, session.code, session.facilitator_key)
    assert [p["total"] for p in stored] == [250_000]
    assert "Secret Provider" not in repr(stored) and "Fictional shire" not in repr(stored)
    store.close_session(session.code, session.facilitator_key)
    other = filled(store, "1000", "1000")
    assert share(other, session.code) is False
    assert "This session is closed" in other.share_panel.message.value
    assert app.share_panel.withdraw() is True
    assert "Withdrawn from session" in app.share_panel.message.value
    assert shared_payloads(store, session.code, session.facilitator_key) == []


def test_facilitator_sees_the_pooled_mix_only_with_enough_maps_and_the_right_key(store):
    session = store.create_session("Network")
    for paid, other in (("300000", "100000"), ("100000", "100000")):
        assert share(filled(store, paid, other), session.code)
    app = filled(store, "200000", "0")
    panel = app.network_panel
    panel.code.value, panel.key.value = session.code, "wrong key"
    assert panel.show() is None and "No session matches" in panel.result.value
    panel.key.value = session.facilitator_key
    early = panel.show()
    assert early is not None and not early["shown"]
    assert "2 map(s) shared so far" in panel.result.value
    assert share(app, session.code)
    mix = panel.show()
    assert mix is not None and mix["shown"]
    html = panel.result.value
    assert "3 areas have shared their maps" in html and "£800,000" in html
    assert "75% of the network" in html or "75.0% of the network" in html
    assert "The network&#x27;s spend by client group" in html
    assert "Secret Provider" not in html and "Fictional shire" not in html


def test_other_is_named_as_a_type_in_the_type_table_and_as_a_group_in_the_group_table():
    breakdown = {"amounts": {"other": 10.0}, "shares": {"other": 1.0}, "total": 10.0}
    assert "Other or unspecified" in breakdown_table_html("by_support_type", breakdown, {})
    assert "Other client groups" in breakdown_table_html("by_client_group", breakdown, {})
