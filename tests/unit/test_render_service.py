"""The shared chart-drawing service: start, draw, fall back when absent."""

import json
import re
import subprocess
import sys

import pytest

from toolkit.charts import service as render_service
from toolkit.charts import specs as charts


@pytest.fixture
def data_home(tmp_path, monkeypatch):
    monkeypatch.setenv("TOOLKIT_DATA_HOME", str(tmp_path))
    monkeypatch.delenv("TOOLKIT_RENDER_IN_PROCESS", raising=False)
    yield tmp_path
    subprocess.run(["pkill", "-f", f"toolkit.charts.service --socket {tmp_path}"], check=False)


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
            "toolkit.charts.service",
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


FICTIONAL = {
    "name": "Fictional service",
    "total_cost": "150000",
    "people_supported": "120",
    "new_jobs": "30",
    "jobs_retained": "18",
    "self_employed": "2",
}


def _records():
    from toolkit.domain.record import parse_service

    return [
        parse_service(FICTIONAL),
        parse_service(
            {
                "name": "Second fictional service",
                "total_cost": "90000",
                "people_supported": "40",
                "new_jobs": "4",
                "jobs_retained": "1",
                "self_employed": "0",
            }
        ),
    ]


def test_service_builds_the_apps_charts_as_the_kernel_would(data_home, monkeypatch):
    from toolkit.charts import jobs as chart_jobs

    records = _records()
    band_sets = ["evidence_based", "all_sites"]
    assert render_service.ensure_running()
    request = chart_jobs.job_request(records, band_sets, "mental_health")
    from_service = json.loads(render_service.request(request))
    here = chart_jobs.run_job(json.loads(json.dumps(request)))
    assert [a["key"] for a in from_service] == ["bands", "cost_rate", "split"]

    def same_ids(answers):  # Vega numbers its clip paths per process
        return [{**a, "svg": re.sub(r"clip\d+", "clip", a["svg"])} for a in answers]

    assert same_ids(from_service) == same_ids(here)
    assert "Second fictional service" in from_service[0]["summary"]
    assert "pooled" in from_service[0]["svg"]  # the pooled group is drawn as well
    pngs = chart_jobs.self_benchmark_pngs(records, band_sets)
    assert [key for key, _ in pngs] == ["bands", "cost_rate", "split"]
    assert all(png[:8] == b"\x89PNG\r\n\x1a\n" for _, png in pngs)


def test_app_charts_are_drawn_in_the_kernel_when_the_service_is_absent(data_home):
    from toolkit.charts import jobs as chart_jobs

    assert not render_service.socket_path().exists()
    drawn = chart_jobs.self_benchmark_charts(_records(), ["evidence_based"])
    assert [chart.key for chart in drawn] == ["bands", "cost_rate", "split"]
    assert all(chart.svg.startswith("<svg") for chart in drawn)


def test_service_refuses_an_unknown_job(data_home):
    assert render_service.ensure_running()
    with pytest.raises(RuntimeError, match="unknown chart job"):
        render_service.request({"job": "anything_else", "records": []})


def test_a_busy_chart_process_is_reported_not_replaced(data_home, monkeypatch):
    """A chart process that does not answer in time: no drawing in the kernel (it would load
    Altair and vl-convert into every kernel of a machine already too busy), a plain message."""
    import socket

    from toolkit.charts import jobs as chart_jobs
    from toolkit.ui.self_benchmark import SelfBenchmarkApp

    silent = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    silent.bind(str(render_service.socket_path()))
    silent.listen(8)  # accepts connections, never answers
    monkeypatch.setattr(chart_jobs, "JOB_TIMEOUT", 0.5)
    monkeypatch.setattr(chart_jobs, "run_job", lambda request: pytest.fail("drew in the kernel"))
    try:
        with pytest.raises(chart_jobs.ChartsBusy):
            chart_jobs.self_benchmark_charts(_records(), ["evidence_based"])
        app = SelfBenchmarkApp(store=None)
        app.set_values(FICTIONAL)
        app.prepare_png()
        assert "too busy to draw the images" in app.png_links.value
        assert "£3,000" in app.key_figures.value  # the figures themselves are unaffected
    finally:
        silent.close()
