"""``python -m toolkit.serving notebooks/``: what ``make app`` runs."""

import sys

from toolkit.serving.server import main

sys.exit(main())
