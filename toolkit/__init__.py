"""Employment support benchmarking toolkit.

Pure logic for commissioners' figures: the service record, the measures, the
published bands from the NDTi study and the comparison with them. Widgets live
in :mod:`toolkit.ui`; nothing here does I/O at import time.
"""

__version__ = "0.1.0"
