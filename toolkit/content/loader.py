"""One way to read the toolkit's content files (``data/`` and ``workbook/``), with one error style.

Every fault is a :class:`ContentError`: a configuration fault in the installation, never a fault
in what a user typed. It is deliberately not a ``ValueError``, so a check on a user's field (a
pydantic validator that reads the rules, say) lets it through instead of reporting it against
that field. Each message names the file, the row or key, and what is expected::

    bands.csv, row 3, column 'low': must be no more than the mean (found '2000')
    rules.yaml, key 'validation.max_name_length': Field required
    rules.yaml: could not be read ([Errno 2] No such file or directory)
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from toolkit.content.paths import override_note

ModelT = TypeVar("ModelT", bound=BaseModel)


class ContentError(Exception):
    """A content file is missing or holds something the toolkit cannot use (a set-up fault).

    ``problems`` holds one message per fault, each naming the file and the row or key.
    """

    #: How a message listing several problems names the content they are in.
    content = "the toolkit's content files"

    def __init__(self, problems: str | Iterable[str]):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        if len(self.problems) == 1:
            message = self.problems[0]
        else:
            listed = "\n".join(f"- {problem}" for problem in self.problems)
            message = f"{len(self.problems)} problems in {self.content}:\n{listed}"
        super().__init__(message)


class DataFileError(ContentError):
    """A reference file in ``data/`` is missing, or a row or key in it is not what is expected."""


def _unreadable(path: Path, exc: Exception) -> str:
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return f"{path.name}: could not be read ({reason}){override_note(path)}"


def read_rows(path: Path) -> list[dict[str, str]]:
    """Rows of a CSV file as dictionaries (header row first); :class:`DataFileError` if unreadable."""
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            return list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise DataFileError(_unreadable(path, exc)) from None


def validated_rows(model: type[ModelT], path: Path) -> list[ModelT]:
    """Each row of a CSV file validated as ``model``; the first bad row names its number and column.

    Row numbers are as a spreadsheet shows them (the header is row 1).
    """
    items: list[ModelT] = []
    for number, row in enumerate(read_rows(path), start=2):
        try:
            items.append(model.model_validate(row))
        except ValidationError as exc:
            error = exc.errors()[0]
            column = ".".join(str(part) for part in error["loc"])
            message = str(error["msg"]).removeprefix("Value error, ")
            where = f"row {number}, column '{column}'" if column else f"row {number}"
            found = f" (found '{row[column]}')" if column in row else ""
            raise DataFileError(f"{path.name}, {where}: {message}{found}") from None
    return items


def read_yaml(path: Path) -> Any:
    """A YAML file's contents; :class:`DataFileError` if it is missing or not valid YAML."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise DataFileError(_unreadable(path, exc)) from None


def validated_yaml(model: type[ModelT], path: Path) -> ModelT:
    """A YAML file validated as ``model``; the first fault names its key."""
    raw = read_yaml(path)
    try:
        return model.model_validate(raw if raw is not None else {})
    except ValidationError as exc:
        error = exc.errors()[0]
        key = ".".join(str(part) for part in error["loc"]) or "(the whole file)"
        message = str(error["msg"]).removeprefix("Value error, ")
        raise DataFileError(f"{path.name}, key '{key}': {message}") from None
