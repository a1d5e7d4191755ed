"""`list_portfolio`: every project the caller may see, soonest deadline first, a page at a time.

Three statements find the total, the page and its deadlines over the whole visible set
(`query`), and a fixed number more count the blockers of the page's projects (`blockers`):
never one per project (docs/portfolio.md).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from isms_flow.accounts import Action, Principal
from isms_flow.bootstrap import App
from isms_flow.errors import BadInput, IsmsFlowError
from isms_flow.i18n import Language, LocalizedText
from isms_flow.schedule.notices import rule_text
from isms_flow.services.accounts.tenancy import find_visible_client, visible_clients
from isms_flow.services.deadlines import refresh_deadlines
from isms_flow.services.lookup import find_client
from isms_flow.services.portfolio.blockers import ForwardBlockers, count_blockers
from isms_flow.services.portfolio.cursor import decode_cursor, encode_cursor
from isms_flow.services.portfolio.query import (
    Filters,
    NextDeadline,
    PageRow,
    count_rows,
    is_missed,
    next_deadlines,
    page_rows,
)
from isms_flow.services.portfolio.views import NextDeadlineView, PortfolioPage, PortfolioRow
from isms_flow.workflow.schema import WorkflowDefinition

__all__ = ["MAX_LIMIT", "list_portfolio"]

MAX_LIMIT = 500
"""The most rows one page holds (what one bulk snapshot load reads at once)."""


def list_portfolio(
    app: App,
    *,
    principal: Principal | None,
    client: str | None = None,
    stage: str | None = None,
    overdue: bool | None = None,
    cursor: str | None = None,
    limit: int = 50,
    lang: Language = "en",
) -> PortfolioPage:
    """One page of the projects `principal` may see (None: the local administrator, who sees
    every project), soonest next deadline first; `cursor` continues after an earlier page."""
    if not 1 <= limit <= MAX_LIMIT:
        raise BadInput(f"limit must be between 1 and {MAX_LIMIT}, not {limit}")
    after = None if cursor is None else decode_cursor(cursor)
    if stage is not None:
        _check_stage(app, stage)
    now = app.clock.now()
    with app.uow() as uow:
        filters = _filters(uow.session, principal, client, stage, overdue, now)
    # The listing reads the deadline rows, so bring the stale ones up to date first, as
    # `isms-flow deadlines` does; with nothing stale this is one query.
    refresh_deadlines(app, now=now)
    with app.uow() as uow:
        session = uow.session
        total = count_rows(session, filters)
        rows = page_rows(session, filters, after, limit + 1)
        more = len(rows) > limit
        rows = rows[:limit]
        deadlines = next_deadlines(session, rows)
        definitions = _definitions(app, rows)
        blockers = count_blockers(session, rows, definitions, now)
    return PortfolioPage(
        generated_at=now,
        client=client,
        stage=stage,
        overdue=overdue,
        total=total,
        rows=[
            _row(r, deadlines.get(r.id), definitions.get(r.id), blockers.get(r.id), now, lang)
            for r in rows
        ],
        next_cursor=encode_cursor(rows[-1].position) if more else None,
    )


def _filters(
    session: Session,
    principal: Principal | None,
    client: str | None,
    stage: str | None,
    overdue: bool | None,
    now: datetime,
) -> Filters:
    client_id = None
    if client is not None:
        # A principal's foreign or missing client is the same NotFound (tenancy).
        found = (
            find_client(session, client)
            if principal is None
            else find_visible_client(session, principal, client, Action.READ_PROJECT)
        )
        client_id = found.id
    return Filters(
        now=now,
        client_ids=None if principal is None else visible_clients(principal),
        client_id=client_id,
        stage=stage,
        overdue=overdue,
    )


def _check_stage(app: App, stage: str) -> None:
    known = sorted({s.name for w in app.catalog.available() for s in w.definition.states})
    if stage not in known:
        raise BadInput(f"unknown stage '{stage}' (known: {', '.join(known) or 'none'})")


def _definitions(app: App, rows: list[PageRow]) -> dict[int, WorkflowDefinition]:
    """By project id, the workflow each row is pinned to; a project whose workflow is not
    installed is listed without its blockers rather than failing the whole page."""
    by_version: dict[tuple[str, int], WorkflowDefinition | None] = {}
    found: dict[int, WorkflowDefinition] = {}
    for row in rows:
        pinned = (row.workflow_name, row.workflow_version)
        if pinned not in by_version:
            try:
                by_version[pinned] = app.catalog.get(*pinned).definition
            except IsmsFlowError:
                by_version[pinned] = None
        definition = by_version[pinned]
        if definition is not None and _has_state(definition, row.state):
            found[row.id] = definition
    return found


def _has_state(definition: WorkflowDefinition, state: str) -> bool:
    return any(s.name == state for s in definition.states)


def _row(
    row: PageRow,
    deadline: NextDeadline | None,
    definition: WorkflowDefinition | None,
    blockers: ForwardBlockers | None,
    now: datetime,
    lang: Language,
) -> PortfolioRow:
    today = now.astimezone(ZoneInfo(row.timezone)).date()
    entered_on = row.state_entered_at.astimezone(ZoneInfo(row.timezone)).date()
    next_deadline = None if deadline is None else _deadline_view(deadline, definition, lang)
    return PortfolioRow(
        client=row.client_key,
        client_name=row.client_name,
        project=f"{row.client_key}/{row.key}",
        key=row.key,
        title=row.title,
        workflow=row.workflow_name,
        workflow_version=row.workflow_version,
        stage=row.state,
        stage_title=row.state
        if definition is None
        else definition.state(row.state).title.in_(lang),
        timezone=row.timezone,
        entered_stage_at=row.state_entered_at,
        days_in_stage=(today - entered_on).days,
        forward_trigger=None if blockers is None else blockers.trigger,
        blockers=None if blockers is None else blockers.blockers,
        next_deadline=next_deadline,
        days_left=None if next_deadline is None else (next_deadline.due_on - today).days,
        overdue=is_missed(row.due_at, now),
    )


def _deadline_view(
    deadline: NextDeadline, definition: WorkflowDefinition | None, lang: Language
) -> NextDeadlineView:
    readable = deadline.kind.replace("_", " ")
    title = (
        LocalizedText(en=readable, ja=readable)
        if definition is None
        else rule_text(definition, deadline.kind).title
    )
    return NextDeadlineView(
        key=deadline.key,
        kind=deadline.kind,
        title=title.in_(lang),
        due_on=deadline.due_on,
        due_at=deadline.due_at,
    )
