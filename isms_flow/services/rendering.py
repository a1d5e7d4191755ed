"""Turn rows and guard reports into the result models of views.py, in one language."""

from __future__ import annotations

from collections.abc import Sequence

from isms_flow.i18n import Language
from isms_flow.services.lookup import project_ref
from isms_flow.services.snapshots import scope_of
from isms_flow.services.views import (
    CheckView,
    OverrideView,
    ProjectView,
    StatusView,
    TriggerView,
)
from isms_flow.store.models import OverrideRow, ProjectRow
from isms_flow.workflow.engine import StageReport
from isms_flow.workflow.schema import WorkflowDefinition

__all__ = ["override_view", "project_view", "status_view"]


def project_view(
    project: ProjectRow, definition: WorkflowDefinition, lang: Language
) -> ProjectView:
    """A project row as listed."""
    scope = scope_of(project)
    return ProjectView(
        ref=project_ref(project),
        client=project.client.key,
        key=project.key,
        title=project.title,
        workflow=project.workflow_name,
        workflow_version=project.workflow_version,
        state=project.state,
        state_title=definition.state(project.state).title.in_(lang),
        scope=scope.describe() if scope else None,
        version=project.version,
        state_entered_at=project.state_entered_at,
        updated_at=project.updated_at,
    )


def override_view(override: OverrideRow, ref: str, *, stale: bool = False) -> OverrideView:
    """An override row; a pending one whose stage visit has ended is shown as stale."""
    return OverrideView(
        id=override.id,
        project=ref,
        trigger=override.trigger,
        from_state=override.from_state,
        reason=override.reason,
        blockers=list(override.blockers),
        status="stale" if stale else override.status,
        requested_by=override.requested_by,
        requested_at=override.requested_at,
        approved_by=override.approved_by,
        approved_at=override.approved_at,
    )


def status_view(
    project: ProjectRow,
    definition: WorkflowDefinition,
    report: StageReport,
    overrides: Sequence[OverrideRow],
    lang: Language,
) -> StatusView:
    """The checklist and triggers of the current stage."""
    ref = project_ref(project)
    return StatusView(
        project=project_view(project, definition, lang),
        stage_title=report.state.title.in_(lang),
        stage_description=report.state.description.in_(lang) if report.state.description else None,
        final=report.state.final,
        checklist=[
            CheckView(
                label=result.label.in_(lang),
                met=result.met,
                have=result.have,
                need=result.need,
                blockers=[b.message.in_(lang) for b in result.blockers],
            )
            for result in report.checklist
        ],
        triggers=[
            TriggerView(
                trigger=option.trigger,
                title=option.title.in_(lang),
                dest=option.dest,
                dest_title=definition.state(option.dest).title.in_(lang),
                open=option.open,
                blockers=[b.message.in_(lang) for b in option.blockers],
            )
            for option in report.options
        ],
        pending_overrides=[override_view(o, ref) for o in overrides],
    )
