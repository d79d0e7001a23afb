"""The private link survives a reload (issue 13, section 2), in each of the three form apps.

Type, and the address bar takes the private link; reload, and the entries are back. The
link in the "Full link to copy" box is the full address: pasted into a new browser
context, it opens the same entries. The copy button copies it (or selects it to copy).
"""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import OfflinePage
from tests.e2e.private_link import LINK, copied_link

pytestmark = pytest.mark.e2e

#: app notebook, the label that shows the form is ready, and what to type (label: value).
APPS = {
    "self_benchmark": (
        "Service name",
        {"Service name": "Fictional reload service", "People supported": "120"},
        "Your saved entries have been restored",
    ),
    "turning_the_curve": (
        "Population: who is this about?",
        {"Population: who is this about?": "Fictional adults in Anytown"},
        "Your saved worksheet has been restored",
    ),
    "commissioning_questions": (
        "Evidence notes (1.1)",
        {"Evidence notes (1.1)": "Fictional strategy paper"},
        "Your saved answers have been restored",
    ),
}


def open_page(holder: OfflinePage, url: str, ready: str):
    holder.page.goto(url)
    holder.page.get_by_label(ready, exact=True).wait_for(timeout=60_000)
    return holder.page


def wait_for_address_with_id(page) -> str:
    page.wait_for_function("() => /[?]id=[A-Za-z0-9_-]{40,}$/.test(window.location.search)")
    return page.url


@pytest.mark.parametrize("app", list(APPS))
def test_reload_and_a_pasted_link_bring_the_entries_back(voila_server, browser, app):
    ready, typed, restored = APPS[app]
    holder = OfflinePage(browser)
    try:
        page = open_page(holder, f"{voila_server}/voila/render/{app}.ipynb", ready)
        for label, value in typed.items():
            page.get_by_label(label, exact=True).fill(value)
        address = wait_for_address_with_id(page)
        link = copied_link(page)
        assert LINK.match(link), link
        assert link == address  # the address bar holds the same private link
        # the kernel has saved once the link exists; give the last keystroke's save a moment
        page.wait_for_timeout(500)
        page.reload()
        page.get_by_text(restored).wait_for(timeout=60_000)
        for label, value in typed.items():
            assert page.get_by_label(label, exact=True).input_value() == value
        assert page.url == address
        assert holder.external == []
    finally:
        holder.close()
    pasted = OfflinePage(browser)
    try:
        other = open_page(pasted, link, ready)
        other.get_by_text(restored).wait_for(timeout=60_000)
        for label, value in typed.items():
            assert other.get_by_label(label, exact=True).input_value() == value
        assert pasted.external == []
    finally:
        pasted.close()


def test_copy_button_copies_the_full_link(voila_server, browser):
    holder = OfflinePage(browser)
    holder.context.grant_permissions(["clipboard-read", "clipboard-write"])
    try:
        page = open_page(
            holder, f"{voila_server}/voila/render/self_benchmark.ipynb", "Service name"
        )
        page.get_by_label("Service name", exact=True).fill("Fictional copy service")
        link = copied_link(page)
        page.get_by_role("button", name="Copy the link").click()
        page.get_by_text(re.compile(r"^(Copied\.|Selected: press Ctrl\+C)")).wait_for()
        copied = page.evaluate("() => navigator.clipboard.readText()")
        assert copied == link
    finally:
        holder.close()
