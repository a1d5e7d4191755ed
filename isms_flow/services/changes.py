"""Recording a change to a project: one event in the chain and a new project version."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.orm.attributes import flag_modified

from isms_flow.store.events import append_event
from isms_flow.store.models import ProjectRow
from isms_flow.store.unit_of_work import UnitOfWork

__all__ = ["record_change", "touch_project"]


def touch_project(project: ProjectRow, now: datetime) -> None:
    """Bump the project's version: a guard judged on data that changed meanwhile conflicts."""
    project.updated_at = now
    # Flag it even when `now` equals the stored value (two changes within one clock tick):
    # an unchanged value is not written, and then the version would not move.
    flag_modified(project, "updated_at")


def record_change(
    uow: UnitOfWork,
    project: ProjectRow,
    *,
    now: datetime,
    actor: str,
    type: str,
    payload: Mapping[str, Any],
) -> None:
    """Touch the project and append one event; the caller commits both with its change."""
    touch_project(project, now)
    uow.flush()  # a stale project version fails here, as a ConflictError, before the event
    append_event(
        uow.session,
        occurred_at=now,
        actor=actor,
        type=type,
        client_id=project.client_id,
        project_id=project.id,
        payload=payload,
    )
