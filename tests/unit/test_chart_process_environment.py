"""The chart process starts with a clean environment and a bound on glibc's malloc arenas."""

from __future__ import annotations

import subprocess

import pytest

from toolkit.charts import client


def test_service_environment_is_clean_and_bounds_malloc_arenas() -> None:
    kernel = {"PATH": "/usr/bin", "QUERY_STRING": "id=secret-resume-id", "MALLOC_ARENA_MAX": "8"}
    assert client.service_environment(kernel) == {"PATH": "/usr/bin", "MALLOC_ARENA_MAX": "2"}


def test_the_chart_process_is_started_with_that_environment(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TOOLKIT_DATA_HOME", str(tmp_path))
    monkeypatch.setenv("TOOLKIT_FACILITATOR_KEY", "secret-key")
    started: list[dict] = []

    def fake_popen(*_args, **kwargs):
        started.append(kwargs["env"])
        return None

    monkeypatch.setattr(client, "_answers", lambda _path, _probe: False)
    monkeypatch.setattr(subprocess, "Popen", fake_popen)
    assert client.ensure_running(wait_seconds=0.2) is False
    assert started and started[0]["MALLOC_ARENA_MAX"] == "2"
    assert "TOOLKIT_FACILITATOR_KEY" not in started[0]
