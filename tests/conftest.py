"""Settings for every test run.

Each run gets its own data folder (``TOOLKIT_DATA_HOME``), unless the caller set one:
its store, and the socket of the chart process that its tests start, so tests never
draw through the chart process of a server someone is running from this checkout.
That chart process watches this pytest process (``TOOLKIT_SERVER_PID``) and stops
when the run ends. Browser tests start their servers with data folders of their own.
"""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest

_CREATED: list[str] = []


def pytest_configure(config: pytest.Config) -> None:
    if not os.environ.get("TOOLKIT_DATA_HOME"):
        folder = tempfile.mkdtemp(prefix="toolkit-tests-")
        _CREATED.append(folder)
        os.environ["TOOLKIT_DATA_HOME"] = folder
    os.environ.setdefault("TOOLKIT_SERVER_PID", str(os.getpid()))


def pytest_unconfigure(config: pytest.Config) -> None:
    for folder in _CREATED:
        shutil.rmtree(folder, ignore_errors=True)
