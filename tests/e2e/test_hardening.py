"""Hardening, tried against the running server (``python -m toolkit.serving`` + voila.json).

Each test asks for something the server must refuse: a notebook's source, the
file tree, a data file, a kernel ``execute_request``, an oversized upload or
request, a cross-site websocket, a template override; and checks that error
pages carry no traceback, that secrets in a URL never reach the log, that
script typed into the app stays text, and that the idle-kernel cull ends
abandoned kernels without breaking the next page load.

Two servers: one with the repository's settings for everything, and one whose
idle-kernel cull is shortened to seconds for the culling test.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import re
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.e2e.conftest import (
    ROOT,
    OfflinePage,
    free_port,
    start_voila,
    stop_server,
    wait_for,
)
from tests.e2e.test_self_benchmark import GOOD, open_app, type_figures

pytestmark = pytest.mark.e2e

VOILA_JSON = json.loads((ROOT / "voila.json").read_text(encoding="utf-8"))
WS_CAP = VOILA_JSON["Voila"]["tornado_settings"]["websocket_max_message_size"]
BODY_CAP = VOILA_JSON["ToolkitVoila"]["max_body_size"]
NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
CULL_TIMEOUT = 15  # seconds, for the culling server only (voila.json says 900)


@dataclass
class Server:
    base: str
    process: subprocess.Popen
    data_home: Path
    log: list[str] = field(default_factory=list)

    @property
    def port(self) -> int:
        return int(self.base.rsplit(":", 1)[1])

    def log_text(self) -> str:
        time.sleep(0.5)  # let the reader thread catch up
        return "".join(self.log)

    def wait_for_pools(self, names: list[str], timeout: float = 180) -> None:
        """Until these notebooks' preheated kernels are ready (Voila logs each pool)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = "".join(self.log)
            if all(f"Kernel pool of {name} is filled" in text for name in names):
                return
            time.sleep(0.5)
        raise AssertionError("the kernel pools did not fill")


def _start(tmp_path_factory, extra: list[str] | None = None) -> Server:
    port = free_port()
    data_home = tmp_path_factory.mktemp("toolkit-data")
    process = start_voila(port, data_home, extra)
    server = Server(f"http://127.0.0.1:{port}", process, data_home)

    def pump() -> None:
        for line in process.stderr:
            server.log.append(line)

    threading.Thread(target=pump, daemon=True).start()
    wait_for(f"{server.base}/")
    return server


def _stop(server: Server) -> None:
    stop_server(server.process, server.data_home)


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Server]:
    started = _start(tmp_path_factory)
    try:
        yield started
    finally:
        _stop(started)


@dataclass
class Reply:
    status: int
    body: str
    path: str  # after redirects
    headers: dict[str, str]


def fetch(base: str, path: str, method: str = "GET", body: bytes | None = None) -> Reply:
    """One request, the path sent exactly as given (no normalising), redirects followed."""
    parts = urlsplit(base)
    for _ in range(5):
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
        try:
            connection.request(method, path, body=body)
            response = connection.getresponse()
            data = response.read().decode("utf-8", "replace")
        finally:
            connection.close()
        location = response.getheader("Location")
        if response.status in (301, 302, 303, 307, 308) and location:
            moved = urlsplit(location)
            path = moved.path + (f"?{moved.query}" if moved.query else "")
            method, body = "GET", None
            continue
        return Reply(response.status, data, path, {k.lower(): v for k, v in response.getheaders()})
    raise AssertionError(f"too many redirects from {path}")


def kernel_id_of(html: str) -> str:
    match = re.search(r'"kernelId": "([0-9a-f-]{36})"', html)
    assert match, "no kernel id in the page"
    return match.group(1)


def _is_secret_content(body: str) -> list[str]:
    """Pieces of private files found in a response body."""
    found = []
    bands = (ROOT / "data" / "bands.csv").read_text(encoding="utf-8").splitlines()[0]
    for label, needle in (
        ("data/bands.csv", bands),
        ("/etc/passwd", "root:x:0:0"),
        ("notebook source", "resume_id_from_request"),
        ("notebook json", '"cell_type"'),
        ("rules.yaml", "max_upload_bytes"),
        ("pyproject.toml", "[build-system]"),
    ):
        if needle in body:
            found.append(label)
    return found


TRACE_MARKS = ("Traceback", 'File "', "site-packages", str(ROOT))


# --------------------------------------------------------------------------- sources and files


def test_the_page_carries_no_notebook_source(server):
    page = fetch(server.base, "/voila/render/self_benchmark.ipynb")
    assert page.status == 200
    source = json.loads((ROOT / "notebooks" / "self_benchmark.ipynb").read_text())
    for cell in source["cells"]:
        for line in "".join(cell["source"]).splitlines():
            if line.strip() and len(line.strip()) > 12:
                assert line.strip() not in page.body, line
    assert _is_secret_content(page.body) == []


REFUSED = [
    # the notebooks' source, through every route that serves files
    "/voila/files/self_benchmark.ipynb",
    "/voila/files/notebooks/self_benchmark.ipynb",
    "/voila/render/self_benchmark.ipynb/../../voila/files/self_benchmark.ipynb",
    "/voila/api/contents/self_benchmark.ipynb?content=1&format=text",
    # files outside notebooks/, with traversal written every way
    "/voila/files/../data/bands.csv",
    "/voila/files/..%2fdata%2fbands.csv",
    "/voila/render/../data/bands.csv",
    "/voila/render/%2e%2e/data/bands.csv",
    "/voila/render/..%2fdata%2fbands.csv",
    "/voila/render/bands.csv",
    "/voila/render/../pyproject.toml",
    "/voila/tree/..",
    "/voila/tree/../data",
    "/voila/api/contents/..",
    "/voila/api/contents/../data",
    "/voila/static/../../../../../../etc/passwd",
    "/voila/static/..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/voila/templates/toolkit/static/../../../../../../../../etc/passwd",
    "/voila/labextensions/../../../../../etc/passwd",
    # Jupyter Server's APIs and pages: not part of Voila's server
    "/api/kernels",
    "/api/sessions",
    "/api/contents/self_benchmark.ipynb",
    "/api/terminals",
    "/api/kernelspecs",
    "/lab",
    "/tree",
    "/notebooks/self_benchmark.ipynb",
    "/files/self_benchmark.ipynb",
    "/edit/self_benchmark.ipynb",
    "/nbconvert/html/self_benchmark.ipynb",
    "/terminals/1",
    "/login",
]


@pytest.mark.parametrize("path", REFUSED)
def test_files_sources_and_apis_are_refused(server, path):
    reply = fetch(server.base, path)
    if path.startswith("/voila/api/contents/self_benchmark.ipynb"):
        # the landing page's listing: a model without content, never the source
        assert reply.status == 200 and json.loads(reply.body)["content"] is None
    else:
        assert reply.status in (400, 403, 404, 405, 500), (reply.status, reply.path)
    assert _is_secret_content(reply.body) == [], path
    for mark in TRACE_MARKS:
        assert mark not in reply.body, (path, mark)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/api/kernels"),
        ("POST", "/api/sessions"),
        ("PUT", "/voila/api/contents/new.ipynb"),
        ("POST", "/voila/api/contents/new.ipynb"),
        ("DELETE", "/voila/api/contents/self_benchmark.ipynb"),
        ("PATCH", "/voila/api/contents/self_benchmark.ipynb"),
        ("POST", "/voila/execution/00000000-0000-0000-0000-000000000000"),
        ("POST", "/api/kernels/00000000-0000-0000-0000-000000000000/restart"),
    ],
)
def test_nothing_starts_kernels_or_writes_files(server, method, path):
    reply = fetch(server.base, path, method=method, body=b'{"path": "x.ipynb", "type": "notebook"}')
    assert reply.status in (403, 404, 405), (method, path, reply.status)
    assert sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb")) == NOTEBOOKS


def test_landing_page_lists_the_apps_and_nothing_else(server):
    for path in ("/", "/voila/tree", "/?classic-tree=false", "/?classic-tree=true"):
        page = fetch(server.base, path)
        assert page.status == 200
        links = re.findall(r'<a (?:class="[^"]*" )?href="([^"]+)"', page.body)
        assert set(links) == {f"/voila/render/{name}" for name in NOTEBOOKS}, path
        assert links[0] == "/voila/render/self_benchmark.ipynb", path  # where to start
        assets = set(re.findall(r'(?:href|src)="([^"]+)"', page.body)) - set(links)
        assert all(
            a.startswith(("/voila/templates/toolkit/static/", "/voila/static/")) for a in assets
        )
        assert "cdn.jsdelivr.net" not in page.body and "https://" not in page.body
    # the listing behind Voila's file browser: the notebooks, without their content
    listing = json.loads(fetch(server.base, "/voila/api/contents").body)
    assert sorted(item["name"] for item in listing["content"]) == NOTEBOOKS
    assert all(item["content"] is None for item in listing["content"])


def test_template_and_theme_cannot_be_swapped_from_the_url(server):
    reply = fetch(
        server.base, "/voila/render/commissioning_questions.ipynb?template=lab&theme=dark"
    )
    assert reply.status == 200
    # still the toolkit template (no CDN); Voila's lab template would load Font Awesome
    assert "#rendered_cells { max-width: 1150px" in reply.body
    assert "cdn.jsdelivr.net" not in reply.body and "theme-dark.css" not in reply.body
    traversal = fetch(server.base, "/voila/render/commissioning_questions.ipynb?template=../../..")
    assert "#rendered_cells { max-width: 1150px" in traversal.body


@pytest.mark.parametrize(
    "path",
    [
        "/voila/render/no_such_app.ipynb",
        "/voila/templates/toolkit/static/../../x",
        "/voila/templates/x",
        "/voila/api/shutdown/not-a-kernel",
    ],
)
def test_error_pages_have_no_traceback(server, path):
    reply = fetch(server.base, path, method="POST" if "shutdown" in path else "GET")
    assert reply.status >= 400
    for mark in TRACE_MARKS:
        assert mark not in reply.body, (path, mark)


def test_security_headers(server):
    reply = fetch(server.base, "/voila/render/no_such_app.ipynb")
    assert reply.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'self'" in reply.headers["content-security-policy"]
    # a resume link in the address bar is never sent to another site as the Referer
    assert reply.headers["referrer-policy"] == "same-origin"


# --------------------------------------------------------------------------- request size


def _raw_request(base: str, head: str) -> str:
    parts = urlsplit(base)
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
        sock.sendall(head.encode("ascii"))
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            chunks.append(chunk)
    return b"".join(chunks).decode("latin-1")


def test_an_oversized_request_body_is_refused_before_it_is_read(server):
    small = fetch(server.base, "/voila/api/shutdown/not-a-kernel", "POST", b"x" * 1000)
    assert small.status == 404  # an ordinary answer: the body was read
    head = (
        "POST /voila/api/shutdown/not-a-kernel HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Content-Length: {BODY_CAP + 1}\r\nContent-Type: text/plain\r\n\r\n"
    )
    answer = _raw_request(server.base, head)
    assert answer.startswith("HTTP/1.1 400"), answer[:200]


# --------------------------------------------------------------------------- the kernel websocket


def _message(msg_type: str, content: dict, channel: str = "shell") -> str:
    header = {
        "msg_id": uuid.uuid4().hex,
        "msg_type": msg_type,
        "username": "test",
        "session": uuid.uuid4().hex,
        "date": "2025-01-01T00:00:00Z",
        "version": "5.3",
    }
    return json.dumps(
        {
            "header": header,
            "parent_header": {},
            "metadata": {},
            "content": content,
            "channel": channel,
            "buffers": [],
        }
    )


def run_async(coroutine):
    """Run a coroutine to the end on its own thread and event loop (Playwright's sync API
    keeps a loop running on the test thread once a browser has been opened)."""
    outcome: dict = {}

    def target() -> None:
        try:
            outcome["value"] = asyncio.run(coroutine)
        except BaseException as exc:  # handed back to the test's thread
            outcome["error"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


async def _exchange(url: str, messages: list[str], origin: str | None = None) -> dict:
    """Send messages on a kernel websocket; collect reply types until a kernel_info_reply."""
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import WebSocketClosedError, websocket_connect

    request = HTTPRequest(url, headers={"Origin": origin} if origin else {})
    socket_ = await websocket_connect(request, max_message_size=64 * 1024 * 1024)
    received: list[str] = []
    try:
        for message in messages:
            await socket_.write_message(message)
        await socket_.write_message(_message("kernel_info_request", {}))
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                raw = await asyncio.wait_for(socket_.read_message(), 20)
            except TimeoutError:
                break
            if raw is None:
                break
            if isinstance(raw, bytes):
                received.append("binary")
                continue
            received.append(json.loads(raw)["header"]["msg_type"])
            if received[-1] == "kernel_info_reply":
                # anything the refused requests produced would have come first
                break
    except WebSocketClosedError:
        pass
    finally:
        code, reason = socket_.close_code, socket_.close_reason
        socket_.close()
    return {"types": received, "close_code": code, "close_reason": reason}


@pytest.fixture(scope="module")
def kernel_url(server) -> str:
    """The websocket of a kernel a page was given (the page itself is not opened)."""
    kernel = kernel_id_of(fetch(server.base, "/voila/render/self_benchmark.ipynb").body)
    ws = server.base.replace("http://", "ws://")
    return f"{ws}/api/kernels/{kernel}/channels?session_id={uuid.uuid4().hex}"


def test_a_browser_cannot_run_code_in_a_kernel(server, kernel_url, tmp_path):
    marker = tmp_path / "ran"
    code = f"open({str(marker)!r}, 'w').write('code ran')"
    refused = [
        _message(
            "execute_request",
            {
                "code": code,
                "silent": False,
                "store_history": False,
                "user_expressions": {"x": code},
                "allow_stdin": False,
                "stop_on_error": True,
            },
        ),
        _message("inspect_request", {"code": "store", "cursor_pos": 5, "detail_level": 1}),
        _message("complete_request", {"code": "sto", "cursor_pos": 3}),
        _message(
            "history_request", {"output": True, "raw": True, "hist_access_type": "tail", "n": 5}
        ),
        _message("is_complete_request", {"code": code}),
        _message(
            "debug_request", {"seq": 1, "type": "request", "command": "initialize"}, "control"
        ),
        _message("input_reply", {"value": code}, "stdin"),
    ]
    result = run_async(_exchange(kernel_url, refused))
    # the channel works (kernel_info is allowed) but nothing refused got an answer
    assert "kernel_info_reply" in result["types"], result
    for answer in (
        "execute_reply",
        "execute_input",
        "execute_result",
        "inspect_reply",
        "complete_reply",
        "history_reply",
        "is_complete_reply",
        "debug_reply",
        "error",
    ):
        assert answer not in result["types"], result
    assert not marker.exists()
    log = server.log_text()
    assert 'Received message of type "execute_request", which is not allowed' in log


def test_a_websocket_from_another_site_is_refused(server, kernel_url):
    from tornado.httpclient import HTTPClientError

    with pytest.raises(HTTPClientError) as refused:
        run_async(_exchange(kernel_url, [], origin="http://attacker.example"))
    assert refused.value.code == 403


def test_an_oversized_websocket_message_is_refused(kernel_url):
    from toolkit.content.rules import rules

    limit = rules().import_.max_upload_bytes
    assert limit * 1.5 <= WS_CAP  # a file the app refuses politely still gets to the app
    payload = {"comm_id": uuid.uuid4().hex, "data": {"method": "custom", "content": {}}}
    within = _message("comm_msg", {**payload, "padding": "x" * int(limit * 1.2)})
    over = _message("comm_msg", {**payload, "padding": "x" * (WS_CAP + 1024)})
    accepted = run_async(_exchange(kernel_url, [within]))
    assert "kernel_info_reply" in accepted["types"], accepted
    refused = run_async(_exchange(kernel_url, [over]))
    assert "kernel_info_reply" not in refused["types"], refused
    assert refused["close_code"] in (None, 1009), refused  # 1009: message too big


# --------------------------------------------------------------------------- secrets in the log


def test_resume_tokens_and_keys_never_reach_the_log(server, offline_page):
    secrets_ = {f"SeCrEt{n}{uuid.uuid4().hex}" for n in range(6)}
    one, two, three, four, five, six = sorted(secrets_)
    for path in (
        f"/voila/render/no_such_app.ipynb?id={one}",
        f"/voila/render/bands.csv?id={two}",
        f"/voila/files/x.csv?id={three}",
        f"/voila/render/learning_network.ipynb?code=ABCD-EFGH-JKLM&key={four}",
        f"/voila/templates/x?id={five}",
    ):
        fetch(server.base, path)
    offline_page.page.goto(f"{server.base}/voila/render/self_benchmark.ipynb?id={six}")
    offline_page.page.get_by_label("Service name").wait_for(timeout=60_000)
    log = server.log_text()
    assert "no_such_app.ipynb?id=[redacted]" in log  # the failed request was logged, scrubbed
    for secret in secrets_:
        assert secret not in log


# --------------------------------------------------------------------------- script typed into the app

PAYLOADS = [
    "<script>window.__xss=1</script>",
    '<img src=x onerror="window.__xss=1">',
    "\"><svg onload=window.__xss=1><a href='javascript:window.__xss=1'>x</a>",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_script_typed_as_a_service_name_is_shown_as_text(server, offline_page, payload):
    page = open_app(offline_page, server.base)
    type_figures(page, {**GOOD, "Service name": payload})
    page.get_by_text("Cost per job outcome of £3,000").first.wait_for(timeout=30_000)
    page.get_by_text(f"Key figures for {payload}").first.wait_for(timeout=10_000)
    page.locator("img.toolkit-chart").first.wait_for(timeout=20_000)
    page.wait_for_timeout(500)
    assert page.evaluate("() => window.__xss") is None
    injected = page.evaluate(
        """() => ({
            img: document.querySelectorAll('img[src="x"]').length,
            svg: document.querySelectorAll('svg[onload]').length,
            js: document.querySelectorAll('a[href^="javascript:"]').length,
            script: [...document.scripts].filter(s => s.textContent.includes('__xss')).length,
        })"""
    )
    assert injected == {"img": 0, "svg": 0, "js": 0, "script": 0}
    assert offline_page.external == []


# --------------------------------------------------------------------------- idle-kernel cull


@pytest.fixture(scope="module")
def culling_server(tmp_path_factory) -> Iterator[Server]:
    started = _start(
        tmp_path_factory,
        [
            f"--MappingKernelManager.cull_idle_timeout={CULL_TIMEOUT}",
            "--MappingKernelManager.cull_interval=1",
            # only the self-benchmark app is preheated here, to start quickly (Voila
            # matches these patterns against the notebook's full path)
            "--VoilaKernelManager.preheat_denylist=['^(?!.*self_benchmark[.]ipynb$)']",
        ],
    )
    try:
        yield started
    finally:
        _stop(started)


def _kernel_alive(base: str, kernel: str) -> bool:
    return fetch(base, f"/api/kernels/{kernel}").status == 200


def test_cull_ends_abandoned_kernels_and_spares_pages_and_the_pool(culling_server, browser):
    base = culling_server.base
    culling_server.wait_for_pools(["self_benchmark.ipynb"])
    open_page = OfflinePage(browser)
    open_page.page.set_default_navigation_timeout(90_000)
    try:
        page = open_app(open_page, base)
        page_kernel = kernel_id_of(page.content())
        # a page fetched but never opened (a crashed tab, a link checker): no websocket
        abandoned = kernel_id_of(fetch(base, "/voila/render/self_benchmark.ipynb").body)
        assert _kernel_alive(base, abandoned)
        deadline = time.monotonic() + CULL_TIMEOUT + 45
        while time.monotonic() < deadline and _kernel_alive(base, abandoned):
            time.sleep(1)
        assert not _kernel_alive(base, abandoned), "the abandoned kernel was not culled"
        # the open page sat idle for longer than the timeout, but it is connected
        assert _kernel_alive(base, page_kernel)
        type_figures(page, GOOD)
        page.get_by_text("Cost per job outcome of £3,000").first.wait_for(timeout=30_000)
    finally:
        open_page.close()
    # preheated kernels waited longer than the timeout too; the next page load still works
    fresh = OfflinePage(browser)
    fresh.page.set_default_navigation_timeout(90_000)
    try:
        page = open_app(fresh, base)
        type_figures(page, GOOD)
        page.get_by_text("Cost per job outcome of £3,000").first.wait_for(timeout=30_000)
        assert fresh.external == []
    finally:
        fresh.close()
    assert "Culling 'idle' kernel" in culling_server.log_text()
