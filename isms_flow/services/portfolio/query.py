"""The portfolio in SQL: filter, count, sort and cut one page over every visible project.

A project's next deadline is the soonest of its open (or missed) rows of the `deadlines`
table: its instant is one `min()` per project, read from the index on (project, status,
due instant) alone, and the rest of the deadline only for the projects of the page. The
listing is three statements — a count, a page, its deadlines — whatever the number of projects.
(Measured on SQLite with 10,000 projects: one grouped scan of that index beats a lookup per
project for the whole set; for one client's projects, the lookups restricted to them win.)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, Subquery, and_, false, func, or_, select
from sqlalchemy.orm import Session

from isms_flow.services.portfolio.cursor import Position
from isms_flow.store.models import ClientRow, ProjectRow
from isms_flow.store.tables.schedule import DeadlineRow

__all__ = [
    "Filters",
    "NextDeadline",
    "PageRow",
    "count_rows",
    "is_missed",
    "next_deadlines",
    "page_rows",
]

_OPEN = ("open", "overdue")  # met and cancelled deadlines are history, not what comes next


@dataclass(frozen=True)
class Filters:
    """What narrows the listing; None means "not narrowed"."""

    now: datetime
    client_ids: Select[Any] | None = None
    """A subquery of the client ids the caller may see (None: every client)."""
    client_id: int | None = None
    stage: str | None = None
    overdue: bool | None = None


@dataclass(frozen=True)
class PageRow:
    """The columns of one project row of a page, read without ORM objects."""

    id: int
    key: str
    title: str
    workflow_name: str
    workflow_version: int
    state: str
    state_entered_at: datetime
    scope_whole: bool | None
    scope_units: list[str]
    client_id: int
    client_key: str
    client_name: str
    timezone: str
    due_at: datetime | None
    """The instant the next deadline is missed; None without an open deadline."""

    @property
    def position(self) -> Position:
        """Where this row stands in the listing's order."""
        return Position(self.due_at, self.client_key, self.key, self.id)


_COLUMNS = (
    ProjectRow.id,
    ProjectRow.key,
    ProjectRow.title,
    ProjectRow.workflow_name,
    ProjectRow.workflow_version,
    ProjectRow.state,
    ProjectRow.state_entered_at,
    ProjectRow.scope_whole,
    ProjectRow.scope_units,
    ProjectRow.client_id,
    ClientRow.key.label("client_key"),
    ClientRow.name.label("client_name"),
    ClientRow.timezone,
)


def page_rows(
    session: Session, filters: Filters, after: Position | None, limit: int
) -> list[PageRow]:
    """Up to `limit` rows after `after` in the listing's order: soonest deadline first,
    projects without one last; ties by reference, then id."""
    upcoming = _next_instants(filters)
    statement = _joined(select(*_COLUMNS, upcoming.c.due_at), filters, upcoming)
    if after is not None:
        statement = statement.where(_after(upcoming, after))
    order = (upcoming.c.due_at.is_(None), upcoming.c.due_at, ClientRow.key, ProjectRow.key)
    statement = statement.order_by(*order, ProjectRow.id).limit(limit)
    return [PageRow(*row) for row in session.execute(statement)]


def count_rows(session: Session, filters: Filters) -> int:
    """How many projects match the filters, over every page."""
    # Only the overdue filter needs the deadlines to count.
    upcoming = _next_instants(filters) if filters.overdue is not None else None
    statement = _joined(select(func.count()).select_from(ProjectRow), filters, upcoming)
    return int(session.execute(statement).scalar_one())


def _next_instants(filters: Filters) -> Subquery:
    """(project id, instant its next deadline is missed) of every project with one."""
    statement = select(DeadlineRow.project_id, func.min(DeadlineRow.due_at).label("due_at")).where(
        DeadlineRow.status.in_(_OPEN)
    )
    if filters.client_id is not None:
        chosen = select(ProjectRow.id).where(ProjectRow.client_id == filters.client_id)
        statement = statement.where(DeadlineRow.project_id.in_(chosen))
    return statement.group_by(DeadlineRow.project_id).subquery("next_deadline")


# Statements are typed Any here, as in services.lookup: SQLAlchemy 2.1 types each Select by
# its column tuple, and the page and the count share this helper.
def _joined(statement: Any, filters: Filters, upcoming: Subquery | None) -> Any:
    statement = statement.join(ClientRow, ClientRow.id == ProjectRow.client_id)
    if upcoming is not None:
        statement = statement.outerjoin(upcoming, upcoming.c.project_id == ProjectRow.id)
    statement = statement.where(*_conditions(filters))
    if filters.overdue is not None and upcoming is not None:
        due_at, now = upcoming.c.due_at, filters.now
        missed = due_at <= now  # the same rule as `is_missed`
        statement = statement.where(
            missed if filters.overdue else or_(due_at.is_(None), due_at > now)
        )
    return statement


def _conditions(filters: Filters) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filters.client_ids is not None:
        conditions.append(ProjectRow.client_id.in_(filters.client_ids))
    if filters.client_id is not None:
        conditions.append(ProjectRow.client_id == filters.client_id)
    if filters.stage is not None:
        conditions.append(ProjectRow.state == filters.stage)
    return conditions


def is_missed(due_at: datetime | None, now: datetime) -> bool:
    """The next deadline has passed unmet: its instant has come. (A deadline the scheduler
    marked `overdue` has always passed its instant.) `_joined` states the same rule in SQL."""
    return due_at is not None and due_at <= now


@dataclass(frozen=True)
class NextDeadline:
    """The next deadline of one project of the page."""

    key: str
    kind: str
    due_on: date
    due_at: datetime


def next_deadlines(session: Session, rows: Sequence[PageRow]) -> dict[int, NextDeadline]:
    """By project id, the next deadline of each row that has one: one query for the page."""
    ids = [row.id for row in rows if row.due_at is not None]
    if not ids:
        return {}
    found: dict[int, NextDeadline] = {}
    for project_id, key, kind, due_on, due_at in session.execute(
        select(
            DeadlineRow.project_id,
            DeadlineRow.key,
            DeadlineRow.kind,
            DeadlineRow.due_on,
            DeadlineRow.due_at,
        )
        .where(DeadlineRow.project_id.in_(ids), DeadlineRow.status.in_(_OPEN))
        .order_by(DeadlineRow.project_id, DeadlineRow.due_at, DeadlineRow.key)
    ):
        if project_id not in found:  # the soonest, ties by key
            found[project_id] = NextDeadline(key, kind, due_on, due_at)
    return found


def _after(upcoming: Subquery, position: Position) -> ColumnElement[bool]:
    """Rows strictly after `position` in the page's order (spelled out: NULL never compares)."""
    later_ref = _tuple_after(
        (ClientRow.key, ProjectRow.key, ProjectRow.id),
        (position.client_key, position.project_key, position.project_id),
    )
    if position.due_at is None:
        return and_(upcoming.c.due_at.is_(None), later_ref)
    return or_(
        upcoming.c.due_at.is_(None),
        upcoming.c.due_at > position.due_at,
        and_(upcoming.c.due_at == position.due_at, later_ref),
    )


def _tuple_after(columns: Sequence[Any], values: Sequence[Any]) -> ColumnElement[bool]:
    """(a, b, c) > (x, y, z), lexicographically, without row values."""
    if not columns:
        return false()
    head, value = columns[0], values[0]
    return or_(head > value, and_(head == value, _tuple_after(columns[1:], values[1:])))
