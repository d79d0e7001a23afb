"""The data request template: the study's reduced data request as one row per service.

A note on every header, a fictional example row, data validation, a Lists sheet
and a Notes sheet (seed 004, Appendix 5). The words come from
``data/data_request.yaml`` through :mod:`toolkit.present.sheets.columns`.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import os
import tempfile
from pathlib import Path
from typing import Any

from toolkit.content.paths import data_dir
from toolkit.domain.bands import read_rows
from toolkit.domain.record import FIELD_LABELS
from toolkit.network.private import private_data_home, private_folder
from toolkit.present.sheets.columns import EXAMPLE_ROW, TEMPLATE_FIELDS

CACHE_FOLDER = "cache"


def support_model_labels() -> list[str]:
    """The support model names offered in the template (data/support_models.csv)."""
    return [row["label"] for row in read_rows(data_dir() / "support_models.csv")]


def template_rows() -> tuple[list[str], list[Any]]:
    """The header row and the example row of the template."""
    headers = [FIELD_LABELS[name] for name in TEMPLATE_FIELDS]
    example = [EXAMPLE_ROW.get(name) for name in TEMPLATE_FIELDS]
    return headers, example


def template_csv() -> bytes:
    """The template as CSV (UTF-8 with a byte order mark, so Excel shows the \u00a3 sign)."""
    headers, example = template_rows()
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerow(["" if value is None else value for value in example])
    return buffer.getvalue().encode("utf-8-sig")


def _template_key() -> str:
    """What the workbook is built from: the data files and the code that writes it."""
    digest = hashlib.sha256()
    sources = sorted(path for path in data_dir().iterdir() if path.is_file())
    sources += sorted(Path(__file__).parent.glob("*.py"))
    for path in sources:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:24]


def _cache_path() -> Path:
    return private_data_home(create=False) / CACHE_FOLDER / f"template-{_template_key()}.xlsx"


def template_xlsx() -> bytes:
    """The template workbook: Services (headers with notes, example, validation), Notes, Lists.

    Built once per data home and kept in its ``cache`` folder, so an app opening the
    download link does not load openpyxl (about 20 MB per kernel). When the folder cannot
    be written, the workbook is built each time.
    """
    path = _cache_path()
    with contextlib.suppress(OSError):
        return path.read_bytes()
    # Imported here, not at the top: it loads openpyxl and numpy, needed only without a cache.
    from toolkit.present.sheets.template_book import build_template_xlsx

    content = build_template_xlsx()
    with contextlib.suppress(OSError):
        private_folder(path.parent)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.replace(temporary, path)  # atomic: a kernel reading at once sees all or nothing
    return content


def write_template(path: str | Path) -> Path:
    """Write the template to ``path`` (.xlsx or .csv, by its extension)."""
    path = Path(path)
    extension = path.suffix.lower()
    if extension == ".xlsx":
        path.write_bytes(template_xlsx())
    elif extension == ".csv":
        path.write_bytes(template_csv())
    else:
        raise ValueError(f"{path.name}: the template can be written as .xlsx or .csv")
    return path
