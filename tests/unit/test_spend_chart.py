"""The spend map's mix chart: a job for the shared chart process, with a title and a summary."""

from __future__ import annotations

import pytest

from toolkit.charts import jobs
from toolkit.charts.spend import job_request, mix_rows, mix_summary


def test_rows_put_the_area_above_the_study() -> None:
    rows = mix_rows({"support into paid work": 0.6, "other": 0.4, "volunteering": 0.0}, "Area")
    area = [row for row in rows if row["row"] == 0]
    study = [row for row in rows if row["row"] == 1]
    assert [row["type"] for row in area] == ["Paid work", "Other"]
    assert sum(row["share"] for row in study) == pytest.approx(1)
    assert study[0]["share"] == 0.32


def test_summary_names_every_share_and_the_source() -> None:
    text = mix_summary({"support into paid work": 0.25, "college courses and supported "
                        "internships": 0.75}, "Example Shire")
    assert "paid work 25%" in text and "college 75%" in text
    assert "paid work 32%" in text and "Section 4" in text


def test_job_drawn_through_the_jobs_module(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(jobs.IN_PROCESS, "1")
    answer = jobs.run_job(job_request({"support into paid work": 1.0}, "Area"))
    assert answer[0]["title"].startswith("Mix of spend")
    assert answer[0]["svg"].lstrip().startswith("<svg")
    assert "Area: paid work 100%" in answer[0]["summary"]


def test_unknown_type_is_refused() -> None:
    with pytest.raises(ValueError):
        jobs.run_job(job_request({"job clubs": 1.0}, "Area"))
