"""Static assets sent compressed and cached by the browser.

A Voila page loads about 5 MB of JavaScript and CSS in about 95 files. Standalone
Voila sends them uncompressed (Tornado's ``compress_response`` is off) and marks
most of them ``no-cache`` or nothing, so a repeat visit asks again for every one.
Here, for the handlers that serve Voila's static files:

- **Compression.** A text file (JavaScript, CSS, JSON, SVG, HTML) is sent gzipped
  to a browser that accepts it. Each file is compressed once and kept in memory
  (keyed by path, size and modification time), so a room of people arriving at
  once does not compress the same 5 MB again for each of them. Pages and other
  dynamic text are gzipped by Tornado (``compress_response`` in ``voila.json``).
- **Caching.** A file whose address names its content (a content hash in the file
  name, a ``?v=`` hash, or the versioned prefix below) is
  ``Cache-Control: public, max-age=31536000, immutable``: a repeat visit does not
  ask for it at all. Anything else is ``no-cache`` (the browser asks again, and gets
  304 if it has not changed). Pages are ``no-store`` (Voila's own setting).
- **Voila's own scripts** (``voila.js`` and its numbered chunks such as
  ``5764.voila.js``) carry no hash in their names. They are given one: the page's
  ``fullStaticUrl`` becomes ``voila/static/_v/<digest>``, where the digest is of
  every file in Voila's static folders, and the webpack runtime loads its chunks
  from there. After an upgrade the digest changes, so no browser keeps an old chunk.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import threading
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from tornado.web import StaticFileHandler

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
GZIP_LEVEL = 6
#: Smaller files gain too little from compression to pay for it.
MIN_COMPRESS_BYTES = 1024
COMPRESSIBLE_TYPES = frozenset(
    {
        "application/javascript",
        "application/json",
        "application/manifest+json",
        "application/xml",
        "image/svg+xml",
        "image/x-icon",
        "application/vnd.ms-fontobject",
        "font/ttf",
        "font/otf",
    }
)
#: A content hash in a file name: ``remoteEntry.5cbb9d2323598fbda535.js``, ``704.6a820cc8.js``.
HASHED_NAME = re.compile(r"[.-][0-9a-f]{8,}\.[a-z0-9]+$")
#: Voila's static folder under a version: ``_v/<digest>/voila.js``.
VERSIONED = re.compile(r"^_v/([0-9a-f]{16})/(.*)$")


def compressible(content_type: str | None) -> bool:
    """Whether a response of this type is worth compressing (text, scripts, SVG)."""
    if not content_type:
        return False
    kind = content_type.split(";", 1)[0].strip().lower()
    return kind.startswith("text/") or kind in COMPRESSIBLE_TYPES


def accepts_gzip(accept_encoding: str | None) -> bool:
    """Whether an ``Accept-Encoding`` header allows gzip (``gzip;q=0`` refuses it)."""
    for part in (accept_encoding or "").split(","):
        name, _, params = part.strip().partition(";")
        if name.strip().lower() in ("gzip", "*"):
            quality = params.strip().lower()
            return not re.fullmatch(r"q=0(\.0*)?", quality.replace(" ", ""))
    return False


def cache_control(file_name: str, query_arguments: Iterable[str], versioned: bool) -> str:
    """``Cache-Control`` for a static file: a year and immutable if its address names its content."""
    if versioned or "v" in query_arguments or HASHED_NAME.search(file_name):
        return IMMUTABLE
    return REVALIDATE


_compressed: dict[tuple[str, int, int], bytes] = {}
_compressed_lock = threading.Lock()


def gzipped(path: str) -> bytes:
    """The file gzipped, compressed once per version of the file and kept in memory."""
    status = os.stat(path)
    key = (path, status.st_size, status.st_mtime_ns)
    with _compressed_lock:
        found = _compressed.get(key)
    if found is None:
        # mtime=0: the same bytes every time, so the ETag below stays stable
        found = gzip.compress(Path(path).read_bytes(), GZIP_LEVEL, mtime=0)
        with _compressed_lock:
            _compressed[key] = found
    return found


def static_digest(folders: Iterable[str]) -> str:
    """A digest of every file under Voila's static folders (names, sizes, times)."""
    digest = hashlib.sha256()
    for folder in folders:
        for root, dirs, files in os.walk(folder):
            dirs.sort()
            for name in sorted(files):
                path = os.path.join(root, name)
                status = os.stat(path)
                digest.update(f"{path}\0{status.st_size}\0{status.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


class AssetHandlerMixin:
    """Compression and caching for a Tornado ``StaticFileHandler`` subclass (see module text)."""

    _versioned = False
    _gzip = False
    settings: dict[str, Any]  # the Tornado handler's, which this is mixed into

    def parse_url_path(self, url_path: str) -> str:
        match = VERSIONED.match(url_path)
        if match:
            # the current digest only: an old address is served, but not as immutable
            self._versioned = match.group(1) == self.settings.get("toolkit_static_digest")
            url_path = match.group(2)
        return super().parse_url_path(url_path)  # type: ignore[misc]

    def set_headers(self) -> None:
        super().set_headers()  # type: ignore[misc]
        if not self.settings.get("toolkit_browser_cache", True):
            return
        name = os.path.basename(self.absolute_path or "")
        self.set_header(  # type: ignore[attr-defined]
            "Cache-Control",
            cache_control(name, self.request.arguments, self._versioned),  # type: ignore[attr-defined]
        )

    def compute_etag(self) -> str | None:
        etag = super().compute_etag()  # type: ignore[misc]
        if etag and self._gzip:
            return etag[:-1] + '-gzip"' if etag.endswith('"') else etag + "-gzip"
        return etag

    async def get(self, path: str, include_body: bool = True) -> None:
        request: Any = self.request  # type: ignore[attr-defined]
        wanted = self.settings.get("toolkit_compress", True)
        if not wanted or not accepts_gzip(request.headers.get("Accept-Encoding")):
            return await super().get(path, include_body)  # type: ignore[misc]
        # Tornado's own preamble (StaticFileHandler.get), then the whole file gzipped.
        self.path = self.parse_url_path(path)
        absolute_path = self.get_absolute_path(self.root, self.path)  # type: ignore[attr-defined]
        self.absolute_path = self.validate_absolute_path(self.root, absolute_path)  # type: ignore[attr-defined]
        if self.absolute_path is None:
            return None
        size = os.path.getsize(self.absolute_path)
        if size < MIN_COMPRESS_BYTES or not compressible(self.get_content_type()):  # type: ignore[attr-defined]
            return await super().get(path, include_body)  # type: ignore[misc]
        self._gzip = True
        self.modified = self.get_modified_time()  # type: ignore[attr-defined]
        self.set_headers()
        self.clear_header("Accept-Ranges")  # type: ignore[attr-defined]
        # (Tornado's compress_response, on with this, adds "Vary: Accept-Encoding")
        self.set_header("Content-Encoding", "gzip")  # type: ignore[attr-defined]
        if self.should_return_304():  # type: ignore[attr-defined]
            self.set_status(304)  # type: ignore[attr-defined]
            return None
        body = gzipped(self.absolute_path)
        self.set_header("Content-Length", len(body))  # type: ignore[attr-defined]
        if include_body:
            self.write(body)  # type: ignore[attr-defined]
        return None


@cache
def with_assets(handler_class: type) -> type:
    """``handler_class`` with compression and caching (once per class)."""
    return type(f"Toolkit{handler_class.__name__}", (AssetHandlerMixin, handler_class), {})


def wrap_static_handlers(handlers: list[tuple]) -> list[tuple]:
    """Voila's handler list, its static-file handlers given compression and caching."""
    wrapped = []
    for rule in handlers:
        handler_class = rule[1] if len(rule) > 1 else None
        if isinstance(handler_class, type) and issubclass(handler_class, StaticFileHandler):
            # a class is hashable; the stubs type Tornado's handler classes as unhashable
            rule = (rule[0], with_assets(handler_class), *rule[2:])  # type: ignore[arg-type]
        wrapped.append(rule)
    return wrapped


def versioned_static_url(base_url: str, digest: str) -> str:
    """Where pages load Voila's scripts from: its static folder under the digest."""
    return f"{base_url.rstrip('/')}/voila/static/_v/{digest}"
