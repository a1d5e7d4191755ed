"""Alembic migrations of the isms-flow schema."""
