"""Alembic migrations of the toolkit's store (run by ``toolkit.network.store.Store`` on opening)."""
