"""Retrying a unit of work that lost a race to a write that did not concern it.

SQLite lets one writer in at a time and PostgreSQL numbers history rows one after another, so
two changes to *different* projects at the same moment collide although neither contradicts
the other. Such a change is simply run again. A change judged on a project's state (an
advance, an override) pins the version it read: if that project itself moved meanwhile, the
conflict is real and is reported, never retried.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from isms_flow.errors import ConflictError

__all__ = ["ATTEMPTS", "VersionPin", "retry_on_conflict"]

T = TypeVar("T")
ATTEMPTS = 6


@dataclass
class VersionPin:
    """The project version the first attempt judged; later attempts must find the same."""

    version: int | None = None
    moved: bool = False

    def check(self, current: int) -> None:
        """Record the version on the first attempt; refuse if it changed since."""
        if self.version is None:
            self.version = current
        elif current != self.version:
            self.moved = True
            raise ConflictError(
                "the project was changed concurrently by someone else; nothing was saved — "
                "check `project status` and try again"
            )


def retry_on_conflict(attempt: Callable[[VersionPin], T], *, attempts: int = ATTEMPTS) -> T:
    """Run `attempt` until it commits; retry a lost race unless the pinned project moved."""
    pin = VersionPin()
    for number in range(1, attempts + 1):
        try:
            return attempt(pin)
        except ConflictError:
            if pin.moved or number == attempts:
                raise
            # Back off a little, with jitter, so two retrying writers do not collide again.
            time.sleep(random.uniform(0.005, 0.02) * number)
    raise AssertionError("unreachable")  # pragma: no cover
