"""The apps under JupyterHub-style settings: Voila as a Jupyter Server extension.

JupyterHub's single-user server is a Jupyter Server under a per-user base URL
(``/user/NAME/``), with Voila as an extension. This starts ``jupyter server`` with
``--ServerApp.base_url=/user/test/`` and the image's own settings
(``deploy/jupyterhub/jupyter_server_config.json`` as the main config file), opens the self-benchmark app at
``/user/test/voila/render/notebooks/self_benchmark.ipynb`` in Chromium, and checks the
restrictions the image relies on. JupyterHub itself (sign-in, the proxy, spawning,
the hub's culler) is not run here: see docs/deployment.md.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import (
    ROOT,
    free_port,
    stop_server,
    wait_for,
)
from tests.e2e.test_hardening import _exchange, _message, fetch, kernel_id_of, run_async
from tests.e2e.test_self_benchmark import GOOD, type_figures

pytestmark = pytest.mark.e2e

BASE_URL = "/user/test/"
APP = f"{BASE_URL}voila/render/notebooks/self_benchmark.ipynb"
SERVER_CONFIG = ROOT / "deploy" / "jupyterhub" / "jupyter_server_config.json"


def _jupyter_server(tmp_path_factory, config: Path | None, binder: bool) -> Iterator[str]:
    """``jupyter server`` under /user/test/ with the repository as root folder."""
    config_dir = tmp_path_factory.mktemp("jupyter-config")  # instead of ~/.jupyter
    if config is not None:
        shutil.copy(config, config_dir / "jupyter_server_config.json")  # as in the image
    data_home = tmp_path_factory.mktemp("toolkit-data")
    port = free_port()
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(config_dir),
        "TOOLKIT_DATA_HOME": str(data_home),
    }
    for name in ("TOOLKIT_DATABASE_URL", "JUPYTER_PATH", "JUPYTER_CONFIG_PATH"):
        env.pop(name, None)
    if not binder:
        env["JUPYTER_PATH"] = str(ROOT / "share" / "jupyter")  # the image's ENV
    command = [
        sys.executable,
        "-m",
        "jupyter_server",
        f"--ServerApp.base_url={BASE_URL}",
        f"--ServerApp.port={port}",
        "--ServerApp.ip=127.0.0.1",
        "--ServerApp.open_browser=False",
        "--ServerApp.token=",
        "--ServerApp.password=",
        # the image roots the server at /srv/toolkit, Binder at the repository
        f"--ServerApp.root_dir={ROOT}",
        "--ServerApp.allow_root=True",  # the tests run as root; the image as uid 1000
    ]
    if binder:
        command = [str(ROOT / "binder" / "start"), *command]  # as Binder launches it
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}{BASE_URL}api/status", timeout=90)
        yield base
    finally:
        stop_server(process, data_home)


@pytest.fixture(scope="module")
def hub_style_server(tmp_path_factory) -> Iterator[str]:
    yield from _jupyter_server(tmp_path_factory, SERVER_CONFIG, binder=False)


@pytest.fixture(scope="module")
def binder_style_server(tmp_path_factory) -> Iterator[str]:
    yield from _jupyter_server(tmp_path_factory, None, binder=True)


def _use_the_app(base: str, holder) -> None:
    page = holder.page
    page.set_default_navigation_timeout(120_000)
    page.goto(f"{base}{APP}")
    page.get_by_label("Service name").wait_for(timeout=120_000)
    type_figures(page, GOOD)
    page.get_by_text("Cost per job outcome of £3,000").first.wait_for(timeout=60_000)
    page.locator("img.toolkit-chart").first.wait_for(timeout=60_000)
    assert "Traceback" not in page.locator("body").inner_text()
    # the toolkit's template, found through JUPYTER_PATH, and no MathJax from a CDN:
    # nothing fetched from the internet
    assert holder.external == []
    assert "jp-mod-noOutputs" in page.content()


def test_the_app_works_offline_when_launched_as_binder_does(binder_style_server, offline_page):
    _use_the_app(binder_style_server, offline_page)


def test_the_app_works_under_a_user_base_url(hub_style_server, offline_page):
    _use_the_app(hub_style_server, offline_page)


@pytest.mark.parametrize(
    "path",
    [
        "lab",
        "lab/tree/notebooks",
        "tree",
        "notebooks/notebooks/self_benchmark.ipynb",
        "terminals/1",
    ],
)
def test_jupyterlab_and_terminals_are_switched_off(hub_style_server, path):
    reply = fetch(hub_style_server, f"{BASE_URL}{path}")
    assert reply.status == 404, (path, reply.status)


def test_terminals_api_is_switched_off(hub_style_server):
    reply = fetch(hub_style_server, f"{BASE_URL}api/terminals", method="POST", body=b"{}")
    assert reply.status in (403, 404), reply.status


def test_kernels_take_only_widget_messages(hub_style_server, tmp_path):
    page = fetch(hub_style_server, APP)
    assert page.status == 200
    kernel = kernel_id_of(page.body)
    ws = hub_style_server.replace("http://", "ws://")
    url = f"{ws}{BASE_URL}api/kernels/{kernel}/channels?session_id=load"
    marker = tmp_path / "ran"
    code = f"open({str(marker)!r}, 'w').write('code ran')"
    request = {
        "code": code,
        "silent": False,
        "store_history": False,
        "user_expressions": {},
        "allow_stdin": False,
        "stop_on_error": True,
    }
    result = run_async(_exchange(url, [_message("execute_request", request)]))
    assert "kernel_info_reply" in result["types"], result
    assert "execute_reply" not in result["types"] and not marker.exists()


def test_voila_settings_come_from_voila_json(hub_style_server):
    page = fetch(hub_style_server, APP)
    source = json.loads((ROOT / "notebooks" / "self_benchmark.ipynb").read_text())
    assert "resume_id_from_request" in "".join(source["cells"][0]["source"])
    assert "resume_id_from_request" not in page.body  # strip_sources
    assert fetch(hub_style_server, f"{BASE_URL}voila/files/voila.json").status == 403
    assert "cdn.jsdelivr.net" not in page.body
