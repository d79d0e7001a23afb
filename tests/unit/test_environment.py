"""environment.yml (conda, Binder) must list the same packages as pyproject.toml."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _normalise(requirement: str) -> tuple[str, str]:
    requirement = requirement.replace(" ", "")
    match = re.match(r"^([A-Za-z0-9_.\-]+)(\[[^\]]*\])?(.*)$", requirement)
    assert match, requirement
    name = match.group(1).lower().replace("_", "-")
    return name, match.group(3)


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = project["dependencies"] + project["optional-dependencies"]["test"]
    conda = yaml.safe_load((ROOT / "environment.yml").read_text())["dependencies"]
    listed = [
        item for item in conda if isinstance(item, str) and not item.startswith(("python=", "pip"))
    ]
    assert sorted(map(_normalise, declared)) == sorted(map(_normalise, listed))


def test_environment_python_matches_requires_python():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    conda = yaml.safe_load((ROOT / "environment.yml").read_text())["dependencies"]
    assert "python=3.11" in conda
    assert project["requires-python"] == ">=3.11"
