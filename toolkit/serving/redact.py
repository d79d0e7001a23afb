"""Keep resume links and facilitator keys out of the server's log.

The apps carry their secrets in the page's query string (``?id=...`` for a resume
link, ``?code=...&key=...`` for the facilitator's dashboard). Tornado writes the
full request URI into its log for every failed request (``404 GET
/voila/render/x.ipynb?id=... (127.0.0.1)``) and into the message of an uncaught
exception; Voila does not scrub it. :class:`RedactQueryValues` is a logging
filter that replaces every query-string value with ``[redacted]`` (parameter
names stay, so the log still says what was asked for). ``voila.json`` attaches it
to the handler that prints Voila's log and to one for Tornado's loggers; the
JupyterHub image does the same for Jupyter Server (``deploy/jupyterhub``).
"""

from __future__ import annotations

import logging
import re

REDACTED = "[redacted]"

# A query-string value: after "?" or "&" and a parameter name and "=", up to the
# next "&", "#", whitespace, quote, bracket or comma (the ends of a URI in a log line).
_QUERY_VALUE = re.compile(r"([?&][^=\s&#?'\"<>()]*=)[^&\s#'\"<>(),]+")
# The whole query string as Voila hands it to a kernel: QUERY_STRING='id=...'
_QUERY_STRING_VALUE = re.compile(r"(QUERY_STRING['\"]?\s*[:=]\s*['\"]?)[^'\"\s,}]+")


def redact(text: str) -> str:
    """``text`` with every query-string value replaced by ``[redacted]``."""
    if "=" not in text:
        return text
    text = _QUERY_VALUE.sub(lambda m: m.group(1) + REDACTED, text)
    return _QUERY_STRING_VALUE.sub(lambda m: m.group(1) + REDACTED, text)


class RedactQueryValues(logging.Filter):
    """A logging filter: redact query-string values in the message and any traceback.

    It never drops a record. Use it on handlers (a filter on a logger does not see
    records that propagate up from child loggers).
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: leave it for logging to report
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg = cleaned
            record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True
