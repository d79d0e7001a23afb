"""Reading the page request under Voila's kernel preheating, without importing Voila's server."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import threading

import pytest
import websockets

from toolkit.ui import request

PREHEAT_ENV = {
    "VOILA_PREHEAT": "True",
    "VOILA_APP_IP": "127.0.0.1",
    "VOILA_SERVER_URL": "/base/",
    "VOILA_KERNEL_ID": "kernel-1234",
}


@pytest.fixture
def preheated(monkeypatch):
    for key, value in PREHEAT_ENV.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("QUERY_STRING", raising=False)
    monkeypatch.delenv("VOILA_WS_BASE_URL", raising=False)


def test_the_url_is_the_one_voila_itself_waits_on(preheated, monkeypatch):
    """Pins Voila's protocol: if a new Voila moves the websocket, this fails."""
    import voila.utils

    seen = []

    async def fake_get_request_info(ws_url):
        seen.append(ws_url)
        return json.dumps({"QUERY_STRING": "id=abc"})

    monkeypatch.setenv("VOILA_APP_PORT", "8123")
    monkeypatch.setattr(voila.utils, "_get_request_info", fake_get_request_info)
    voila.utils.wait_for_request()
    assert seen == [request.request_info_url()]
    assert seen[0] == "ws://127.0.0.1:8123/base/voila/query/kernel-1234"


def serve_request_info(message: dict) -> tuple[int, list[str], threading.Event]:
    """A stand-in for Voila's request-info websocket: sends ``message`` to whoever connects."""
    paths: list[str] = []
    ready = threading.Event()
    port_box: list[int] = []

    async def handler(connection):
        paths.append(connection.request.path)
        await connection.send(json.dumps(message))

    async def main():
        async with websockets.serve(handler, "127.0.0.1", 0) as server:
            port_box.append(server.sockets[0].getsockname()[1])
            ready.set()
            await asyncio.sleep(10)

    threading.Thread(target=lambda: asyncio.run(main()), daemon=True).start()
    ready.wait(5)
    return port_box[0], paths, ready


def test_waits_for_the_request_and_reads_its_query_string(preheated, monkeypatch):
    port, paths, _ = serve_request_info({"QUERY_STRING": "id=" + "A" * 43, "PATH_INFO": "/x"})
    monkeypatch.setenv("VOILA_APP_PORT", str(port))
    assert request.resume_id_from_request() == "A" * 43
    assert paths == ["/base/voila/query/kernel-1234"]
    assert os.environ["PATH_INFO"] == "/x"


def test_falls_back_to_voilas_own_helper_when_the_socket_fails(preheated, monkeypatch):
    import voila.utils

    def fails(url):
        raise ConnectionError("refused")

    def voila_helper(url=None):
        monkeypatch.setenv("QUERY_STRING", "id=" + "B" * 43)

    monkeypatch.setattr(request, "_receive_request_info", fails)
    monkeypatch.setattr(voila.utils, "wait_for_request", voila_helper)
    assert request.resume_id_from_request() == "B" * 43


def test_without_preheating_the_query_string_is_already_there(monkeypatch):
    monkeypatch.setenv("VOILA_PREHEAT", "False")
    monkeypatch.setenv("QUERY_STRING", "id=" + "C" * 43)
    assert request.resume_id_from_request() == "C" * 43


def test_reading_the_request_does_not_import_voilas_server():
    """Voila's helper would load its server side (about 45 MB) into every kernel."""
    port, _, _ = serve_request_info({"QUERY_STRING": "id=" + "D" * 43})
    script = (
        "import sys\n"
        "from toolkit.ui.request import resume_id_from_request\n"
        "print(resume_id_from_request())\n"
        "print(sorted(m for m in ('voila', 'jupyter_server', 'nbconvert') if m in sys.modules))\n"
    )
    env = {**os.environ, **PREHEAT_ENV, "VOILA_APP_PORT": str(port)}
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split("\n")[:2] == ["D" * 43, "[]"]
