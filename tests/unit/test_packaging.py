"""pyproject.toml installs every package in toolkit/ and the content folders inside the package."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SETUPTOOLS = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
    "setuptools"
]


def test_every_toolkit_package_is_listed() -> None:
    found = {
        ".".join(path.parent.relative_to(ROOT).parts)
        for path in (ROOT / "toolkit").rglob("__init__.py")
        if "__pycache__" not in path.parts
    }
    listed = set(SETUPTOOLS["packages"])
    missing = sorted(found - listed)
    assert not missing, f"add to [tool.setuptools] packages in pyproject.toml: {missing}"


def test_content_folders_install_inside_the_package() -> None:
    assert SETUPTOOLS["package-dir"] == {
        "toolkit.data": "data",
        "toolkit.workbook_content": "workbook",
    }
    for package, folder in SETUPTOOLS["package-dir"].items():
        assert package in SETUPTOOLS["packages"]
        assert (ROOT / folder / "__init__.py").is_file()
        patterns = SETUPTOOLS["package-data"][package]
        shipped = {path.name for pattern in patterns for path in (ROOT / folder).glob(pattern)}
        content = {p.name for p in (ROOT / folder).iterdir() if p.suffix in {".csv", ".yaml"}}
        assert content <= shipped, f"{folder}/ files not shipped: {sorted(content - shipped)}"
