"""The toolkit's data folder and database file, readable by their owner only.

Whichever process gets there first (an app kernel opening the store, the chart
process making its ``run`` folder, the CLI), the folders are made 0700 and the
SQLite file 0600, and existing ones are tightened to those modes.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from platformdirs import user_data_dir

APP_NAME = "employment-support-toolkit"
FOLDER_MODE = 0o700
FILE_MODE = 0o600


def private_folder(folder: Path) -> Path:
    """``folder`` (and any parents it needs) created 0700; an existing one tightened to 0700."""
    missing = []
    probe = folder
    while not probe.exists():
        missing.append(probe)
        probe = probe.parent
    for each in reversed(missing):
        with contextlib.suppress(FileExistsError):  # another process made it meanwhile
            each.mkdir(mode=FOLDER_MODE)
        os.chmod(each, FOLDER_MODE)  # mkdir's mode is cut by the umask
    if folder.stat().st_mode & 0o777 != FOLDER_MODE:
        with contextlib.suppress(PermissionError):  # not ours (a shared folder): leave it
            os.chmod(folder, FOLDER_MODE)
    return folder


def private_file(path: Path) -> Path:
    """``path`` created (empty) 0600 if missing, and any SQLite side files tightened to 0600."""
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, FILE_MODE)
    os.close(descriptor)
    for each in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        if each.exists():
            with contextlib.suppress(PermissionError):
                os.chmod(each, FILE_MODE)
    return path


def private_data_home(create: bool = True) -> Path:
    """``TOOLKIT_DATA_HOME``, else the per-user data folder; made private when ``create``."""
    override = os.environ.get("TOOLKIT_DATA_HOME")
    folder = Path(override) if override else Path(user_data_dir(APP_NAME, appauthor=False))
    return private_folder(folder) if create else folder
