"""The one error style for the toolkit's own files in ``data/`` and ``workbook/``."""

from __future__ import annotations


class DataFileError(ValueError):
    """A reference file is missing, or a row in it is not what the toolkit expects.

    This is a fault in the installation's files, never in what a user typed: the
    message names the file and the row, column or key.
    """
