"""Where the toolkit finds its reference data and workbook content.

The CSV and YAML files live at the top of the repository (``data/`` and ``workbook/``), where
analysts read and review them beside the code. Installing the toolkit puts them inside the
package as ``toolkit.data`` and ``toolkit.workbook_content`` (the ``package-dir`` mapping in
``pyproject.toml``), so they are read through :mod:`importlib.resources` in an editable install
(``pip install -e .``, which reads the repository's folders) and from a wheel alike.

Set ``TOOLKIT_DATA_DIR`` or ``TOOLKIT_WORKBOOK_DIR`` to read another folder instead.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

#: The installed packages holding ``data/`` and ``workbook/``.
DATA_PACKAGE = "toolkit.data"
WORKBOOK_PACKAGE = "toolkit.workbook_content"
DATA_ENV = "TOOLKIT_DATA_DIR"
WORKBOOK_ENV = "TOOLKIT_WORKBOOK_DIR"


def _package_folder(package: str) -> Path:
    # A regular package on disk (editable or wheel) is a pathlib.Path; the toolkit is never
    # imported from a zip file, so Path(str(...)) only narrows the type for callers.
    return Path(str(resources.files(package)))


def data_dir() -> Path:
    """Folder holding the benchmark tables (``data/``), or ``TOOLKIT_DATA_DIR`` when set."""
    override = os.environ.get(DATA_ENV)
    return Path(override) if override else _package_folder(DATA_PACKAGE)


def workbook_dir() -> Path:
    """Folder holding the workbook content (``workbook/``), or ``TOOLKIT_WORKBOOK_DIR`` when set."""
    override = os.environ.get(WORKBOOK_ENV)
    return Path(override) if override else _package_folder(WORKBOOK_PACKAGE)


def override_note(path: Path) -> str:
    """Words to add to an error about ``path`` when it was read from an overriding folder."""
    for variable in (DATA_ENV, WORKBOOK_ENV):
        value = os.environ.get(variable)
        if value and Path(value) in (path, *path.parents):
            return f"; {variable} is set to {value}"
    return ""
