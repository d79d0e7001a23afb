"""Where the toolkit finds its reference data and workbook content.

The CSV and YAML files live at the top of the repository (``data/`` and
``workbook/``) so that analysts can read and review them beside the code. Set
``TOOLKIT_DATA_DIR`` or ``TOOLKIT_WORKBOOK_DIR`` to point elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent.parent


def data_dir() -> Path:
    """Folder holding the benchmark tables (``data/``)."""
    return Path(os.environ.get("TOOLKIT_DATA_DIR", REPO_ROOT / "data"))


def workbook_dir() -> Path:
    """Folder holding the commissioning-question content (``workbook/``)."""
    return Path(os.environ.get("TOOLKIT_WORKBOOK_DIR", REPO_ROOT / "workbook"))
