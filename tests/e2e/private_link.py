"""Reading the private link the apps show (absolute, once the page template has filled it in)."""

from __future__ import annotations

import re

LINK = re.compile(
    r"^http://127\.0\.0\.1:\d+(/[^?]*)?/voila/render/\w+\.ipynb\?id=[A-Za-z0-9_-]{40,}$"
)


def copied_link(page, timeout: float = 30_000) -> str:
    """The full link in the "Full link to copy" box, once the page has made it absolute."""
    page.get_by_label("Full link to copy", exact=True).wait_for(timeout=timeout)
    page.wait_for_function(
        "() => { const box = document.querySelector('input.toolkit-link-text');"
        " return box && box.value.startsWith('http'); }",
        timeout=timeout,
    )
    return page.get_by_label("Full link to copy", exact=True).input_value()
