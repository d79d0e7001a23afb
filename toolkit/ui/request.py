"""What the page was asked for: the private resume id in the URL.

With Voila's preheated kernels the notebook starts before anyone asks for it;
``voila.utils.get_query_string`` waits for the real request. Do slow imports
before calling :func:`resume_id_from_request`.
"""

from __future__ import annotations

import os
import re
from urllib.parse import parse_qs

#: Resume ids are URL-safe random tokens (``secrets.token_urlsafe(32)``).
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,100}$")
PARAMETER = "id"


def query_string() -> str:
    """The page's query string, waiting for the request under kernel preheating."""
    if os.environ.get("VOILA_PREHEAT", "False") != "False":
        from voila.utils import get_query_string

        return get_query_string() or ""
    return os.environ.get("QUERY_STRING", "")


def resume_id(query: str) -> str | None:
    """The resume id in a query string, or None when absent or not a well-formed id."""
    values = parse_qs(query).get(PARAMETER, [])
    if values and _TOKEN.match(values[0]):
        return values[0]
    return None


def resume_id_from_request() -> str | None:
    """The resume id of the current page request, if any."""
    return resume_id(query_string())
