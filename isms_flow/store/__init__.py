"""Adapters to storage: the database (SQLAlchemy), the event log and the evidence vault."""

__all__: list[str] = []
