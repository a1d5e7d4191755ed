"""Four-eyes overrides: one person asks to force a blocked trigger, a different one approves."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, status
from pydantic import Field

from isms_flow.accounts import Action
from isms_flow.api.context import (
    PageRequestDep,
    ProjectChange,
    ProjectRead,
    project_change,
    project_read,
)
from isms_flow.api.deps import LangDep, requires
from isms_flow.api.pagination import Page
from isms_flow.api.registers import Body
from isms_flow.services import overrides
from isms_flow.services.views import OverrideView, TransitionView

router = APIRouter(prefix="/clients/{client}/projects/{project}/overrides", tags=["overrides"])

ReadProject = Annotated[ProjectRead, Depends(project_read(Action.READ_PROJECT))]
ChangeProject = Annotated[ProjectChange, Depends(project_change(Action.CHANGE_PROJECT))]
ApproveOverride = Annotated[ProjectChange, Depends(project_change(Action.APPROVE_OVERRIDE))]
OverrideId = Annotated[int, Path(ge=1, le=2**31 - 1)]


class OverrideRequest(Body):
    """A blocked trigger to force, and why."""

    trigger: str = Field(max_length=64, description="e.g. `advance`")
    reason: str = Field(max_length=2000, description="At least 10 characters, kept in the history")


@router.get("", openapi_extra=requires(Action.READ_PROJECT))
def list_overrides(read: ReadProject, paging: PageRequestDep) -> Page[OverrideView]:
    """Every override of the project, oldest first; a pending one of an ended visit is `stale`."""
    views = overrides.list_overrides(read.app, ref=read.ref)
    return paging.page(views, key=lambda o: (o.id,))


@router.post("", status_code=status.HTTP_201_CREATED, openapi_extra=requires(Action.CHANGE_PROJECT))
def request_override(lang: LangDep, change: ChangeProject, body: OverrideRequest) -> OverrideView:
    """Ask to force a blocked trigger; nothing moves until someone else approves."""
    with change.applying():
        return overrides.request_override(
            change.app,
            ref=change.ref,
            trigger=body.trigger,
            reason=body.reason,
            actor=change.actor,
            lang=lang,
        )


@router.post("/{override_id}/approval", openapi_extra=requires(Action.APPROVE_OVERRIDE))
def approve_override(
    lang: LangDep, change: ApproveOverride, override_id: OverrideId
) -> TransitionView:
    """As a second person, approve: the trigger fires; 403 for the one who asked."""
    with change.applying():
        return overrides.approve_override(
            change.app, ref=change.ref, override_id=override_id, actor=change.actor, lang=lang
        )
