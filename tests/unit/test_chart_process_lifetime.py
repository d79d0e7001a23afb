"""The chart process stops with the server that started it (issue 12), and draws a PNG
before it takes work (issue 17: the first download waited for the PNG renderer)."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from toolkit.charts import service as render_service


@pytest.fixture
def data_home(tmp_path, monkeypatch):
    monkeypatch.setenv("TOOLKIT_DATA_HOME", str(tmp_path))
    monkeypatch.delenv("TOOLKIT_RENDER_IN_PROCESS", raising=False)
    return tmp_path


def wait_until(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def test_the_chart_process_stops_when_the_server_that_started_it_ends(data_home, monkeypatch):
    server = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    try:
        monkeypatch.setenv(render_service.SERVER_PID, str(server.pid))
        assert render_service.ensure_running(wait_seconds=120)
        path = render_service.socket_path()
        assert path.exists()
        time.sleep(2)
        assert path.exists(), "the chart process stopped while its server was running"
    finally:
        server.kill()
        server.wait()
    assert wait_until(lambda: not path.exists(), timeout=15), (
        "the chart process outlived its server"
    )
    with pytest.raises(render_service.NOT_THERE):
        render_service.request({"format": "svg", "spec": {"mark": "point"}}, timeout=5)


def test_a_process_watch_tells_a_live_process_from_an_ended_one():
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    alive = render_service.process_watch(process.pid)
    assert alive()
    process.kill()
    process.wait()
    assert not alive()
    assert render_service.process_watch(None)()  # nothing to watch: never stops for that


def test_tests_get_their_own_chart_process():
    """tests/conftest.py gives each run its own data folder, so its own socket."""
    import os

    from platformdirs import user_data_dir

    home = os.environ["TOOLKIT_DATA_HOME"]
    assert home and not home.startswith(user_data_dir("employment-support-toolkit"))
    assert str(render_service.socket_path()).startswith(home)
