"""Write environment.yml and binder/environment.yml from pyproject.toml (the one dependency list).

    python tools/sync_environments.py           # rewrite both files
    python tools/sync_environments.py --check   # exit 1 if either is out of date

pyproject.toml is the source: ``[project] dependencies`` (the apps) and the ``test`` extra.
environment.yml (conda users) lists both and installs the toolkit itself with pip; Binder's copy
lists the apps' packages only (nobody runs the tests there) and binder/postBuild installs the
toolkit. tests/unit/test_environment.py runs the check.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = "3.11"

#: conda-forge names that differ from the PyPI name (after lower-casing, extras dropped).
CONDA_NAMES: dict[str, str] = {}

_HEADER = """\
# GENERATED from pyproject.toml by tools/sync_environments.py: do not edit by hand.
# Change pyproject.toml, then run: python tools/sync_environments.py
"""
_ROOT_NOTE = """\
# For conda users: the apps' packages and the test tools, then the toolkit itself (editable).
"""
_BINDER_NOTE = """\
# Binder reads only this folder once it exists. The apps' packages only; binder/postBuild
# installs the toolkit itself from the repository root.
"""


def conda_spec(requirement: str) -> str:
    """A PyPI requirement as a conda-forge spec: lower-case name, no extras, same versions."""
    match = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)\s*(\[[^\]]*\])?\s*(.*?)\s*", requirement)
    if not match:
        raise ValueError(f"pyproject.toml: cannot read the requirement '{requirement}'")
    name = match.group(1).lower().replace("_", "-")
    return CONDA_NAMES.get(name, name) + match.group(3).replace(" ", "")


def _requirements() -> tuple[list[str], list[str]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    if project["requires-python"] != f">={PYTHON}":
        raise ValueError(f"pyproject.toml: requires-python is not '>={PYTHON}'; update PYTHON")
    return project["dependencies"], project["optional-dependencies"]["test"]


def _listing(title: str, requirements: list[str]) -> str:
    lines = "".join(f"  - {conda_spec(item)}\n" for item in requirements)
    return f"  # {title}\n{lines}"


def render(binder: bool) -> str:
    """The text of environment.yml (or, with ``binder``, binder/environment.yml)."""
    runtime, test = _requirements()
    text = _HEADER + (_BINDER_NOTE if binder else _ROOT_NOTE)
    text += "name: employment-support-toolkit\nchannels:\n  - conda-forge\ndependencies:\n"
    text += f"  - python={PYTHON}\n  - pip\n"
    text += _listing("the apps (pyproject.toml [project] dependencies)", runtime)
    if not binder:
        text += _listing("tests (pyproject.toml [project.optional-dependencies] test)", test)
        text += "  - pip:\n      - -e .\n"
    return text


TARGETS = {ROOT / "environment.yml": False, ROOT / "binder" / "environment.yml": True}


def stale() -> list[Path]:
    """The generated files whose text differs from what pyproject.toml gives."""
    return [
        path
        for path, binder in TARGETS.items()
        if not path.is_file() or path.read_text(encoding="utf-8") != render(binder)
    ]


def main(argv: list[str]) -> int:
    if argv == ["--check"]:
        out_of_date = stale()
        for path in out_of_date:
            print(f"{path.relative_to(ROOT)} is out of date: run python tools/sync_environments.py")
        return 1 if out_of_date else 0
    if argv:
        print(__doc__)
        return 2
    for path, binder in TARGETS.items():
        path.write_text(render(binder), encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
