"""The dependency lists: pyproject.toml is the source, the others are generated or checked.

environment.yml and binder/environment.yml are written by tools/sync_environments.py; the
Dockerfile's extra packages must carry pyproject.toml's version limits.
"""

import importlib.util
import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location(
    "sync_environments", ROOT / "tools" / "sync_environments.py"
)
assert _spec and _spec.loader
sync = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sync)


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_environment_files_are_generated_from_pyproject():
    assert sync.stale() == [], "run: python tools/sync_environments.py"


def test_environment_yml_lists_every_declared_package():
    project = _project()
    declared = project["dependencies"] + project["optional-dependencies"]["test"]
    conda = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))["dependencies"]
    listed = [item for item in conda if isinstance(item, str)]
    assert listed[:2] == ["python=3.11", "pip"]
    assert listed[2:] == [sync.conda_spec(item) for item in declared]
    assert {"pip": ["-e ."]} in conda


def test_binder_lists_only_the_apps_packages():
    binder = yaml.safe_load((ROOT / "binder" / "environment.yml").read_text(encoding="utf-8"))
    assert binder["dependencies"][2:] == [
        sync.conda_spec(item) for item in _project()["dependencies"]
    ]


def test_conda_spec_drops_extras_and_keeps_versions():
    assert sync.conda_spec("psycopg[binary]>=3.1") == "psycopg>=3.1"
    assert sync.conda_spec("types-PyYAML >= 6.0") == "types-pyyaml>=6.0"


def test_test_only_packages_are_not_runtime_dependencies():
    runtime = {sync.conda_spec(item).split(">")[0] for item in _project()["dependencies"]}
    assert not runtime & {"nbval", "pytest", "playwright", "hypothesis", "ruff", "mypy"}


def test_dockerfile_packages_carry_pyprojects_limits():
    project = _project()
    declared = {
        re.split(r"[<>=!~\[]", item, maxsplit=1)[0].lower(): item
        for item in project["dependencies"] + project["optional-dependencies"]["test"]
    }
    dockerfile = (ROOT / "deploy" / "jupyterhub" / "Dockerfile").read_text(encoding="utf-8")
    quoted = re.findall(r'"([A-Za-z][^"\s]*[<>=][^"\s]*)"', dockerfile)
    assert quoted, "expected the Dockerfile to pip install quoted requirements"
    for requirement in quoted:
        name = re.split(r"[<>=!~\[]", requirement, maxsplit=1)[0].lower()
        if name == "jupyterhub":  # pinned to the Hub's version there, not a toolkit dependency
            continue
        assert declared.get(name) == requirement, f"Dockerfile: {requirement} vs pyproject.toml"


def test_environment_python_matches_requires_python():
    assert _project()["requires-python"] == f">={sync.PYTHON}"
