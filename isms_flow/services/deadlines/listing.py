"""Listing deadlines: refresh the selected projects, then show each deadline as of the client's
today — days left, and open, due soon, overdue, met or cancelled."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from isms_flow.bootstrap import App
from isms_flow.errors import BadInput
from isms_flow.i18n import Language
from isms_flow.services.deadlines.refresh import refresh_deadlines
from isms_flow.services.deadlines.views import DeadlineListView, DeadlineView, DisplayStatus
from isms_flow.services.lookup import find_client, find_project, project_ref
from isms_flow.store.models import ClientRow, ProjectRow
from isms_flow.store.tables.schedule import DeadlineRow, ReminderRow
from isms_flow.workflow.schema import WorkflowDefinition

__all__ = ["DUE_SOON_DAYS", "display_status", "list_deadlines"]

DUE_SOON_DAYS = 30
"""An open deadline this many days away or fewer is shown as due soon."""
_OPEN = ("open", "overdue")


def display_status(stored: str, days_left: int) -> DisplayStatus:
    """What a user sees: a stored open deadline is overdue or due soon depending on today."""
    if stored == "met":
        return "met"
    if stored == "cancelled":
        return "cancelled"
    if stored == "overdue" or days_left < 0:
        return "overdue"
    return "due_soon" if days_left <= DUE_SOON_DAYS else "open"


def list_deadlines(
    app: App,
    *,
    ref: str | None = None,
    client: str | None = None,
    lang: Language = "en",
    include_all: bool = False,
) -> DeadlineListView:
    """The deadlines of one project, of one client's projects, or of every project, soonest
    first; open ones only unless `include_all` (then met and cancelled ones too)."""
    if ref is not None and client is not None:
        raise BadInput("give a PROJECT or --client, not both")
    now = app.clock.now()
    with app.uow() as uow:
        ids, scope = _selection(uow.session, ref, client, lang)
    refresh_deadlines(app, now=now, project_ids=ids)
    with app.uow() as uow:
        views = _views(app, uow.session, ids, now, lang, include_all)
    return DeadlineListView(scope=scope, generated_at=now, include_all=include_all, deadlines=views)


def _selection(
    session: Session, ref: str | None, client: str | None, lang: Language
) -> tuple[list[int] | None, str]:
    if ref is not None:
        project = find_project(session, ref)
        return [project.id], project_ref(project)
    if client is not None:
        row = find_client(session, client)
        ids = session.scalars(select(ProjectRow.id).where(ProjectRow.client_id == row.id)).all()
        return list(ids), f"client {row.key}" if lang == "en" else f"顧客 {row.key}"
    return None, "all clients" if lang == "en" else "全顧客"


def _views(
    app: App,
    session: Session,
    ids: list[int] | None,
    now: datetime,
    lang: Language,
    include_all: bool,
) -> list[DeadlineView]:
    statement = (
        select(
            DeadlineRow,
            ProjectRow.key.label("project_key"),
            ProjectRow.workflow_name,
            ProjectRow.workflow_version,
            ClientRow.key.label("client_key"),
            ClientRow.timezone,
        )
        .join(ProjectRow, ProjectRow.id == DeadlineRow.project_id)
        .join(ClientRow, ClientRow.id == ProjectRow.client_id)
    )
    if ids is not None:
        statement = statement.where(DeadlineRow.project_id.in_(ids))
    if not include_all:
        statement = statement.where(DeadlineRow.status.in_(_OPEN))
    rows = session.execute(statement).all()
    reminders = _reminders(session, [row.DeadlineRow.id for row in rows])
    definitions: dict[tuple[str, int], WorkflowDefinition] = {}
    views: list[DeadlineView] = []
    for row in rows:
        deadline: DeadlineRow = row.DeadlineRow
        workflow = (row.workflow_name, row.workflow_version)
        if workflow not in definitions:
            definitions[workflow] = app.catalog.get(*workflow).definition
        today = now.astimezone(ZoneInfo(row.timezone)).date()
        days_left = (deadline.due_on - today).days
        definition = definitions[workflow]
        title, stage = _rule_text(definition, deadline.kind, lang)
        pending, all_times = reminders.get(deadline.id, ([], []))
        views.append(
            DeadlineView(
                project=f"{row.client_key}/{row.project_key}",
                client=row.client_key,
                key=deadline.key,
                kind=deadline.kind,
                title=title,
                due_on=deadline.due_on,
                due_at=deadline.due_at,
                timezone=row.timezone,
                days_left=days_left,
                status=display_status(deadline.status, days_left),
                on_overdue=deadline.on_overdue,
                on_overdue_state=_moves_to(definition, deadline.on_overdue, lang),
                stage=stage,
                next_reminder_at=min(pending) if pending else None,
                reminders=all_times,
                computed_at=deadline.computed_at,
                basis=dict(deadline.basis),
            )
        )
    return sorted(views, key=lambda v: (v.due_on, v.project, v.key))


def _rule_text(definition: WorkflowDefinition, kind: str, lang: Language) -> tuple[str, str | None]:
    try:
        rule = definition.deadlines.rule(kind)
    except KeyError:  # a kind the workflow no longer defines: its rows stay readable
        return kind, None
    return rule.title.in_(lang), rule.stage


def _moves_to(definition: WorkflowDefinition, trigger: str, lang: Language) -> str:
    """Title of the stage a missed deadline's trigger moves the project to ("" for none)."""
    for transition in definition.transitions:
        if transition.trigger == trigger:
            return definition.state(transition.dest).title.in_(lang)
    return ""


def _reminders(
    session: Session, deadline_ids: list[int]
) -> dict[int, tuple[list[datetime], list[datetime]]]:
    """Per deadline: pending reminder times, and every reminder time not cancelled (one per
    offset, whichever the channels)."""
    found: dict[int, tuple[list[datetime], list[datetime]]] = defaultdict(lambda: ([], []))
    for start in range(0, len(deadline_ids), 500):
        rows = session.execute(
            select(ReminderRow.deadline_id, ReminderRow.fire_at, ReminderRow.status)
            .where(
                ReminderRow.deadline_id.in_(deadline_ids[start : start + 500]),
                ReminderRow.kind == "reminder",
                ReminderRow.status != "cancelled",
            )
            .order_by(ReminderRow.fire_at)
        )
        for deadline_id, fire_at, status in rows:
            pending, every = found[deadline_id]
            if status == "pending" and fire_at not in pending:
                pending.append(fire_at)
            if fire_at not in every:
                every.append(fire_at)
    return found
