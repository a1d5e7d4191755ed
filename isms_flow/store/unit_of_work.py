"""One transaction per use case; rolled back unless `commit()` is called."""

from __future__ import annotations

from collections.abc import Mapping
from types import TracebackType
from typing import Any

from sqlalchemy import CursorResult, Executable
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from isms_flow.errors import ConflictError

__all__ = ["CONFLICT_TEXT", "UnitOfWork", "conflicts_mapped"]

CONFLICT_TEXT = "changed concurrently by someone else; nothing was saved — reload and try again"
_CONFLICT = CONFLICT_TEXT


class UnitOfWork:
    """A session in a transaction; safe by default: leaving without commit rolls back."""

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._session_factory = session_factory
        self._session: Session | None = None

    @property
    def session(self) -> Session:
        """The session of the open unit of work."""
        if self._session is None:
            raise RuntimeError("unit of work used outside `with`")
        return self._session

    def __enter__(self) -> UnitOfWork:
        self._session = self._session_factory()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        session = self.session
        try:
            session.rollback()
        finally:
            session.close()
            self._session = None

    def flush(self) -> None:
        """Write pending changes now, so a stale version fails before anything else is done."""
        with _conflicts_mapped():
            self.session.flush()

    def execute_write(self, statement: Executable, params: Mapping[str, Any]) -> CursorResult[Any]:
        """Run one write statement now; a lost race becomes a ConflictError."""
        with _conflicts_mapped():
            # Core on the session's connection (same transaction), without the ORM layer.
            return self.session.connection().execute(statement, dict(params))

    def commit(self) -> None:
        """Commit; a lost race becomes a ConflictError and nothing is kept."""
        with _conflicts_mapped():
            self.session.commit()


class _conflicts_mapped:  # noqa: N801 - used as a context manager, reads like a phrase
    """Turn a lost race (stale version, lock, duplicate key) into a ConflictError."""

    def __enter__(self) -> None:
        return None

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if exc is None:
            return
        if isinstance(exc, StaleDataError):
            raise ConflictError(f"the project was {_CONFLICT}") from None
        if isinstance(exc, OperationalError) and _is_lock_error(exc):
            raise ConflictError(f"the database was {_CONFLICT}") from None
        if isinstance(exc, IntegrityError):
            # Services check uniqueness first; what still collides here lost a race, e.g. two
            # writers taking the same history sequence number.
            raise ConflictError(f"the data was {_CONFLICT}") from None


def _is_lock_error(error: OperationalError) -> bool:
    text = str(error.orig).lower()
    return "locked" in text or "busy" in text or "could not serialize" in text


conflicts_mapped = _conflicts_mapped
