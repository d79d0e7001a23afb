"""The facilitator's session controls in real browsers: close (and reopen), cap, delete.

The session is made with the command line against the test server's store, as in
test_learning_network.py; the facilitator then works only from the dashboard.
"""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import OfflinePage, axe_violations
from tests.e2e.test_layout_widths import CUT
from tests.e2e.test_learning_network import create_session, open_dashboard, share
from tests.e2e.test_self_benchmark import GOOD, body_text, open_app, type_figures

pytestmark = pytest.mark.e2e

CLOSED = "This session is closed: the facilitator is no longer taking figures."


def test_a_closed_session_refuses_a_members_share_with_a_clear_message(
    voila_server, toolkit_data_home, offline_page, browser
):
    session = create_session(toolkit_data_home)
    code, key = session["code"], session["facilitator_key"]
    member = OfflinePage(browser)
    try:
        board = open_dashboard(offline_page, voila_server, code, key)
        board.get_by_text("No services have shared figures yet.", exact=True).wait_for(
            timeout=60_000
        )
        board.get_by_text(re.compile(r"^Open: the session takes figures")).wait_for()
        board.get_by_role("button", name="Close the session to new figures").click()
        board.get_by_text(
            re.compile(r"^Closed: the session takes no new or changed figures from")
        ).wait_for(timeout=20_000)
        board.get_by_text("This session is closed:", exact=False).first.wait_for()
        board.get_by_role("button", name="Reopen the session").wait_for()
        assert board.get_by_role("button", name="Close the session to new figures").count() == 0

        # A commissioner tries to share: refused, saying why, with their figures still there.
        page = open_app(member, voila_server)
        type_figures(page, GOOD)
        page.get_by_text("Cost per job outcome of £3,000").first.wait_for()
        page.get_by_label("Session code", exact=True).fill(code)
        page.get_by_label("Organisation name", exact=True).fill("Fictional Council A")
        page.get_by_role("checkbox", name=re.compile("I agree to share")).check()
        page.get_by_role("button", name="Share with the session").click()
        page.get_by_text(re.compile(re.escape(f"Not shared: {CLOSED}"))).wait_for(timeout=20_000)
        assert (
            page.get_by_label("People supported", exact=True).input_value()
            == GOOD["People supported"]
        )
        assert "Traceback" not in body_text(page)

        # Reopened, the same share goes through and the dashboard counts it.
        board.get_by_role("button", name="Reopen the session").click()
        board.get_by_text("Reopened: the session takes figures again.").wait_for(timeout=20_000)
        share(page, code, "Fictional Council A")
        board.get_by_role("button", name="Refresh now").click()
        board.get_by_text("1 service has shared figures.", exact=True).wait_for(timeout=20_000)
        board.get_by_text(re.compile("self-declared: nobody has checked them")).wait_for()
        assert offline_page.external == [] and member.external == []
    finally:
        member.close()


def test_delete_asks_first_naming_the_session_then_deletes_it(
    voila_server, toolkit_data_home, offline_page
):
    session = create_session(toolkit_data_home)
    code, key = session["code"], session["facilitator_key"]
    board = open_dashboard(offline_page, voila_server, code, key)
    board.get_by_text("No services have shared figures yet.", exact=True).wait_for(timeout=60_000)

    # The cap: a bad value is kept and explained; a good one is set.
    cap = board.get_by_label("Most services to take", exact=True)
    cap.fill("none of them")
    board.get_by_role("button", name="Set the cap").click()
    board.get_by_text(re.compile(r"^⚠ Most services to take: .* whole number from 1 to")).wait_for(
        timeout=20_000
    )
    assert cap.input_value() == "none of them"
    cap.fill("12")
    board.get_by_role("button", name="Set the cap").click()
    board.get_by_text("Cap set: the session takes figures from at most 12 services.").wait_for(
        timeout=20_000
    )

    # One click only asks: the question names the session and what goes.
    board.get_by_role("button", name="Delete this session…").click()
    question = board.get_by_role("alert").filter(has_text="for good?")
    question.wait_for(timeout=20_000)
    text = question.inner_text()
    assert "\u201cT\u201d" in text and code in text and "cannot be undone" in text
    violations = axe_violations(board)
    assert violations == [], violations
    board.get_by_role("button", name="No, keep the session").click()
    question.wait_for(state="hidden")
    board.get_by_role("button", name="Refresh now").click()
    assert "No services have shared figures yet." in body_text(board)

    # Asked again and confirmed: gone, back to the forms, saying so.
    board.get_by_role("button", name="Delete this session…").click()
    board.get_by_role("button", name="Yes, delete the session and its figures").click()
    board.get_by_text(re.compile(r"^Deleted: the session “T”")).wait_for(timeout=20_000)
    board.get_by_role("button", name="Open the dashboard").wait_for()
    board.get_by_label("Session code", exact=True).fill(code)
    board.get_by_label("Facilitator key", exact=True).fill(key)
    board.get_by_role("button", name="Open the dashboard").click()
    board.get_by_text("No session matches that code and facilitator key").wait_for(timeout=20_000)
    assert key not in body_text(board)
    assert offline_page.external == []


def test_the_controls_keep_their_words_on_a_phone(voila_server, toolkit_data_home, offline_page):
    session = create_session(toolkit_data_home)
    page = offline_page.page
    page.set_viewport_size({"width": 400, "height": 900})
    board = open_dashboard(offline_page, voila_server, session["code"], session["facilitator_key"])
    board.get_by_text("No services have shared figures yet.", exact=True).wait_for(timeout=60_000)
    board.get_by_role("button", name="Delete this session…").click()
    board.get_by_role("button", name="Yes, delete the session and its figures").wait_for()
    assert board.evaluate(CUT) == []
    assert board.evaluate("() => document.documentElement.scrollWidth") <= 400
