"""One chart-drawing process shared by every kernel on the machine.

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
import fcntl
import functools
import hashlib
import json
import os
import socket
import socketserver
import struct
import subprocess
import sys
import threading
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

IDLE_SECONDS = 3600
#: Set by the toolkit's server for its kernels: the chart process stops when that process ends.
SERVER_PID = "TOOLKIT_SERVER_PID"
#: What a request raises when no service is there at all (any other OSError: there but slow).
NOT_THERE = (FileNotFoundError, ConnectionRefusedError)
MAX_REQUEST_BYTES = 5_000_000


def runtime_dir() -> Path:
    """Private folder for the socket: ``TOOLKIT_DATA_HOME`` or the per-user data folder."""
    base = os.environ.get("TOOLKIT_DATA_HOME")
    if not base:
        from platformdirs import user_data_dir

        base = user_data_dir("employment-support-toolkit", appauthor=False)
    folder = Path(base) / "run"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


@functools.cache
def installation_key() -> str:
    """Short key for this installation and version: one chart process per checkout.

    Two checkouts (or two versions) must never draw through each other's process,
    or a developer who edits the chart code sees old charts.
    """
    try:
        release = version("employment-support-toolkit")
    except PackageNotFoundError:  # running from a source tree that is not installed
        release = "source"
    where = str(Path(__file__).resolve().parent)
    return hashlib.sha256(f"{where}\0{release}".encode()).hexdigest()[:12]


def socket_path() -> Path:
    """The chart process's socket for this installation and version."""
    return runtime_dir() / f"charts-{installation_key()}.sock"


def _read_exactly(connection: socket.socket, size: int) -> bytes:
    chunks = []
    while size:
        chunk = connection.recv(min(size, 1 << 16))
        if not chunk:
            raise ConnectionError("connection closed early")
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _render(request: dict) -> bytes:
    if "job" in request:  # a whole app's charts, built here (see toolkit.charts.jobs)
        from toolkit.charts.jobs import run_job

        return json.dumps(run_job(request), separators=(",", ":")).encode("utf-8")
    import vl_convert as vlc

    if request.get("format") == "png":
        return vlc.vegalite_to_png(request["spec"], scale=float(request.get("scale", 2)))
    return vlc.vegalite_to_svg(request["spec"]).encode("utf-8")


class _Handler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        self.server.last_used = time.monotonic()  # type: ignore[attr-defined]
        try:
            (size,) = struct.unpack(">I", _read_exactly(self.request, 4))
            if size > MAX_REQUEST_BYTES:
                raise ValueError("request too large")
            payload = _render(json.loads(_read_exactly(self.request, size)))
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
    import vl_convert as vlc  # load before accepting work

    # Charts built here are drawn here: never ask this service to draw for itself.
    os.environ["TOOLKIT_RENDER_IN_PROCESS"] = "1"
    vlc.vegalite_to_svg({"mark": "point", "data": {"values": [{"x": 1}]}})
    from toolkit.charts.jobs import job_request, run_job

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


def request(request_body: dict, path: Path | None = None, timeout: float = 30.0) -> bytes:
    """Send one drawing request; raises OSError or RuntimeError when it cannot be done."""
    path = path or socket_path()
    data = json.dumps(request_body, separators=(",", ":")).encode("utf-8")
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        connection.settimeout(timeout)
        connection.connect(str(path))
        connection.sendall(struct.pack(">I", len(data)) + data)
        status, size = struct.unpack(">BI", _read_exactly(connection, 5))
        payload = _read_exactly(connection, size)
    if status != 0:
        raise RuntimeError(payload.decode("utf-8", "replace"))
    return payload


def _answers(path: Path, probe: dict) -> bool | None:
    """True if the service answers, None if it exists but is busy, False if none is there."""
    try:
        request(probe, path, timeout=5)
        return True
    except NOT_THERE:
        return False
    except (OSError, RuntimeError):
        return None  # a socket is there but slow (a loaded machine): do not start a second


def ensure_running(wait_seconds: float = 20.0) -> bool:
    """Start the service if no one has (one starter at a time); True once it answers or is busy."""
    path = socket_path()
    probe = {"format": "svg", "spec": {"mark": "point", "data": {"values": [{"x": 1}]}}}
    if _answers(path, probe) is not False:
        return True
    with open(runtime_dir() / "charts.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _answers(path, probe) is not False:
            return True
        watch = os.environ.get(SERVER_PID, "")
        subprocess.Popen(
            [sys.executable, "-m", "toolkit.charts.service", "--socket", str(path)]
            + (["--watch-pid", watch] if watch.isdigit() else []),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + wait_seconds
        while time.monotonic() < deadline:
            if _answers(path, probe) is not False:
                return True
            time.sleep(0.1)
    return False


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
