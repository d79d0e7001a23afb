"""The programme app's wiring (no browser): facilitator forms, a member's link, escaping."""

from __future__ import annotations

import re

import pytest

from toolkit.network.store import Store
from toolkit.ui.programme import FacilitatorView, MemberPanel, build_app, member_link, member_token


@pytest.fixture
def store(tmp_path):
    opened = Store(f"sqlite:///{tmp_path / 'ui.sqlite3'}")
    yield opened
    opened.close()


def test_member_link_round_trips_and_other_queries_open_the_facilitator_view(store):
    assert member_token(member_link("abc_DEF-123").split("?", 1)[1]) == "abc_DEF-123"
    assert member_token("") is None and member_token("id=x") is None
    assert isinstance(build_app(store, ""), FacilitatorView)
    assert isinstance(build_app(store, "member=whatever"), MemberPanel)


def test_facilitator_runs_a_meeting_and_the_member_sees_it_escaped(store):
    app = build_app(store, "")
    app.title_box.value = "UI network"
    app.create_button.click()
    assert app.programme.layout.display is None
    app.member_name.value = "Org <b>X</b>"
    app.member_set.value = "Strategic set"
    app.add_member_button.click()
    assert "Org &lt;b&gt;X&lt;/b&gt;" in app.members_feedback.value
    token = re.search(r"member=([A-Za-z0-9_-]+)", app.members_feedback.value).group(1)
    app.themes_pick.value = ("Client engagement",)
    app.themes_button.click()
    assert "1 theme(s) chosen" in app.priorities_feedback.value
    assert app.meeting_theme.options == ("Client engagement",)
    app.meeting_theme.value = "Client engagement"
    app.meeting_date.value = "2026-04-14"
    app.meeting_set.value = "Strategic set"
    app.schedule_button.click()
    app.note_text.value = "<script>alert(1)</script> reach people sooner"
    app.note_button.click()
    assert "&lt;script&gt;" in app.note_html.value and "<script>" not in app.note_html.value
    app.action_what.value = "Call the job centre"
    app.action_who.value = "Org <b>X</b>"
    app.action_due.value = "31/02/2026"
    app.action_button.click()
    assert "is not a date" in app.note_feedback.value and 'role="alert"' in app.note_feedback.value
    assert app.action_what.value == "Call the job centre"  # nothing typed is lost
    app.action_due.value = "2026-05-01"
    app.action_button.click()
    assert "Action agreed" in app.note_feedback.value
    app.paper_button.click()
    assert 'download="summary-and-action-paper.docx"' in app.downloads.value
    app.briefing_button.click()
    assert 'download="briefing-pack.docx"' in app.downloads.value

    member = build_app(store, f"member={token}")
    page = "".join(
        getattr(child, "value", "")
        for child in member.body.children
        if isinstance(getattr(child, "value", None), str)
    )
    assert "reach people sooner" in page and "<script>" not in page
    assert "Call the job centre <strong>(yours)</strong>" in page
    member.fig_year.value, member.fig_people.value, member.fig_outcomes.value = "2024", "40", "8"
    assert member._share_figures() == "Figures saved."
    member.fig_year.value, member.fig_people.value, member.fig_outcomes.value = "2025", "50", "12"
    member._share_figures()
    shown = member.body.children[-1].value
    assert "<pre>2024, 8\n2025, 12</pre>" in shown and "If nothing changes" in shown
    member.rating_boxes[0][1].value = 5
    assert member._save_ratings() == "Saved 1 rating(s). Thank you."
    app.refresh()
    assert "<td>5.00</td><td>1</td>" in app.ranking_html.value


def test_a_wrong_key_shows_a_plain_message(store):
    app = build_app(store, "")
    app.code_box.value = "ABCD-EFGH-JKLM"
    app.key_box.value = "wrong"
    app.open_button.click()
    assert "No network matches that code and facilitator key" in app.open_feedback.value
    assert app.programme.layout.display == "none"
