"""The server log is quiet on start (issue 18): trusted notebooks, no deprecated settings."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import nbformat
from nbformat.sign import NotebookNotary

ROOT = Path(__file__).resolve().parents[2]


def app_commands(**variables: str) -> list[str]:
    """The commands `make app` would run (make -n prints them without running them)."""
    assignments = [f"{key}={value}" for key, value in variables.items()]
    out = subprocess.run(
        ["make", "-n", "app", *assignments], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return [line for line in out.splitlines() if line and not line.startswith("#")]


def test_make_app_passes_no_dict_on_the_command_line():
    serve = next(line for line in app_commands() if "-m toolkit.serving" in line)
    # traitlets 5 warns that a dict given as --X.trait={...} is deprecated
    assert "={" not in serve and "kernel_pools_config" not in serve
    assert "JUPYTER_CONFIG_PATH=" in serve


def test_make_app_writes_the_kernel_pools_as_config(tmp_path):
    write = next(
        line for line in app_commands(SESSION_POOL="25") if "voila-pools/voila.json" in line
    )
    printf = write.split(" > ")[0]
    written = subprocess.run(
        ["sh", "-c", printf], capture_output=True, text=True, check=True
    ).stdout
    pools = json.loads(written)["VoilaKernelManager"]["kernel_pools_config"]
    assert pools == {"default": {"pool_size": 2}, "self_benchmark.ipynb": {"pool_size": 25}}


def test_make_app_trusts_the_served_notebooks(tmp_path):
    trust = next(line for line in app_commands() if "jupyter trust" in line)
    env = {**os.environ, "JUPYTER_DATA_DIR": str(tmp_path)}
    command = trust.replace(".venv/bin/jupyter", str(Path(sys.executable).parent / "jupyter"))
    subprocess.run(["sh", "-c", command], cwd=ROOT, env=env, check=True)
    notary = NotebookNotary(data_dir=str(tmp_path))
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        assert notary.check_signature(notebook), path.name
    assert "jupyter trust notebooks/*.ipynb" in (ROOT / "binder" / "postBuild").read_text()


def test_project_license_is_an_spdx_string():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    # setuptools 77+ warns about the table form ({ text = "MIT" }) on every install
    assert project["license"] == "MIT"
