"""The server builds the template's cached copy before any kernel starts."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.serving import warm


def test_cache_template_writes_the_cached_workbook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TOOLKIT_DATA_HOME", str(tmp_path))
    assert warm.cache_template() is True
    cached = list((tmp_path / "cache").glob("template-*.xlsx"))
    assert len(cached) == 1
    assert cached[0].read_bytes()[:2] == b"PK"  # a zip: an .xlsx file


def test_a_failed_build_is_reported_not_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(warm, "BUILD_TEMPLATE", "raise SystemExit(3)")
    assert warm.cache_template() is False
