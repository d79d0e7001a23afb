"""``python -m toolkit.serving notebooks/``: what ``make app`` runs."""

from toolkit.serving.server import main

main()
