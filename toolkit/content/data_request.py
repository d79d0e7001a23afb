"""The data request: each template column's note and the headers the importer accepts.

Read from ``data/data_request.yaml`` (seed 004, Appendices 4 and 5) and
validated on load: every field of the service record has a column, and no
header is listed for two fields or is both a synonym and ambiguous.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from toolkit.content.loader import validated_yaml
from toolkit.content.paths import data_dir
from toolkit.content.sources import cite
from toolkit.domain.record import CLIENT_GROUP_LABELS, FIELD_LABELS, ClientGroup

_UNIT_IN_BRACKETS = re.compile(r"\((?:gbp|pounds?|number|no\.?|people|count|#)\)", re.IGNORECASE)


def normalise_header(text: object) -> str:
    """A header reduced to lower-case letters and digits, units in brackets dropped."""
    cleaned = _UNIT_IN_BRACKETS.sub("", str(text).casefold())
    return re.sub(r"[^0-9a-z]", "", cleaned)


class ColumnNote(BaseModel):
    """What to enter in one template column, in what unit, and where the study asked for it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    required: bool
    what: str
    unit: str
    source: str
    other_headers: tuple[str, ...] = ()

    @field_validator("source", mode="before")
    @classmethod
    def _cited(cls, value: object) -> object:
        """``{document, where, before}``: the document cited from the register of sources."""
        if not isinstance(value, dict):
            return value
        text = cite(str(value.get("document", "")), str(value.get("where", "")))
        before = str(value.get("before", "")).strip()
        return f"{before}: {text}" if before else text


class DataRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    example_row: dict[str, str | int | float | None]
    columns: dict[str, ColumnNote]
    ambiguous_headers: dict[str, tuple[str, ...]]

    @model_validator(mode="after")
    def _consistent(self) -> DataRequest:
        missing = [name for name in FIELD_LABELS if name not in self.columns]
        unknown = [name for name in self.columns if name not in FIELD_LABELS]
        if missing or unknown:
            raise ValueError(
                f"columns must be the record's fields: missing {missing or 'none'}, "
                f"unknown {unknown or 'none'}"
            )
        index: dict[str, str] = {}
        for name, note in self.columns.items():
            for header in (FIELD_LABELS[name], name, *note.other_headers):
                if index.setdefault(normalise_header(header), name) != name:
                    raise ValueError(f"header '{header}' is listed for two fields")
        for header, fields in self.ambiguous_headers.items():
            if normalise_header(header) in index:
                raise ValueError(f"header '{header}' is both ambiguous and a synonym")
            if unknown_fields := [f for f in fields if f not in FIELD_LABELS]:
                raise ValueError(
                    f"ambiguous header '{header}' names unknown fields {unknown_fields}"
                )
        group = self.example_row.get("client_group") or "other"
        if not isinstance(group, str):
            raise ValueError(f"{group!r} is not a valid {ClientGroup.__name__}")
        ClientGroup(group)
        return self

    def what(self, name: str) -> str:
        """The column's note, with the client groups filled in."""
        groups = ", ".join(CLIENT_GROUP_LABELS.values())
        return self.columns[name].what.replace("{client_groups}", groups)


@lru_cache(maxsize=2)
def load_data_request(path: Path | None = None) -> DataRequest:
    """Read and validate ``data/data_request.yaml``."""
    return validated_yaml(DataRequest, path or data_dir() / "data_request.yaml")
