"""The learning-network programme in real browsers: the facilitator notes a meeting, and a
member reads the note from their private link (a member of another set cannot).

The network and members are made with the command line against the test server's store.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.e2e.conftest import ROOT, OfflinePage, axe_violations

pytestmark = pytest.mark.e2e

APP = "/voila/render/learning_network_programme.ipynb"


def cli(data_home, *args: str) -> dict:
    env = {**os.environ, "TOOLKIT_DATA_HOME": str(data_home)}
    env.pop("TOOLKIT_DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "toolkit", "network", *args, "--format", "json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def test_facilitator_notes_a_meeting_and_a_member_reads_it(
    voila_server, toolkit_data_home, offline_page, browser
):
    network = cli(toolkit_data_home, "create", "--title", "Browser network")
    code, key = network["code"], network["facilitator_key"]
    auth = (code, "--facilitator-key", key)
    reader = cli(
        toolkit_data_home,
        "add-member",
        *auth,
        "--name",
        "Reader Org (fictional)",
        "--role",
        "strategic",
        "--set",
        "Strategic set",
    )
    outsider = cli(
        toolkit_data_home,
        "add-member",
        *auth,
        "--name",
        "Outsider Org (fictional)",
        "--role",
        "practitioner",
        "--set",
        "Practitioner set",
    )

    page = offline_page.page
    page.goto(f"{voila_server}{APP}")
    page.get_by_label("Network code", exact=True).fill(code)
    key_field = page.get_by_label("Facilitator key", exact=True)
    assert key_field.get_attribute("type") == "password"
    key_field.fill(key)
    page.get_by_role("button", name="Open the network").click()
    page.get_by_role("heading", name="Browser network").wait_for(timeout=30_000)

    page.get_by_label("Theme", exact=True).fill("Employer engagement")
    page.get_by_label("Date (YYYY-MM-DD)", exact=True).fill("2026-04-14")
    page.get_by_label("Set", exact=True).select_option("Strategic set")
    page.get_by_role("button", name="Schedule meeting").click()
    page.get_by_text("Meeting scheduled").wait_for(timeout=20_000)

    page.get_by_label("Kind of note", exact=True).select_option(label="Ideas and solutions")
    page.get_by_label("Note", exact=True).fill("Visit small employers together <script>x</script>")
    page.get_by_role("button", name="Add to the note").click()
    page.get_by_text("Visit small employers together <script>x</script>").wait_for(timeout=20_000)
    page.get_by_label("Action: what", exact=True).fill("List ten small employers")
    page.get_by_label("Action: who", exact=True).fill("Reader Org (fictional)")
    page.get_by_label("Action: due (YYYY-MM-DD)", exact=True).fill("31/02/2026")
    page.get_by_role("button", name="Agree action").click()
    page.get_by_text("due: '31/02/2026' is not a date").wait_for(timeout=20_000)
    assert page.get_by_label("Action: what", exact=True).input_value() == "List ten small employers"
    page.get_by_label("Action: due (YYYY-MM-DD)", exact=True).fill("2026-05-30")
    page.get_by_role("button", name="Agree action").click()
    page.get_by_text("Action agreed.").wait_for(timeout=20_000)
    assert axe_violations(page) == []
    assert offline_page.external == []

    member = OfflinePage(browser)
    other = OfflinePage(browser)
    try:
        member.page.goto(f"{voila_server}{APP}?member={reader['link_token']}")
        member.page.get_by_text("You are viewing as").wait_for(timeout=60_000)
        text = member.page.locator("body").inner_text()
        assert "Visit small employers together <script>x</script>" in text
        assert "List ten small employers (yours)" in text
        member.page.get_by_label("Year", exact=True).fill("2025")
        member.page.get_by_label("People supported that year", exact=True).fill("40")
        member.page.get_by_label("Job outcomes that year", exact=True).fill("10")
        member.page.get_by_role("button", name="Save my figures").click()
        member.page.get_by_text("Figures saved.").wait_for(timeout=20_000)
        member.page.locator("pre", has_text="2025, 10").wait_for(timeout=20_000)
        assert axe_violations(member.page) == []

        other.page.goto(f"{voila_server}{APP}?member={outsider['link_token']}")
        other.page.get_by_text("You are viewing as").wait_for(timeout=60_000)
        text = other.page.locator("body").inner_text()
        assert "Outsider Org (fictional)" in text
        assert "Visit small employers" not in text and "List ten small employers" not in text
        assert member.external == [] and other.external == []
    finally:
        member.close()
        other.close()
