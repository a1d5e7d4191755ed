"""Changes based on a version the caller read: HTTP `If-Match`, enforced inside the transaction.

The API reads a project's version into its ETag; a change sent back with `If-Match` must find
the project still at that version *in the transaction that writes*, or nothing is written. The
version a change expects is set for the duration of one service call (`expecting_version`) and
checked where every project change passes: before any flush that writes a project row (a
session event, so no use case can forget it), and in the hand-written UPDATE of a guarded
transition. A race between two changes that both read the same version is
then decided by the version column itself (the loser's UPDATE matches no row), so exactly one
change wins per version.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from isms_flow.errors import PreconditionFailed
from isms_flow.store.models import ProjectRow

__all__ = [
    "Expectation",
    "check_expected_version",
    "expected_version",
    "expecting_version",
    "record_written_version",
]


@dataclass
class Expectation:
    """The version a change to one project is based on, and the version it wrote."""

    project_id: int
    version: int | None
    """None: any version (`If-Match: *`)."""
    written: int | None = None
    """The version the change left the project at; None until it wrote one."""


_EXPECTED: ContextVar[Expectation | None] = ContextVar("isms_flow_expected_version", default=None)
_CHECKED = "isms_flow_versions_checked"


@contextmanager
def expecting_version(project_id: int, version: int | None) -> Iterator[Expectation]:
    """Within this block, a change to project `project_id` must find it at `version`.

    The yielded expectation's `written` tells, after the block, which version the change
    produced: the ETag to answer with, exact even if someone changes the project right after.
    """
    expectation = Expectation(project_id, version)
    token = _EXPECTED.set(expectation)
    try:
        yield expectation
    finally:
        _EXPECTED.reset(token)


def record_written_version(project_id: int, version: int) -> None:
    """Note the version a change in this context wrote (for a write the ORM does not see)."""
    expectation = _EXPECTED.get()
    if expectation is not None and expectation.project_id == project_id:
        expectation.written = version


def expected_version(project_id: int) -> int | None:
    """The version a change to `project_id` expects in this context, if one was given."""
    expectation = _EXPECTED.get()
    if expectation is None or expectation.project_id != project_id:
        return None
    return expectation.version


def check_expected_version(session: Session | None, project_id: int, current: int) -> None:
    """Refuse the change unless the project is at the expected version.

    Checked once per transaction: a unit of work that touches the project twice sees its own
    first write move the version, which is not somebody else's change.
    """
    expected = expected_version(project_id)
    if expected is None:
        return
    checked: set[int] = session.info.setdefault(_CHECKED, set()) if session is not None else set()
    if project_id in checked:
        return
    if current != expected:
        raise PreconditionFailed("the project", expected, current)
    checked.add(project_id)


@event.listens_for(Session, "before_flush")
def _check_projects_written(session: Session, _context: Any, _instances: Any) -> None:
    # `version` is still the value read: the ORM increments it during this flush.
    if _EXPECTED.get() is None:
        return
    for row in session.dirty:
        if isinstance(row, ProjectRow) and session.is_modified(row):
            check_expected_version(session, row.id, row.version)


@event.listens_for(Session, "after_flush")
def _note_versions_written(session: Session, _context: Any) -> None:
    # The ORM has just written the incremented version onto each flushed project row.
    expectation = _EXPECTED.get()
    if expectation is None:
        return
    for row in session.dirty:
        if isinstance(row, ProjectRow) and row.id == expectation.project_id:
            expectation.written = row.version
