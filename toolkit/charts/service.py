"""The chart-drawing process: one per installation and version, shared by its kernels.

vl-convert (Vega in a bundled JavaScript engine) adds about 70 MB to a process.
Loading it in every app kernel would cost that per user, so kernels send their
Vega-Lite specs to this small service over a Unix socket instead and get SVG or
PNG back. The first kernel that needs it starts it; it stops with the server
whose kernel started it (``TOOLKIT_SERVER_PID``, set by ``python -m
toolkit.serving``), or after an idle hour. Its socket is kept per installation and
version, under ``TOOLKIT_DATA_HOME`` (tests set their own). If it cannot be
reached, drawing falls back to vl-convert in the kernel, so charts never depend on
it. It draws the charts once as SVG before it takes work, and once as PNG just
after, so the first download is not slowed by loading the PNG renderer.

Protocol: a 4-byte big-endian length and a JSON request
``{"format": "svg"|"png", "spec": {...}, "scale": 2}``, or a whole app's charts
``{"job": "self_benchmark", ...}`` (see :mod:`toolkit.charts.jobs`: the charts
are built here too, so the app's kernels need not load Altair); the reply is a
status byte (0 ok, 1 error), a 4-byte length and the payload (SVG text, PNG
bytes, the job's JSON answer or an error message).
"""

from __future__ import annotations

import argparse
import json
import os
import socketserver
import struct
import sys
import threading
import time
from pathlib import Path

import vl_convert as vlc

from toolkit.charts.client import (
    NOT_THERE,
    SERVER_PID,
    ensure_running,
    installation_key,
    read_exactly,
    request,
    runtime_dir,
    socket_path,
)
from toolkit.charts.data import job_request
from toolkit.charts.job_runner import run_job

IDLE_SECONDS = 3600
MAX_REQUEST_BYTES = 5_000_000

#: The client side, for callers that know this module as the chart service.
__all__ = [
    "NOT_THERE",
    "SERVER_PID",
    "ensure_running",
    "installation_key",
    "main",
    "process_watch",
    "request",
    "runtime_dir",
    "serve",
    "socket_path",
]


def _render(request_body: dict) -> bytes:
    if "job" in request_body:  # a whole app's charts, built here (see toolkit.charts.jobs)
        return json.dumps(run_job(request_body), separators=(",", ":")).encode("utf-8")
    if request_body.get("format") == "png":
        return vlc.vegalite_to_png(request_body["spec"], scale=float(request_body.get("scale", 2)))
    return vlc.vegalite_to_svg(request_body["spec"]).encode("utf-8")


class _Handler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        self.server.last_used = time.monotonic()  # type: ignore[attr-defined]
        try:
            (size,) = struct.unpack(">I", read_exactly(self.request, 4))
            if size > MAX_REQUEST_BYTES:
                raise ValueError("request too large")
            payload = _render(json.loads(read_exactly(self.request, size)))
            status = 0
        except Exception as exc:  # reported to the client, which falls back
            payload, status = str(exc).encode("utf-8", "replace"), 1
        self.request.sendall(struct.pack(">BI", status, len(payload)) + payload)


class _Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True
    last_used = 0.0


def _start_time(pid: int) -> str | None:
    """When a process started (clock ticks since boot), or None if it is not running."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        pass
    try:  # no /proc (macOS): whether it exists only
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass
    return "running"


def process_watch(pid: int | None):
    """A function that says whether process ``pid`` is still the one running now."""
    if pid is None:
        return lambda: True
    started = _start_time(pid)
    return lambda: started is not None and _start_time(pid) == started


def serve(path: Path, idle_seconds: float = IDLE_SECONDS, watch_pid: int | None = None) -> None:
    """Run the service until it has been idle for ``idle_seconds`` or ``watch_pid`` has ended."""
    server_alive = process_watch(watch_pid)
    # Charts built here are drawn here: never ask this service to draw for itself.
    os.environ["TOOLKIT_RENDER_IN_PROCESS"] = "1"
    vlc.vegalite_to_svg({"mark": "point", "data": {"values": [{"x": 1}]}})
    run_job(job_request([], ["evidence_based"]))  # loads Altair and the toolkit's charts
    if path.exists():
        path.unlink()
    server = _Server(str(path), _Handler)
    os.chmod(path, 0o600)
    server.last_used = time.monotonic()

    def watch() -> None:
        while time.monotonic() - server.last_used < idle_seconds and server_alive():
            time.sleep(min(1.0, idle_seconds / 4))
        server.shutdown()

    threading.Thread(target=watch, daemon=True).start()
    # The first PNG (a download) loads the PNG renderer: do it once the socket takes
    # work, so it delays neither the service's start nor someone's file.
    threading.Thread(
        target=run_job, args=(job_request([], ["evidence_based"], fmt="png"),), daemon=True
    ).start()
    try:
        server.serve_forever(poll_interval=0.5)
    finally:
        server.server_close()
        path.unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Shared chart-drawing service (Unix socket).")
    parser.add_argument("--socket", type=Path, default=None)
    parser.add_argument("--idle-seconds", type=float, default=IDLE_SECONDS)
    parser.add_argument(
        "--watch-pid", type=int, default=None, help="stop when this process (the server) ends"
    )
    args = parser.parse_args(argv)
    serve(args.socket or socket_path(), args.idle_seconds, args.watch_pid)
    return 0


if __name__ == "__main__":
    sys.exit(main())
