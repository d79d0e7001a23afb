"""The kernels talk to the server over private socket files, and the kernel websocket is compressed.

Kernels on loopback TCP ports raced for ports when a room of people arrived at once: a port
picked for a new kernel was taken (by another kernel or any outgoing connection) before the
kernel bound it, the kernel died ("Address already in use") and its page never became usable.
Socket files (``KernelManager.transport: ipc``) cannot collide. The widget state a page loads
over the kernel websocket (about 240 KiB for the self-benchmark app) is compressed with
permessage-deflate when the browser offers it.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlparse

from tests.e2e.conftest import kernel_connection_files


def test_kernels_use_socket_files_and_the_websocket_is_compressed(voila_server, browser):
    page = browser.new_page()
    extensions: list[str] = []
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.on(
        "Network.webSocketHandshakeResponseReceived",
        lambda event: extensions.append(
            next(
                (
                    v
                    for k, v in event["response"]["headers"].items()
                    if k.lower() == "sec-websocket-extensions"
                ),
                "",
            )
        ),
    )
    page.goto(f"{voila_server}/voila/render/self_benchmark.ipynb")
    page.get_by_label("Service name").wait_for(timeout=60_000)
    assert any("permessage-deflate" in value for value in extensions), extensions

    files = kernel_connection_files(urlparse(voila_server).port)
    assert files, "no kernel of the test server was found"
    for path in files:
        info = json.loads(Path(path).read_text())
        assert info["transport"] == "ipc", (path, info["transport"])
    page.close(run_before_unload=True)
