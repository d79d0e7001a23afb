"""One way to read the toolkit's YAML files in ``data/`` and ``workbook/``, with one error style."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from toolkit.content.errors import DataFileError

ModelT = TypeVar("ModelT", bound=BaseModel)


def read_yaml(path: Path, model: type[ModelT]) -> ModelT:
    """Read a YAML file and validate it; an error names the file and the key."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DataFileError(f"{path.name}: could not be read ({exc})") from None
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        error = exc.errors()[0]
        key = ".".join(str(part) for part in error["loc"]) or "(top level)"
        raise DataFileError(f"{path.name}, key '{key}': {error['msg']}") from None
