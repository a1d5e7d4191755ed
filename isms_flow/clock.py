"""Time is injected: domain code asks a Clock, never `datetime.now()`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol

__all__ = ["Clock", "FrozenClock", "SystemClock", "ensure_utc"]


class Clock(Protocol):
    """Tells the current instant as an aware UTC datetime."""

    def now(self) -> datetime: ...


class SystemClock:
    """The real clock."""

    def now(self) -> datetime:
        """Return the current instant in UTC."""
        return datetime.now(UTC)


@dataclass
class FrozenClock:
    """A clock that only moves when told to; for tests and simulations."""

    current: datetime = field(default_factory=lambda: datetime(2026, 1, 1, tzinfo=UTC))

    def __post_init__(self) -> None:
        self.current = ensure_utc(self.current)

    def now(self) -> datetime:
        """Return the frozen instant."""
        return self.current

    def advance(self, delta: timedelta) -> None:
        """Move the clock forward by `delta`."""
        self.current += delta


def ensure_utc(moment: datetime) -> datetime:
    """Return `moment` in UTC; a naive datetime is refused because its zone is a guess."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime {moment.isoformat()} has no time zone")
    return moment.astimezone(UTC)
