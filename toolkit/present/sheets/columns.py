"""The template's columns: fields, notes, accepted headers and the example row.

The words live in ``data/data_request.yaml`` (read through
:mod:`toolkit.content.data_request`); this module arranges them for the
reader, the template and the export.
"""

from __future__ import annotations

from typing import Any

from toolkit.content.data_request import ColumnNote, load_data_request, normalise_header
from toolkit.domain.record import CLIENT_GROUP_LABELS, FIELD_LABELS, ClientGroup

#: Template columns, in the order of the record's fields.
TEMPLATE_FIELDS: tuple[str, ...] = tuple(FIELD_LABELS)

#: The name that marks the template's example row; the importer skips such a row.
EXAMPLE_NAME = "EXAMPLE \u2013 fictional service, delete this row"

_REQUEST = load_data_request()


def _example_row() -> dict[str, Any]:
    row: dict[str, Any] = {"name": EXAMPLE_NAME, **_REQUEST.example_row}
    if row.get("client_group"):
        row["client_group"] = CLIENT_GROUP_LABELS[ClientGroup(row["client_group"])]
    return row


#: The fictional example row (not study figures).
EXAMPLE_ROW: dict[str, Any] = _example_row()

#: What to enter in each column (client groups filled in).
COLUMN_NOTES: dict[str, ColumnNote] = {
    name: _REQUEST.columns[name].model_copy(update={"what": _REQUEST.what(name)})
    for name in TEMPLATE_FIELDS
}

#: Other headers accepted for each field (besides its label and its field name).
HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    name: note.other_headers for name, note in COLUMN_NOTES.items() if note.other_headers
}

#: Headers that could mean more than one field: reported as a problem, never guessed.
AMBIGUOUS_HEADERS: dict[str, tuple[str, ...]] = dict(_REQUEST.ambiguous_headers)

#: Each accepted header, normalised, and the field it means (checked unique on load).
HEADER_INDEX: dict[str, str] = {
    normalise_header(header): name
    for name in TEMPLATE_FIELDS
    for header in (FIELD_LABELS[name], name, *HEADER_SYNONYMS.get(name, ()))
}
AMBIGUOUS_INDEX = {normalise_header(header): fields for header, fields in AMBIGUOUS_HEADERS.items()}

TEXT_FIELDS = ("name", "client_group", "support_model", "year")

#: What a spreadsheet would run as a formula at the start of a cell.
INERT_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def inert(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe; numbers pass.

    Cells beginning with = + - @ tab or carriage return are prefixed with ``'`` (the OWASP
    advice for CSV injection). Only text is changed: a negative number stays a number.
    """
    if isinstance(value, str) and value.startswith(INERT_PREFIXES):
        return "'" + value
    return value
