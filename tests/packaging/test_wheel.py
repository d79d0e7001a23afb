"""The built wheel works on its own: data/ and workbook/ travel inside it.

Builds the wheel from a copy of the sources (the checkout is left untouched), installs it with
``--no-deps`` into a fresh virtual environment in a temporary folder outside the repository, and
runs ``python -m toolkit`` there from another folder, with no override variables set.

Fast and offline: the build uses the project venv's setuptools (``--no-build-isolation``), and the
fresh venv sees the project venv's installed dependencies through a ``.pth`` file (the equivalent
of ``--system-site-packages`` for a venv made from a venv), so nothing is downloaded.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parents[2]
#: What the wheel is built from (everything pyproject.toml's packages and package-data name).
SOURCES = ("pyproject.toml", "README.md", "toolkit", "data", "workbook")
FICTIONAL_SERVICE = [
    "--name", "Fictional example service", "--cost", "120000", "--supported", "80",
    "--new-jobs", "20", "--retained", "6", "--client-group", "mental health",
]  # fmt: skip


def _run(command: list[str | Path], cwd: Path, env: dict[str, str] | None = None):
    return subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("source")
    for name in SOURCES:
        if (ROOT / name).is_dir():
            ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints")
            shutil.copytree(ROOT / name, source / name, ignore=ignore)
        else:
            shutil.copy2(ROOT / name, source / name)
    dist = tmp_path_factory.mktemp("dist")
    built = _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
         "--quiet", "--wheel-dir", dist, source],
        cwd=source,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr[-3000:]
    (wheel,) = dist.glob("employment_support_toolkit-*.whl")
    return wheel


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fresh venv's python, with the wheel installed and the project's dependencies visible."""
    venv = tmp_path_factory.mktemp("fresh") / "venv"
    made = _run([sys.executable, "-m", "venv", "--without-pip", venv], cwd=venv.parent)
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    purelib = _run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=venv
    ).stdout.strip()
    # After the fresh venv's own site-packages, so the wheel's toolkit is the one imported.
    Path(purelib, "project_dependencies.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8"
    )
    done = _run(
        [python, "-m", "pip", "install", "--no-deps", "--no-index", "--quiet", wheel], cwd=venv
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return python


@pytest.fixture
def elsewhere(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A folder outside the repository and an environment with no overrides."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"TOOLKIT_DATA_DIR", "TOOLKIT_WORKBOOK_DIR", "PYTHONPATH", "VIRTUAL_ENV"}
    }
    env["TOOLKIT_DATA_HOME"] = str(tmp_path / "home")
    folder = tmp_path / "work"
    folder.mkdir()
    return folder, env


def test_wheel_holds_the_content_files(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in (
        "toolkit/data/bands.csv",
        "toolkit/data/averages.csv",
        "toolkit/data/rules.yaml",
        "toolkit/data/caveats.yaml",
        "toolkit/data/README.md",
        "toolkit/workbook_content/scales.yaml",
        "toolkit/workbook_content/turning_the_curve.yaml",
        "toolkit/present/templates/report.html",
    ):
        assert name in names, name
    assert not any(name.startswith(("tests/", "data/", "workbook/")) for name in names)


def test_installed_toolkit_reads_its_content_from_the_fresh_venv(installed, elsewhere) -> None:
    folder, env = elsewhere
    venv = installed.parent.parent
    done = _run(
        [installed, "-c",
         "import toolkit, json\n"
         "from toolkit.content.paths import data_dir, workbook_dir\n"
         "from toolkit.worksheets.commissioning_questions import load_workbook\n"
         "from toolkit.worksheets.turning_the_curve import load_worksheet\n"
         "print(json.dumps([toolkit.__file__, str(data_dir()), str(workbook_dir()),"
         " len(load_workbook().sections), load_worksheet().title]))"],
        cwd=folder, env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    module, data, workbook, sections, _ = json.loads(done.stdout)
    for path in (module, data, workbook):
        assert Path(path).is_relative_to(venv), path
        assert not Path(path).is_relative_to(ROOT), path
    assert sections >= 10


def test_measure_runs_from_another_folder(installed, elsewhere) -> None:
    folder, env = elsewhere
    done = _run(
        [installed, "-m", "toolkit", "measure", *FICTIONAL_SERVICE, "--format", "json"],
        cwd=folder,
        env=env,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout)
    assert result["service"]["name"] == "Fictional example service"
    assert result["measures"]["cost_per_person"] == 1500
    assert result["measures"]["job_outcome_rate"] == 0.325
    assert {row["bands"] for row in result["comparisons"]} == {"evidence_based", "all_sites"}


def test_template_runs_from_another_folder(installed, elsewhere) -> None:
    folder, env = elsewhere
    for name in ("request.xlsx", "request.csv"):
        done = _run([installed, "-m", "toolkit", "template", "--out", name], cwd=folder, env=env)
        assert done.returncode == 0, done.stderr[-3000:]
        assert (folder / name).stat().st_size > 0
    sheets = load_workbook(folder / "request.xlsx", read_only=True).sheetnames
    assert sheets, "the template has no sheets"
    assert "Service name" in (folder / "request.csv").read_text(encoding="utf-8-sig")
