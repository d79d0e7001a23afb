"""A spend map shared into a learning-network session in a real browser, and the facilitator's
view of the network's mix against the national one.

The session is created with the command line against the test server's own store, and two
other areas' maps are shared into it directly through the toolkit (as their own apps would).
"""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import axe_violations
from tests.e2e.test_learning_network import create_session
from tests.e2e.test_spend_map import open_with_first_line
from toolkit.network.spend_sharing import share_spend
from toolkit.network.store import Store
from toolkit.worksheets.spend_map.model import ProvisionLine, SpendMap
from toolkit.worksheets.spend_map.network import shared_payload

pytestmark = pytest.mark.e2e



def other_area(paid: float, other: float) -> dict:
    lines = [
        ProvisionLine(provider="Other provider", funding_stream="health",
                      support_type="support into paid work", client_group="combined",
                      annual_spend=paid),
        ProvisionLine(provider="Other provider", funding_stream="health",
                      support_type="work preparation in day services",
                      client_group="learning disability", annual_spend=other),
    ]
    return shared_payload(SpendMap(year="2024-25", lines=lines))


def test_share_a_map_and_the_facilitator_sees_the_network_mix(
    voila_server, toolkit_data_home, offline_page
):
    session = create_session(toolkit_data_home)
    code, key = session["code"], session["facilitator_key"]
    store = Store(f"sqlite:///{toolkit_data_home / 'toolkit.sqlite3'}")
    try:
        for paid, other in ((100_000, 100_000), (50_000, 150_000)):
            share_spend(store, code, other_area(paid, other), True, store.new_token())
    finally:
        store.close()

    page = offline_page.page
    open_with_first_line(page, voila_server, year="2024-25", spend="250000")
    page.get_by_label("Annual spend (£) (line 1)", exact=True).press("Tab")
    page.get_by_text("Share of spend on support into paid work: 100%").wait_for(timeout=30_000)

    page.get_by_label("Session code to share with", exact=True).fill(code)
    page.get_by_role("button", name="Share the map's totals").click()
    page.get_by_text("Tick the box to agree before sharing").wait_for(timeout=20_000)
    page.get_by_role("checkbox", name=re.compile("I agree to share this spend map's totals")).check()
    page.get_by_role("button", name="Share the map's totals").click()
    page.get_by_text(re.compile(r"Shared: this map's totals are in session")).wait_for(
        timeout=20_000)

    page.get_by_label("Session code to view", exact=True).fill(code)
    key_field = page.get_by_label("Facilitator key", exact=True)
    assert key_field.get_attribute("type") == "password"
    key_field.fill(key)
    page.get_by_role("button", name="Show the network's mix").click()
    page.get_by_text("3 areas have shared their maps: £650,000 a year in all").wait_for(
        timeout=30_000)
    # 100k + 50k + 250k of 650k on support into paid work, against the study's 32%.
    page.get_by_text(re.compile(r"61\.5% of the network's spend goes on support into paid "
                                r"work: above the study's national 32%")).wait_for()
    table = page.get_by_role("table", name="The network's spend by type of support")
    assert "32%" in table.inner_text() and "£400,000" in table.inner_text()
    page.get_by_role("table", name="The network's spend by client group").wait_for()
    chart = page.locator('img.toolkit-chart[alt*="The network (3 areas)"]')
    chart.wait_for(timeout=90_000)
    body = page.locator("body").inner_text()
    assert "Other provider" not in body  # no other area's lines reach the page

    assert axe_violations(page) == []
    assert offline_page.external == []
