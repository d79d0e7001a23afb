"""The shared chart-drawing service: start, draw, fall back when absent."""

import subprocess
import sys

import pytest

from toolkit import charts, render_service


@pytest.fixture
def data_home(tmp_path, monkeypatch):
    monkeypatch.setenv("TOOLKIT_DATA_HOME", str(tmp_path))
    monkeypatch.delenv("TOOLKIT_RENDER_IN_PROCESS", raising=False)
    yield tmp_path
    subprocess.run(["pkill", "-f", f"toolkit.render_service --socket {tmp_path}"], check=False)


SPEC = {
    "mark": "point",
    "data": {"values": [{"x": 1}]},
    "encoding": {"x": {"field": "x", "type": "quantitative"}},
}


def test_service_draws_svg_and_png_and_reports_errors(data_home):
    assert render_service.ensure_running()
    svg = render_service.request({"format": "svg", "spec": SPEC}).decode()
    assert svg.startswith("<svg")
    png = render_service.request({"format": "png", "spec": SPEC, "scale": 1})
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(RuntimeError):
        render_service.request({"format": "svg", "spec": {"mark": "nonsense"}})
    socket_file = render_service.socket_path()
    assert oct(socket_file.stat().st_mode & 0o777) == "0o600"


def test_charts_fall_back_to_this_process_without_the_service(data_home):
    assert not render_service.socket_path().exists()
    chart = charts.alt.Chart(charts.alt.Data(values=[{"x": 1}])).mark_point().encode(x="x:Q")
    assert charts.chart_svg(chart).startswith("<svg")


def test_service_stops_when_idle(data_home):
    path = render_service.socket_path()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "toolkit.render_service",
            "--socket",
            str(path),
            "--idle-seconds",
            "1",
        ]
    )
    try:
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
    assert not path.exists()
