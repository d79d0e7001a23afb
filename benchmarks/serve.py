"""Start the toolkit's server for a benchmark, as ``make app`` starts it.

``python -m toolkit.serving`` (Voila with the repository's voila.json) on a folder of
notebooks, with the toolkit's page templates on ``JUPYTER_PATH`` and its own data folder,
so a benchmark never touches a person's saved entries or the shared store.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def server_env(data_home: Path) -> dict[str, str]:
    """The environment of a benchmark's server: this one, with its own data folder and no shared store."""
    env = {
        **os.environ,
        "JUPYTER_PATH": str(ROOT / "share" / "jupyter"),
        "TOOLKIT_DATA_HOME": str(data_home),
    }
    env.pop("TOOLKIT_DATABASE_URL", None)
    return env


def start_server(
    folder: Path,
    data_home: Path,
    port: int,
    extra: Sequence[str] = (),
    module: str = "toolkit.serving",
    **popen: Any,
) -> subprocess.Popen:
    """``python -m toolkit.serving FOLDER --port=PORT`` plus ``extra`` settings; output discarded unless given."""
    popen.setdefault("stdout", subprocess.DEVNULL)
    popen.setdefault("stderr", subprocess.DEVNULL)
    command = [sys.executable, "-m", module, str(folder), f"--port={port}", "--no-browser", *extra]
    return subprocess.Popen(command, cwd=ROOT, env=server_env(data_home), **popen)
