"""Learning-network sessions (kept so older imports work): see the modules named below.

* :mod:`toolkit.network.codes`: session codes;
* :mod:`toolkit.network.disclosure`: disclosure control (pure);
* :mod:`toolkit.network.summary`: a session's summary (:class:`SessionSummary`);
* :mod:`toolkit.network.pack`: the session pack writer.
"""

from toolkit.network.codes import (
    CODE_ALPHABET,
    CODE_EXAMPLE,
    CODE_LENGTH,
    format_code,
    new_session_code,
    normalise_code,
)
from toolkit.network.disclosure import COMPONENTS, COUNT_KEYS, LABELS, hidden_counts
from toolkit.network.pack import NOT_DEFINED, NOT_SHOWN, POOLED_ROW, session_pack_bytes
from toolkit.network.summary import (
    ANONYMOUS_NAME,
    SessionInfo,
    SessionSummary,
    Submission,
    anonymous_label,
    shown_names,
    summarise,
)

__all__ = [
    "ANONYMOUS_NAME",
    "CODE_ALPHABET",
    "CODE_EXAMPLE",
    "CODE_LENGTH",
    "COMPONENTS",
    "COUNT_KEYS",
    "LABELS",
    "NOT_DEFINED",
    "NOT_SHOWN",
    "POOLED_ROW",
    "SessionInfo",
    "SessionSummary",
    "Submission",
    "anonymous_label",
    "format_code",
    "hidden_counts",
    "new_session_code",
    "normalise_code",
    "session_pack_bytes",
    "shown_names",
    "summarise",
]
