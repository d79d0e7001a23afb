"""A learning-network session in real browsers: two commissioners share, the facilitator watches.

The session is created with the command line against the test server's own store
(``toolkit_data_home``), as a facilitator would.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from tests.e2e.conftest import ROOT, OfflinePage, axe_violations
from tests.e2e.test_self_benchmark import GOOD, body_text, open_app, type_figures

pytestmark = pytest.mark.e2e

DASHBOARD = "/voila/render/learning_network.ipynb"
SECOND = {
    "Service name": "Secret anonymous service",
    "Total annual cost (£)": "220000",
    "People supported": "80",
    "Gained a new job": "10",
    "Retained a job": "12",
    "Became self-employed": "0",
}


def create_session(data_home) -> dict:
    env = {**os.environ, "TOOLKIT_DATA_HOME": str(data_home)}
    env.pop("TOOLKIT_DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "toolkit", "session", "create", "--title", "T", "--format", "json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def share(page, code: str, organisation: str | None, double_click: bool = False) -> None:
    """Fill in "Share with a learning-network session" and press the button."""
    page.get_by_label("Session code", exact=True).fill(code)
    if organisation is None:
        page.get_by_label("Anonymous", exact=True).check()
    else:
        page.get_by_label("Organisation name", exact=True).fill(organisation)
    page.get_by_role("checkbox", name=re.compile("I agree to share")).check()
    button = page.get_by_role("button", name="Share with the session")
    if double_click:
        button.dblclick()
    else:
        button.click()
    page.get_by_text(re.compile(r"(Shared|Updated): the figures of")).first.wait_for(timeout=20_000)


def open_dashboard(holder, base: str, code: str, key: str):
    page = holder.page
    page.goto(f"{base}{DASHBOARD}")
    page.get_by_label("Session code", exact=True).fill(code)
    key_field = page.get_by_label("Facilitator key", exact=True)
    assert key_field.get_attribute("type") == "password"
    key_field.fill(key)
    page.get_by_role("button", name="Open the dashboard").click()
    return page


def test_two_commissioners_share_and_one_withdraws(
    voila_server, toolkit_data_home, offline_page, browser
):
    session = create_session(toolkit_data_home)
    code, key = session["code"], session["facilitator_key"]
    named, facilitator, anonymous = offline_page, OfflinePage(browser), OfflinePage(browser)
    try:
        # The first commissioner shares under their organisation's name (a double click).
        first = open_app(named, voila_server)
        type_figures(first, GOOD)
        first.get_by_text("Cost per job outcome of £3,000").first.wait_for()
        share(first, code.lower(), "Fictional Council A", double_click=True)

        # The facilitator opens the dashboard with the code and key.
        board = open_dashboard(facilitator, voila_server, code, key)
        board.get_by_text("1 service has shared figures.", exact=True).wait_for(timeout=30_000)
        assert "Fictional Council A" in body_text(board)

        # The second shares anonymously; the dashboard picks it up by itself (every ~10 s).
        second = open_app(anonymous, voila_server)
        type_figures(second, SECOND)
        second.get_by_text("Up to date").first.wait_for()
        share(second, code, None)
        board.get_by_text("2 services have shared figures.", exact=True).wait_for(timeout=30_000)
        board.locator("img.toolkit-chart").first.wait_for(timeout=20_000)
        text = body_text(board)
        assert "Fictional Council A" in text and "Service A" in text
        assert "Secret anonymous service" not in text and "Fictional IPS service" not in text
        assert "Pooled figures are not shown: they need at least 3 services" in text
        assert "only 2 services have shared figures so far" in text
        assert key not in text and "Traceback" not in text
        violations = axe_violations(board)
        assert violations == [], violations

        # The first withdraws; after a refresh the dashboard shows one service.
        first.get_by_role("button", name="Withdraw our figures").click()
        first.get_by_text("Withdrawn from session").wait_for(timeout=20_000)
        board.get_by_role("button", name="Refresh now").click()
        board.get_by_text("1 service has shared figures.", exact=True).wait_for(timeout=20_000)
        text = body_text(board)
        assert "Fictional Council A" not in text and "Service A" in text
        for holder in (named, facilitator, anonymous):
            assert holder.external == [], holder.external
    finally:
        facilitator.close()
        anonymous.close()


def test_start_a_session_and_open_it_from_the_private_link(voila_server, offline_page):
    page = offline_page.page
    page.goto(f"{voila_server}{DASHBOARD}")
    page.get_by_label("Session code", exact=True).fill("K7QF-M2XD-9PRT")
    page.get_by_label("Facilitator key", exact=True).fill("not-the-key-" * 4)
    page.get_by_role("button", name="Open the dashboard").click()
    page.get_by_text("No session matches that code and facilitator key").wait_for()

    page.get_by_label("Title", exact=True).fill("Fictional network, April")
    page.get_by_role("button", name="Start a new session").click()
    page.get_by_text("Your facilitator key (keep it private)").wait_for(timeout=20_000)
    key = page.locator("code.toolkit-key").first.inner_text()
    link = page.get_by_role("link", name="open the dashboard")
    href = link.get_attribute("href")
    assert re.fullmatch(
        r"learning_network\.ipynb\?code=[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}&key=[A-Za-z0-9_-]{40,}",
        href,
    )
    assert href.endswith(f"key={key}")
    link.click()
    page.get_by_text("No services have shared figures yet.", exact=True).wait_for(timeout=60_000)
    text = body_text(page)
    assert "Fictional network, April" in text
    assert "the facilitator key is in this page's address" in text
    assert key not in text  # never shown on the dashboard itself
    page.get_by_role("button", name="Projector view").click()
    page.locator(".toolkit-app.toolkit-large").wait_for()
    page.get_by_text("Facilitator's view: not for projecting").wait_for(state="hidden")
    assert offline_page.external == []
