"""Learning networks: the store (SQLAlchemy + Alembic) and pooled sessions with disclosure control."""
