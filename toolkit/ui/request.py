"""What the page was asked for: the private resume id in the URL.

With Voila's preheated kernels the notebook starts before anyone asks for it
and must wait for the real request to learn its query string. Voila's own
helper, ``voila.utils.get_query_string``, does that, but importing
``voila.utils`` loads Voila's whole server side (Jupyter Server, JupyterLab
Server, nbconvert, jsonschema: about 45 MB in every kernel). :func:`query_string`
does the same small thing directly: it opens the websocket on which Voila hands
a preheated kernel its request (``voila/query/<kernel id>``), reads the one
message and puts its values in the environment, as Voila's helper does. If that
fails for any reason it falls back to Voila's helper. Do slow imports before
calling :func:`resume_id_from_request`.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import threading
from urllib.parse import parse_qs

#: Resume ids are URL-safe random tokens (``secrets.token_urlsafe(32)``).
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,100}$")
PARAMETER = "id"
#: Seconds to wait for Voila's websocket to open (Voila's helper waits as long).
OPEN_TIMEOUT = 5


def request_info_url(environ: dict[str, str] | None = None) -> str:
    """The websocket where Voila sends this kernel its page request (as Voila builds it)."""
    env = os.environ if environ is None else environ
    protocol = env.get("VOILA_WS_PROTOCOL", "ws")
    server_ip = env.get("VOILA_APP_IP", "127.0.0.1")
    server_port = env.get("VOILA_APP_PORT", "8866")
    server_url = env.get("VOILA_SERVER_URL", "/")
    ws_base_url = env.get("VOILA_WS_BASE_URL", server_url)
    kernel_id = env.get("VOILA_KERNEL_ID")
    return f"{protocol}://{server_ip}:{server_port}{ws_base_url}voila/query/{kernel_id}"


def _receive_request_info(url: str) -> str:
    """The one message Voila sends on the request-info websocket (blocks until the request)."""
    import websockets

    async def receive() -> str:
        async with websockets.connect(url, open_timeout=OPEN_TIMEOUT) as websocket:
            message = await websocket.recv()
        return message if isinstance(message, str) else message.decode("utf-8")

    answer: dict[str, object] = {}

    def in_thread() -> None:  # the kernel's own event loop is running on this thread
        try:
            answer["message"] = asyncio.run(receive())
        except BaseException as exc:  # reported to the caller, which falls back
            answer["error"] = exc

    thread = threading.Thread(target=in_thread, name="toolkit-wait-for-request")
    thread.start()
    thread.join()
    if "message" not in answer:
        raise ConnectionError(f"no request info from Voila: {answer.get('error')!r}")
    return str(answer["message"])


def wait_for_request() -> None:
    """Under kernel preheating, wait for the page request and take its values into the environment."""
    if os.environ.get("VOILA_PREHEAT", "False") == "False":
        return
    try:
        info = json.loads(_receive_request_info(request_info_url()))
    except (OSError, ValueError, ConnectionError):
        from voila.utils import wait_for_request as voila_wait  # the reference, heavier

        voila_wait()
        return
    for key, value in info.items():
        os.environ[key] = value


def query_string() -> str:
    """The page's query string, waiting for the request under kernel preheating."""
    wait_for_request()
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
