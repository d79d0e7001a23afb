"""The template workbook is built once per data home, so an app kernel does not load openpyxl."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from toolkit.present.sheets import template

_PROBE = """
import sys
from toolkit.network.store import Store
from toolkit.ui.self_benchmark import build_app
build_app(Store("sqlite://"))
print("openpyxl" in sys.modules, "numpy" in sys.modules)
"""


def _run_probe(home: Path) -> str:
    env = {**os.environ, "TOOLKIT_DATA_HOME": str(home)}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def test_an_app_with_the_cached_template_does_not_load_openpyxl(tmp_path: Path) -> None:
    assert _run_probe(tmp_path) == "True True"  # the first kernel builds the file
    assert len(list((tmp_path / "cache").glob("template-*.xlsx"))) == 1
    assert _run_probe(tmp_path) == "False False"  # later ones read it


def test_cached_template_is_the_workbook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOOLKIT_DATA_HOME", str(tmp_path))
    first = template.template_xlsx()
    again = template.template_xlsx()
    assert again == first
    book = openpyxl.load_workbook(io.BytesIO(again))
    assert book.sheetnames == ["Services", "Lists", "Notes"]
    assert book["Services"]["A1"].comment is not None


def test_a_changed_data_file_gives_a_new_template(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    for path in template.data_dir().iterdir():
        if path.is_file():
            (data / path.name).write_bytes(path.read_bytes())
    monkeypatch.setenv("TOOLKIT_DATA_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("TOOLKIT_DATA_DIR", str(data))
    template.template_xlsx()
    models = data / "support_models.csv"
    models.write_text(models.read_text(encoding="utf-8").rstrip("\n") + "\n", encoding="utf-8")
    with models.open("a", encoding="utf-8") as out:
        out.write("extra_model,A fictional extra model,Test only.,ndti-2014,,,\n")
    book = openpyxl.load_workbook(io.BytesIO(template.template_xlsx()))
    listed = [row[1] for row in book["Lists"].iter_rows(min_row=2, values_only=True)]
    assert "A fictional extra model" in listed
    assert len(list((tmp_path / "home" / "cache").glob("template-*.xlsx"))) == 2


def test_an_unwritable_data_home_still_gives_the_template(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    monkeypatch.setenv("TOOLKIT_DATA_HOME", str(blocked))
    book = openpyxl.load_workbook(io.BytesIO(template.template_xlsx()))
    assert book.sheetnames == ["Services", "Lists", "Notes"]
