"""Spreadsheets in and out, in one import (the code is in :mod:`toolkit.present.sheets`).

* :func:`write_template` writes the study's reduced data request (seed 004,
  Appendix 5) as one row per service (:mod:`toolkit.present.sheets.template`).
* :func:`read_services` reads that template, or a reasonable variation of it,
  from .xlsx or .csv (:mod:`toolkit.present.sheets.read`).
* :func:`export_results` / :func:`export_bytes` write services with their
  measures and comparisons to CSV or Excel (:mod:`toolkit.present.sheets.export`).
"""

from __future__ import annotations

from toolkit.present.sheets.columns import (
    AMBIGUOUS_HEADERS,
    COLUMN_NOTES,
    EXAMPLE_NAME,
    EXAMPLE_ROW,
    HEADER_INDEX,
    HEADER_SYNONYMS,
    TEMPLATE_FIELDS,
    ColumnNote,
    inert,
    normalise_header,
)
from toolkit.present.sheets.export import ExportColumn, export_bytes, export_results, export_table
from toolkit.present.sheets.read import (
    CellProblem,
    ImportResult,
    SpreadsheetRefused,
    read_services,
    records_of,
)
from toolkit.present.sheets.template import (
    support_model_labels,
    template_csv,
    template_rows,
    template_xlsx,
    write_template,
)

__all__ = [
    "AMBIGUOUS_HEADERS",
    "COLUMN_NOTES",
    "EXAMPLE_NAME",
    "EXAMPLE_ROW",
    "HEADER_INDEX",
    "HEADER_SYNONYMS",
    "TEMPLATE_FIELDS",
    "CellProblem",
    "ColumnNote",
    "ExportColumn",
    "ImportResult",
    "SpreadsheetRefused",
    "export_bytes",
    "export_results",
    "export_table",
    "inert",
    "normalise_header",
    "read_services",
    "records_of",
    "support_model_labels",
    "template_csv",
    "template_rows",
    "template_xlsx",
    "write_template",
]
