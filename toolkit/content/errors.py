"""The one error style for the toolkit's own files in ``data/`` and ``workbook/``.

Defined in :mod:`toolkit.content.loader` (one loader, one error style); named here too
for modules that only need the error.
"""

from toolkit.content.loader import ContentError, DataFileError

__all__ = ["ContentError", "DataFileError"]
