"""The hardening settings in voila.json, read without a server (tests/e2e/test_hardening.py
tries each against the running one)."""

from __future__ import annotations

import json
import logging.config
import re
from pathlib import Path

import pytest

from toolkit.content.rules import rules

ROOT = Path(__file__).resolve().parents[2]
CONFIG = json.loads((ROOT / "voila.json").read_text(encoding="utf-8"))


def test_no_source_no_tracebacks_no_files_no_template_swaps():
    voila = CONFIG["VoilaConfiguration"]
    assert voila["strip_sources"] is True
    assert voila["show_tracebacks"] is False
    assert voila["file_allowlist"] == [] and voila["file_denylist"] == [".*"]
    assert voila["allow_template_override"] == "NO"
    assert voila["allow_theme_override"] == "NO"
    assert voila["template"] == "toolkit"
    assert CONFIG["Voila"]["tornado_settings"]["serve_traceback"] is False


def test_kernels_are_preheated_and_idle_ones_culled_but_not_open_pages():
    assert CONFIG["VoilaConfiguration"]["preheat_kernel"] is True
    assert CONFIG["VoilaConfiguration"]["default_pool_size"] >= 1
    cull = CONFIG["MappingKernelManager"]
    # long enough that a page loading on a slow machine is never cut off (seconds),
    # short enough that abandoned kernels do not pile up during a session
    assert 300 <= cull["cull_idle_timeout"] <= 3600
    assert 0 < cull["cull_interval"] <= cull["cull_idle_timeout"]
    assert cull["cull_connected"] is False and cull["cull_busy"] is False


def test_upload_and_request_caps_leave_room_for_the_apps_own_limit():
    tornado = CONFIG["Voila"]["tornado_settings"]
    upload = rules().import_.max_upload_bytes
    # the app refuses files over its limit with a sentence; the websocket cap sits above
    # that (so the sentence can be shown) and below Tornado's default of 10 MiB
    assert upload * 1.5 <= tornado["websocket_max_message_size"] < 10 * 1024 * 1024
    assert 1024 <= CONFIG["ToolkitVoila"]["max_body_size"] <= 1024 * 1024


def test_shutdown_beacon_and_referrer():
    tornado = CONFIG["Voila"]["tornado_settings"]
    assert tornado["disable_check_xsrf"] is True  # Voila's beacon carries no XSRF token
    assert tornado["headers"]["Referrer-Policy"] in ("same-origin", "no-referrer")


def test_log_redaction_is_attached_to_voila_and_tornado_output():
    logging_config = CONFIG["Voila"]["logging_config"]
    factory = logging_config["filters"]["redact"]["()"]
    resolved = logging.config.BaseConfigurator({}).resolve(factory)
    from toolkit.serving.redact import RedactQueryValues

    assert resolved is RedactQueryValues
    handlers = logging_config["handlers"]
    assert "redact" in handlers["console"]["filters"]
    tornado = logging_config["loggers"]["tornado"]
    assert tornado["propagate"] is False
    assert all("redact" in handlers[name]["filters"] for name in tornado["handlers"])


def test_toolkit_serve_caps_request_bodies(monkeypatch):
    from voila.app import Voila

    from toolkit.serving.server import MAX_BODY_BYTES, ToolkitVoila

    calls = []

    class FakeApplication:
        def listen(self, port, address="", **kwargs):
            calls.append(kwargs)

    monkeypatch.setattr(Voila, "listen", lambda self: self.app.listen(8866, "127.0.0.1"))
    server = ToolkitVoila()
    server.app = FakeApplication()
    server.listen()
    assert calls == [{"max_body_size": MAX_BODY_BYTES}]
    assert CONFIG["ToolkitVoila"]["max_body_size"] == MAX_BODY_BYTES


@pytest.mark.parametrize("name", ["tree.html", "tree-lab.html", "page.html", "index.html.j2"])
def test_toolkit_template_pages_request_nothing_from_the_internet(name):
    text = (ROOT / "share/jupyter/voila/templates/toolkit" / name).read_text(encoding="utf-8")
    text = re.sub(r"\{#.*?#\}", "", text, flags=re.DOTALL)  # comments may name the CDN
    assert "https://" not in text and "http://" not in text and "cdn." not in text


def test_websocket_ping_timeout_outlasts_the_interval():
    """Jupyter Server looks for the last pong only when it sends the next ping, counting from
    when the socket opened: a timeout no longer than the interval closed every page's
    websocket at its first ping (15 s), and the page reconnected each time."""
    settings = CONFIG["Voila"]["tornado_settings"]
    assert settings["ws_ping_timeout"] >= 2 * settings["ws_ping_interval"]


def test_kernels_use_socket_files_and_compressed_websockets():
    """No port race between kernels starting together (tests/e2e/test_kernel_transport.py)."""
    assert CONFIG["KernelManager"]["transport"] == "ipc"
    assert CONFIG["Voila"]["tornado_settings"]["websocket_compression_options"] == {}
