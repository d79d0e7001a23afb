"""Talking to the chart-drawing process: where its socket is, one request, start it if needed.

The process itself is :mod:`toolkit.charts.service`. This module is what app
kernels import: it loads neither Altair nor vl-convert.
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import json
import os
import socket
import struct
import subprocess
import sys
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from toolkit.network.private import private_data_home, private_folder

#: What a request raises when no service is there at all (any other OSError: there but slow).
NOT_THERE = (FileNotFoundError, ConnectionRefusedError)
#: The only variables the chart process inherits: a kernel's environment may hold a
#: page's query string (a resume id) or a facilitator key, which it must never see.
CLEAN_ENVIRONMENT = (
    "PATH",
    "HOME",
    "LANG",
    "LC_ALL",
    "TMPDIR",
    "PYTHONPATH",
    "VIRTUAL_ENV",
    "TOOLKIT_DATA_HOME",
    "TOOLKIT_DATA_DIR",
)
#: Set by the toolkit's server for its kernels: the chart process stops when that process ends.
SERVER_PID = "TOOLKIT_SERVER_PID"


def runtime_dir() -> Path:
    """Private folder for the socket: ``TOOLKIT_DATA_HOME`` or the per-user data folder."""
    return private_folder(private_data_home() / "run")


def clean_environment(source: dict[str, str] | None = None) -> dict[str, str]:
    """The chart process's environment: only :data:`CLEAN_ENVIRONMENT`, nothing secret."""
    source = dict(os.environ) if source is None else source
    return {name: source[name] for name in CLEAN_ENVIRONMENT if name in source}


#: glibc keeps a malloc arena per thread that allocates at once, and the chart process
#: answers every request on a new thread; each arena keeps what it freed. Two bound that
#: (benchmarks/chart_memory.py measures it).
SERVICE_MALLOC = {"MALLOC_ARENA_MAX": "2"}


def service_environment(source: dict[str, str] | None = None) -> dict[str, str]:
    """The chart process's environment: :func:`clean_environment` and the malloc bound."""
    return {**clean_environment(source), **SERVICE_MALLOC}


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


def read_exactly(connection: socket.socket, size: int) -> bytes:
    chunks = []
    while size:
        chunk = connection.recv(min(size, 1 << 16))
        if not chunk:
            raise ConnectionError("connection closed early")
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def request(request_body: dict, path: Path | None = None, timeout: float = 30.0) -> bytes:
    """Send one drawing request; raises OSError or RuntimeError when it cannot be done."""
    path = path or socket_path()
    data = json.dumps(request_body, separators=(",", ":")).encode("utf-8")
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        connection.settimeout(timeout)
        connection.connect(str(path))
        connection.sendall(struct.pack(">I", len(data)) + data)
        status, size = struct.unpack(">BI", read_exactly(connection, 5))
        payload = read_exactly(connection, size)
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
            env=service_environment(),
        )
        deadline = time.monotonic() + wait_seconds
        while time.monotonic() < deadline:
            if _answers(path, probe) is not False:
                return True
            time.sleep(0.1)
    return False
