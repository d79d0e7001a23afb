"""The real server sends pages and scripts compressed, lets the browser keep hashed scripts,
and hints the scripts every page needs (issue 17)."""

from __future__ import annotations

import gzip
import re
import urllib.request

import pytest

pytestmark = pytest.mark.e2e


def fetch(url: str) -> tuple[dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=120) as response:
        return {k.lower(): v for k, v in response.headers.items()}, response.read()


def test_page_and_scripts_are_compressed_and_cached_as_their_kind_allows(voila_server):
    headers, body = fetch(f"{voila_server}/voila/render/self_benchmark.ipynb")
    assert headers["content-encoding"] == "gzip"
    assert "no-store" in headers["cache-control"]  # a page always comes fresh
    page = gzip.decompress(body).decode("utf-8")

    main = re.search(r'<script src="(/voila/static/_v/[0-9a-f]{16}/voila\.js)"', page)
    assert main, "Voila's script is not loaded from the versioned folder"
    headers, body = fetch(voila_server + main.group(1))
    assert headers["cache-control"] == "public, max-age=31536000, immutable"
    assert headers["content-encoding"] == "gzip"
    assert gzip.decompress(body).startswith(b"/*") or len(gzip.decompress(body)) > 10_000

    hints = re.findall(r'<link rel="preload" as="script" href="([^"]+)">', page)
    assert main.group(1) in hints
    extension = next(h for h in hints if "/voila/labextensions/" in h)
    headers, _ = fetch(voila_server + extension)
    assert headers["cache-control"] == "public, max-age=31536000, immutable"

    css = re.search(r'href="(/voila/templates/toolkit/static/index\.css\?v=[0-9a-f]+)"', page)
    headers, _ = fetch(voila_server + css.group(1))
    assert headers["cache-control"] == "public, max-age=31536000, immutable"
    assert headers["content-encoding"] == "gzip"
