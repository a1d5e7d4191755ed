"""Four-eyes overrides: one person asks, with a written reason; a different person approves."""

from __future__ import annotations

from collections.abc import Sequence

import structlog
from sqlalchemy import select
from sqlalchemy.orm import Session

from isms_flow.bootstrap import App
from isms_flow.errors import BadInput, ConflictError, NotFound, PermissionDenied
from isms_flow.i18n import Language
from isms_flow.services.lookup import find_project, project_ref
from isms_flow.services.preconditions import check_expected_version
from isms_flow.services.rendering import override_view
from isms_flow.services.retry import VersionPin, retry_on_conflict
from isms_flow.services.snapshots import bound_project, evaluation_context, load_snapshot
from isms_flow.services.views import OverrideView, TransitionView
from isms_flow.store.events import append_event
from isms_flow.store.models import OverrideRow, ProjectRow
from isms_flow.workflow.engine import assess_trigger, parts_read

__all__ = [
    "approve_override",
    "is_current",
    "list_overrides",
    "pending_overrides",
    "request_override",
]

MIN_REASON_LENGTH = 10
_log = structlog.get_logger(__name__)


def is_current(override: OverrideRow, project: ProjectRow) -> bool:
    """A pending override still speaks for the project's present visit to its stage.

    Leaving the stage and coming back (certified → suspended → certified) makes an older
    request stale: the blockers it was judged on belong to another visit. The visit counter
    decides; the time check also catches requests stored before the counter existed.
    """
    return (
        override.status == "pending"
        and override.from_state == project.state
        and override.state_visit == project.state_visit
        and override.requested_at >= project.state_entered_at
    )


def pending_overrides(session: Session, project: ProjectRow) -> Sequence[OverrideRow]:
    """Overrides still waiting for approval during the project's present visit to its stage."""
    rows = session.scalars(
        select(OverrideRow)
        .where(
            OverrideRow.project_id == project.id,
            OverrideRow.status == "pending",
            OverrideRow.from_state == project.state,
        )
        .order_by(OverrideRow.id)
    ).all()
    return [row for row in rows if is_current(row, project)]


def request_override(
    app: App, *, ref: str, trigger: str, reason: str, actor: str, lang: Language = "en"
) -> OverrideView:
    """Ask to force a blocked trigger; nothing moves until someone else approves."""
    if len(reason.strip()) < MIN_REASON_LENGTH:
        raise BadInput(
            f"an override needs a written reason of at least {MIN_REASON_LENGTH} characters"
        )
    now = app.clock.now()

    def attempt(pin: VersionPin) -> OverrideView:
        with app.uow() as uow:
            session = uow.session
            project = find_project(session, ref)
            # A request writes no project row, so a caller's If-Match is compared here.
            check_expected_version(session, project.id, project.version)
            definition = app.catalog.get(project.workflow_name, project.workflow_version).definition
            snapshot = load_snapshot(session, project, parts_read(definition, project.state))
            context = evaluation_context(now, project.client.timezone)
            option = assess_trigger(definition, snapshot, context, trigger)
            if option.open:
                raise BadInput(
                    f"nothing blocks '{trigger}'; fire it directly, no override is needed"
                )
            waiting = [o for o in pending_overrides(session, project) if o.trigger == trigger]
            if waiting:
                raise BadInput(
                    f"override #{waiting[0].id} of '{trigger}' is already waiting for approval"
                )
            override = OverrideRow(
                project_id=project.id,
                trigger=trigger,
                from_state=project.state,
                state_visit=project.state_visit,
                reason=reason.strip(),
                blockers=[b.message.in_(lang) for b in option.blockers],
                status="pending",
                requested_by=actor,
                requested_at=now,
            )
            session.add(override)
            uow.flush()
            append_event(
                session,
                occurred_at=now,
                actor=actor,
                type="override_requested",
                client_id=project.client_id,
                project_id=project.id,
                payload={
                    "override_id": override.id,
                    "trigger": trigger,
                    "from": project.state,
                    "reason": override.reason,
                    "blockers": [b.message.en for b in option.blockers],
                },
            )
            uow.commit()
            with bound_project(project, actor):
                _log.warning("override_requested", override=override.id, trigger=trigger)
            return override_view(override, project_ref(project))

    return retry_on_conflict(attempt)


def approve_override(
    app: App, *, ref: str, override_id: int, actor: str, lang: Language = "en"
) -> TransitionView:
    """A second person approves: the trigger fires and both names and the blockers are recorded."""
    now = app.clock.now()

    def attempt(pin: VersionPin) -> TransitionView:
        with app.uow() as uow:
            session = uow.session
            project = find_project(session, ref)
            pin.check(project.version)
            override = session.get(OverrideRow, override_id)
            if override is None or override.project_id != project.id:
                raise NotFound("override", f"#{override_id} of project {project_ref(project)}")
            if override.status != "pending":
                raise BadInput(f"override #{override_id} is already {override.status}")
            if override.requested_by == actor:
                raise PermissionDenied(
                    f"override #{override_id} was requested by {actor}; four eyes: "
                    "a different person must approve it"
                )
            if override.from_state != project.state:
                raise ConflictError(
                    f"override #{override_id} was asked from stage '{override.from_state}' but the "
                    f"project is now in '{project.state}'; request a new override"
                )
            if not is_current(override, project):
                raise ConflictError(
                    f"override #{override_id} was asked before the project last entered "
                    f"'{project.state}'; request a new override"
                )
            compiled = app.catalog.get(project.workflow_name, project.workflow_version)
            parts = parts_read(compiled.definition, project.state)
            snapshot = load_snapshot(session, project, parts)
            context = evaluation_context(now, project.client.timezone)
            option = assess_trigger(compiled.definition, snapshot, context, override.trigger)
            overridden = [b.message.en for b in option.blockers]
            source = project.state
            dest = compiled.fire(source, override.trigger, permitted=True)
            assert dest is not None
            project.state, project.state_entered_at, project.updated_at = dest, now, now
            project.state_visit += 1
            override.status, override.approved_by, override.approved_at = "applied", actor, now
            uow.flush()
            append_event(
                session,
                occurred_at=now,
                actor=actor,
                type="state_changed",
                client_id=project.client_id,
                project_id=project.id,
                payload={
                    "trigger": override.trigger,
                    "from": source,
                    "to": dest,
                    "override": {
                        "id": override.id,
                        "reason": override.reason,
                        "requested_by": override.requested_by,
                        "approved_by": actor,
                        "blockers": overridden,
                    },
                },
            )
            uow.commit()
            with bound_project(project, actor):
                _log.warning("override_applied", override=override.id, source=source, dest=dest)
            return TransitionView(
                project=project_ref(project),
                trigger=override.trigger,
                from_state=source,
                to_state=dest,
                to_title=compiled.definition.state(dest).title.in_(lang),
                version=project.version,
                override_id=override.id,
                overridden_blockers=[b.message.in_(lang) for b in option.blockers],
            )

    return retry_on_conflict(attempt)


def list_overrides(app: App, *, ref: str) -> list[OverrideView]:
    """Every override of a project, oldest first."""
    with app.uow() as uow:
        project = find_project(uow.session, ref)
        rows = uow.session.scalars(
            select(OverrideRow).where(OverrideRow.project_id == project.id).order_by(OverrideRow.id)
        ).all()
        return [
            override_view(o, project_ref(project), stale=not _still_open(o, project)) for o in rows
        ]


def _still_open(override: OverrideRow, project: ProjectRow) -> bool:
    return override.status != "pending" or is_current(override, project)
