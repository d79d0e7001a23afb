"""Preload hints: the scripts every page needs, asked for while the page is still arriving.

Voila's page names one script, ``voila.js``, at its very end; that script then asks
for about 60 chunks of its own and about 15 of the widget extensions, in several
waves, each wave only once the one before has arrived. Over a network with a long
round trip those waves add up. The page's ``<head>`` (the toolkit's template) lists
the chunks every app needs as ``<link rel="preload">``, so the browser fetches them
all at once, while the notebook's output is still streaming in.

The list is recorded from real page loads (``benchmarks/record_preload.py``) into
``share/jupyter/voila/templates/toolkit/preload.json``; at start the server keeps
only the files that exist (after an upgrade of Voila or ipywidgets, stale names
drop out and cost nothing).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path

PRELOAD_FILE = "preload.json"


def read_list(template_folders: Iterable[str]) -> dict[str, list[str]]:
    """The recorded list (``{"static": [...], "labextensions": [...]}``), or empty lists."""
    for folder in template_folders:
        path = Path(folder) / PRELOAD_FILE
        if path.is_file():
            data = json.loads(path.read_text(encoding="utf-8"))
            return {
                "static": list(data.get("static", [])),
                "labextensions": list(data.get("labextensions", [])),
            }
    return {"static": [], "labextensions": []}


def preload_urls(
    recorded: dict[str, list[str]],
    static_url: str,
    base_url: str,
    static_folders: Iterable[str],
    labextension_folders: Iterable[str],
) -> list[str]:
    """Addresses to preload: the recorded files that exist here, Voila's own first."""
    static_folders = list(static_folders)
    labextension_folders = list(labextension_folders)
    urls = []
    for name in recorded["static"]:
        if any(os.path.isfile(os.path.join(folder, name)) for folder in static_folders):
            urls.append(f"{static_url}/{name}")
    for address in recorded["labextensions"]:
        path = address.split("?", 1)[0]
        if any(os.path.isfile(os.path.join(folder, path)) for folder in labextension_folders):
            urls.append(f"{base_url.rstrip('/')}/voila/labextensions/{address}")
    return urls
