"""Alembic migrations of the toolkit's store (run by ``toolkit.store.Store`` on opening)."""
