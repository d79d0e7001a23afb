"""Work done once when the server starts, so that no app kernel has to do it (or load its libraries).

The data request template workbook is built with openpyxl (and numpy, which openpyxl
loads): about 30 MB in whichever process builds it. Built here, in a short-lived
process of its own, every kernel reads the cached file instead
(:func:`toolkit.present.sheets.template.template_xlsx`).
"""

from __future__ import annotations

import subprocess
import sys

from toolkit.charts.client import clean_environment

BUILD_TEMPLATE = "from toolkit.present.sheets.template import template_xlsx; template_xlsx()"
TIMEOUT_S = 120


def cache_template() -> bool:
    """Build the template's cached copy in a separate process; True when that worked.

    A failure is not fatal: the first kernel that needs the file builds it instead.
    """
    try:
        done = subprocess.run(
            [sys.executable, "-c", BUILD_TEMPLATE],
            env=clean_environment(),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0
