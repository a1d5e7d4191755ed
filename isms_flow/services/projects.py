"""Use cases for projects: create, scope, status, firing triggers, history."""

from __future__ import annotations

from collections.abc import Sequence

import structlog
from sqlalchemy import bindparam, select, tuple_, update

from isms_flow.bootstrap import App
from isms_flow.errors import BadInput, ConflictError, GuardBlocked
from isms_flow.i18n import Language
from isms_flow.services.changes import record_change
from isms_flow.services.clients import check_key
from isms_flow.services.lookup import find_client, find_project, find_project_facts
from isms_flow.services.overrides import pending_overrides
from isms_flow.services.preconditions import check_expected_version, record_written_version
from isms_flow.services.rendering import project_view, status_view
from isms_flow.services.retry import VersionPin, retry_on_conflict
from isms_flow.services.snapshots import (
    bound_project,
    evaluation_context,
    load_snapshot,
)
from isms_flow.services.views import ProjectView, StatusView, TransitionView
from isms_flow.store.events import append_event
from isms_flow.store.models import ClientRow, ProjectRow
from isms_flow.store.unit_of_work import CONFLICT_TEXT
from isms_flow.workflow.engine import assess_stage, assess_trigger, parts_read

__all__ = [
    "create_project",
    "current_version",
    "fire_trigger",
    "list_projects",
    "project_status",
    "project_view_of",
    "set_scope",
]

_log = structlog.get_logger(__name__)

# Optimistic concurrency by hand on the hot path: the UPDATE matches only the version read.
_MOVE_PROJECT = (
    update(ProjectRow)
    .where(
        ProjectRow.id == bindparam("project_id"),
        ProjectRow.version == bindparam("expected_version"),
    )
    .values(
        state=bindparam("dest"),
        state_visit=ProjectRow.state_visit + 1,
        version=bindparam("next_version"),
        state_entered_at=bindparam("moved_at"),
        updated_at=bindparam("moved_at"),
    )
)


def _scope_fields(whole: bool, units: Sequence[str]) -> tuple[bool | None, list[str]]:
    cleaned = [u.strip() for u in units if u.strip()]
    if whole and cleaned:
        raise BadInput("a scope is either the whole organization or named units, not both")
    if len(set(cleaned)) != len(cleaned):
        raise BadInput("a unit is named twice in the scope")
    if whole:
        return True, []
    return (False, cleaned) if cleaned else (None, [])


def create_project(
    app: App,
    *,
    client_key: str,
    key: str,
    title: str,
    actor: str,
    workflow: str = "iso27001-2022",
    workflow_version: int | None = None,
    scope_whole: bool = False,
    scope_units: Sequence[str] = (),
    lang: Language = "en",
) -> ProjectView:
    """Start a project on the newest (or given) version of a workflow, at its initial stage."""
    check_key("project", key)
    if not title.strip():
        raise BadInput("project title must not be empty")
    whole, units = _scope_fields(scope_whole, scope_units)
    compiled = app.catalog.get(workflow, workflow_version)
    definition = compiled.definition
    now = app.clock.now()

    def attempt(pin: VersionPin) -> ProjectView:
        with app.uow() as uow:
            session = uow.session
            client = find_client(session, client_key)
            exists = select(ProjectRow.id).where(
                ProjectRow.client_id == client.id, ProjectRow.key == key
            )
            if session.scalars(exists).first():
                raise BadInput(f"project '{client_key}/{key}' already exists")
            project = ProjectRow(
                client=client,
                key=key,
                title=title.strip(),
                workflow_name=definition.name,
                workflow_version=definition.version,
                workflow_digest=compiled.digest,
                state=definition.initial,
                state_entered_at=now,
                scope_whole=whole,
                scope_units=units,
                created_at=now,
                updated_at=now,
            )
            session.add(project)
            uow.flush()
            append_event(
                session,
                occurred_at=now,
                actor=actor,
                type="project_created",
                client_id=client.id,
                project_id=project.id,
                payload={
                    "key": key,
                    "title": project.title,
                    "workflow": definition.name,
                    "workflow_version": definition.version,
                    "workflow_digest": compiled.digest,
                    "state": definition.initial,
                    "scope": {"whole_organization": whole, "units": units},
                },
            )
            uow.commit()
            with bound_project(project, actor):
                _log.info("project_created", workflow=definition.name, version=definition.version)
            return project_view(project, definition, lang)

    return retry_on_conflict(attempt)


def list_projects(
    app: App,
    *,
    client_key: str | None = None,
    lang: Language = "en",
    after: tuple[str, str] | None = None,
    limit: int | None = None,
) -> list[ProjectView]:
    """Every project (of one client, if given), by client and key; a page with after/limit."""
    with app.uow() as uow:
        query = select(ProjectRow).join(ClientRow).order_by(ClientRow.key, ProjectRow.key)
        if client_key is not None:
            query = query.where(ClientRow.id == find_client(uow.session, client_key).id)
        if after is not None:
            query = query.where(tuple_(ClientRow.key, ProjectRow.key) > tuple_(*after))
        if limit is not None:
            query = query.limit(limit)
        return [
            project_view(p, app.catalog.get(p.workflow_name, p.workflow_version).definition, lang)
            for p in uow.session.scalars(query).all()
        ]


def set_scope(
    app: App, *, ref: str, actor: str, whole: bool, units: Sequence[str], lang: Language = "en"
) -> ProjectView:
    """Record the certification scope: the whole organization or named departments and sites."""
    scope_whole, scope_units = _scope_fields(whole, units)
    if scope_whole is None:
        raise BadInput("give --whole or at least one --unit")
    now = app.clock.now()

    def attempt(pin: VersionPin) -> ProjectView:
        with app.uow() as uow:
            project = find_project(uow.session, ref)
            previous = {
                "whole_organization": project.scope_whole,
                "units": list(project.scope_units),
            }
            project.scope_whole, project.scope_units = scope_whole, scope_units
            # Even setting the same scope again is a recorded decision: it moves the version.
            record_change(
                uow,
                project,
                now=now,
                actor=actor,
                type="scope_set",
                payload={
                    "previous": previous,
                    "scope": {"whole_organization": scope_whole, "units": scope_units},
                },
            )
            uow.commit()
            definition = app.catalog.get(project.workflow_name, project.workflow_version).definition
            return project_view(project, definition, lang)

    return retry_on_conflict(attempt)


def current_version(app: App, *, project_id: int) -> int:
    """The project's version as committed now: the ETag a change answers with."""
    with app.engine.connect() as connection:
        version = connection.execute(
            select(ProjectRow.version).where(ProjectRow.id == project_id)
        ).scalar_one()
    return int(version)


def project_view_of(app: App, *, ref: str, lang: Language = "en") -> ProjectView:
    """One project as listed."""
    with app.uow() as uow:
        project = find_project(uow.session, ref)
        definition = app.catalog.get(project.workflow_name, project.workflow_version).definition
        return project_view(project, definition, lang)


def project_status(app: App, *, ref: str, lang: Language = "en") -> StatusView:
    """The current stage's checklist, every trigger with its blockers, pending overrides."""
    now = app.clock.now()
    with app.uow() as uow:
        project = find_project(uow.session, ref)
        compiled = app.catalog.get(project.workflow_name, project.workflow_version)
        definition = compiled.definition
        snapshot = load_snapshot(uow.session, project, parts_read(definition, project.state))
        report = assess_stage(
            definition, snapshot, evaluation_context(now, project.client.timezone)
        )
        overrides = pending_overrides(uow.session, project)
        view = status_view(project, definition, report, overrides, lang)
        # Same name and version but other bytes: the rules changed under a pinned project.
        return view.model_copy(
            update={"workflow_file_changed": compiled.digest != project.workflow_digest}
        )


def fire_trigger(
    app: App, *, ref: str, trigger: str, actor: str, lang: Language = "en"
) -> TransitionView:
    """Fire a trigger if its guard finds no blockers; otherwise change nothing and say why."""
    now = app.clock.now()

    def attempt(pin: VersionPin) -> TransitionView:
        with app.uow() as uow:
            session = uow.session
            # The hot path reads and writes plain columns: no ORM objects to build or flush.
            project = find_project_facts(session, ref)
            check_expected_version(session, project.id, project.version)
            pin.check(project.version)
            compiled = app.catalog.get(project.workflow_name, project.workflow_version)
            definition = compiled.definition
            with bound_project(project, actor):
                snapshot = load_snapshot(session, project, parts_read(definition, project.state))
                context = evaluation_context(now, project.timezone)
                option = assess_trigger(definition, snapshot, context, trigger)
                if option.blockers:
                    reasons = [b.message.in_(lang) for b in option.blockers]
                    _log.info(
                        "trigger_blocked",
                        trigger=trigger,
                        state=project.state,
                        blockers=len(reasons),
                    )
                    raise GuardBlocked(trigger, project.state, reasons)
                source = project.state
                dest = compiled.fire(source, trigger, permitted=True)
                assert dest is not None  # permitted fires always move
                moved = uow.execute_write(
                    _MOVE_PROJECT,
                    {
                        "project_id": project.id,
                        "expected_version": project.version,
                        "next_version": project.version + 1,
                        "dest": dest,
                        "moved_at": now,
                    },
                )
                if moved.rowcount != 1:  # another writer moved it since we read it
                    raise ConflictError(f"the project was {CONFLICT_TEXT}")
                record_written_version(project.id, project.version + 1)
                append_event(
                    session,
                    occurred_at=now,
                    actor=actor,
                    type="state_changed",
                    client_id=project.client_id,
                    project_id=project.id,
                    payload={"trigger": trigger, "from": source, "to": dest, "override": None},
                )
                uow.commit()
                _log.info("state_changed", trigger=trigger, source=source, dest=dest)
            return TransitionView(
                project=project.ref,
                trigger=trigger,
                from_state=source,
                to_state=dest,
                to_title=definition.state(dest).title.in_(lang),
                version=project.version + 1,
            )

    return retry_on_conflict(attempt)
