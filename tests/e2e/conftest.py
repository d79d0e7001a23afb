"""Browser tests: the real Voila server, driven in Debian's headless Chromium.

Every request that leaves the machine is blocked and counted; tests assert the
count stays at zero (the apps must work offline).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("TOOLKIT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
]
LOCAL_PREFIXES = (
    "http://127.0.0.1",
    "http://localhost",
    "ws://127.0.0.1",
    "data:",
    "blob:",
    "about:",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.25)
    raise RuntimeError(f"Voila did not answer at {url} within {timeout:.0f} s")


def start_voila(port: int, data_home: Path, extra: list[str] | None = None) -> subprocess.Popen:
    """Voila serving notebooks/ with the repository's voila.json, as `make app` does
    (``python -m toolkit.serving``: Voila plus a cap on HTTP request bodies)."""
    env = {
        **os.environ,
        "JUPYTER_PATH": str(ROOT / "share" / "jupyter"),
        "TOOLKIT_DATA_HOME": str(data_home),
    }
    env.pop("TOOLKIT_DATABASE_URL", None)
    command = [
        sys.executable,
        "-m",
        "toolkit.serving",
        "notebooks/",
        f"--port={port}",
        "--no-browser",
        "--Voila.ip=127.0.0.1",
        *(extra or []),
    ]
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )


def stop_render_service(data_home: Path) -> None:
    """End the shared chart-drawing process the apps started for this data folder."""
    subprocess.run(["pkill", "-f", f"toolkit.charts.service --socket {data_home}"], check=False)


def stop_server(
    process: subprocess.Popen, data_home: Path, timeout: float = 20, remove: bool = True
) -> None:
    """Stop a test server and the chart process it started; remove its data folder."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
    stop_render_service(data_home)
    if remove:
        shutil.rmtree(data_home, ignore_errors=True)


def _drain(process: subprocess.Popen) -> None:
    """Read a server's log to the end, so the server never waits on a full pipe."""
    for _line in process.stderr:
        pass


@pytest.fixture(scope="session")
def toolkit_data_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The TOOLKIT_DATA_HOME of the test server (its store), for tests that use the CLI on it."""
    return tmp_path_factory.mktemp("toolkit-data")


@pytest.fixture(scope="session")
def voila_server(toolkit_data_home: Path) -> Iterator[str]:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium is missing at {CHROMIUM}: run `make system-deps` (apt-get install chromium)"
        )
    port = free_port()
    data_home = toolkit_data_home
    process = start_voila(port, data_home)
    # Read the server's log as it comes: a full pipe (64 KB, some 60 pages of log) would
    # block the server's next log line, and with it every page still loading.
    threading.Thread(target=_drain, args=(process,), daemon=True).start()
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/")
        yield base
    finally:
        stop_server(process, data_home, timeout=10)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class OfflinePage:
    """A browser page that blocks and counts every request leaving this machine."""

    def __init__(self, browser):
        self.context = browser.new_context(
            viewport={"width": 1280, "height": 1000}, accept_downloads=True
        )
        self.page = self.context.new_page()
        self.page.set_default_navigation_timeout(90_000)  # a loaded machine can be slow
        self.external: list[str] = []
        self.page.route("**/*", self._route)

    def _route(self, route) -> None:
        url = route.request.url
        if url.startswith(LOCAL_PREFIXES):
            route.continue_()
        else:
            self.external.append(url)
            route.abort()

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def offline_page(browser):
    holder = OfflinePage(browser)
    yield holder
    holder.close()


AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"


def axe_violations(page, impacts: tuple[str, ...] = ("serious", "critical")) -> list[dict]:
    """Run axe-core (WCAG 2.x A and AA rules) in the page; return violations of the given impact."""
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `make node-deps` (npm install in tests/e2e)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}
        })"""
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
        if v["impact"] in impacts
    ]


def count_kernels(port: int) -> int:
    """Kernel processes belonging to the Voila server listening on this port."""
    return len(_kernel_command_lines(port))


def kernel_connection_files(port: int) -> list[str]:
    """The connection file of each kernel of the Voila server listening on this port."""
    files = []
    for args in _kernel_command_lines(port):
        if "-f" in args and args.index("-f") + 1 < len(args):
            files.append(args[args.index("-f") + 1])
    return files


def _kernel_command_lines(port: int) -> list[list[str]]:
    """The command line of each kernel process whose parent is the server on this port."""
    import subprocess as sp

    server = sp.run(["pgrep", "-f", f" notebooks/ --port={port}"], capture_output=True, text=True)
    pids = set(server.stdout.split())
    found = []
    for pid in Path("/proc").iterdir():
        if not pid.name.isdigit():
            continue
        try:
            status = (pid / "status").read_text()
            cmdline = (pid / "cmdline").read_bytes()
        except OSError:
            continue
        ppid = next(line.split()[1] for line in status.splitlines() if line.startswith("PPid:"))
        if ppid in pids and b"ipykernel" in cmdline:
            found.append([part.decode(errors="replace") for part in cmdline.split(b"\0") if part])
    return found
