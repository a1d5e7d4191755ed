"""Four-eyes overrides: one person asks to force a blocked trigger, a different one approves."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response, status
from pydantic import Field

from isms_flow.accounts import Action
from isms_flow.api.concurrency import IfMatch, expected_version, set_etag
from isms_flow.api.deps import AppDep, LangDep, PrincipalDep, project_for, requires
from isms_flow.api.pagination import Cursor, Limit, Page, paginate
from isms_flow.api.registers import Body, changing
from isms_flow.services import overrides
from isms_flow.services.accounts import ProjectAccess
from isms_flow.services.preconditions import expecting_version
from isms_flow.services.views import OverrideView, TransitionView

router = APIRouter(prefix="/clients/{client}/projects/{project}/overrides", tags=["overrides"])

ReadProject = Annotated[ProjectAccess, Depends(project_for(Action.READ_PROJECT))]
ChangeProject = Annotated[ProjectAccess, Depends(project_for(Action.CHANGE_PROJECT))]
ApproveOverride = Annotated[ProjectAccess, Depends(project_for(Action.APPROVE_OVERRIDE))]
OverrideId = Annotated[int, Path(ge=1, le=2**31 - 1)]


class OverrideRequest(Body):
    """A blocked trigger to force, and why."""

    trigger: str = Field(max_length=64, description="e.g. `advance`")
    reason: str = Field(max_length=2000, description="At least 10 characters, kept in the history")


@router.get("", openapi_extra=requires(Action.READ_PROJECT))
def list_overrides(
    app: AppDep,
    access: ReadProject,
    request: Request,
    response: Response,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> Page[OverrideView]:
    """Every override of the project, oldest first; a pending one of an ended visit is `stale`."""
    views = overrides.list_overrides(app, ref=access.ref)
    set_etag(response, access.version)
    return paginate(
        views, key=lambda o: (o.id,), cursor=cursor, limit=limit, request=request, response=response
    )


@router.post("", status_code=status.HTTP_201_CREATED, openapi_extra=requires(Action.CHANGE_PROJECT))
def request_override(
    app: AppDep,
    principal: PrincipalDep,
    lang: LangDep,
    access: ChangeProject,
    body: OverrideRequest,
    response: Response,
    if_match: IfMatch = None,
) -> OverrideView:
    """Ask to force a blocked trigger; nothing moves until someone else approves."""
    with changing(app, access, if_match, response):
        return overrides.request_override(
            app,
            ref=access.ref,
            trigger=body.trigger,
            reason=body.reason,
            actor=principal.actor,
            lang=lang,
        )


@router.post("/{override_id}/approval", openapi_extra=requires(Action.APPROVE_OVERRIDE))
def approve_override(
    app: AppDep,
    principal: PrincipalDep,
    lang: LangDep,
    access: ApproveOverride,
    override_id: OverrideId,
    response: Response,
    if_match: IfMatch = None,
) -> TransitionView:
    """As a second person, approve: the trigger fires; 403 for the one who asked."""
    with expecting_version(access.id, expected_version(if_match)):
        view = overrides.approve_override(
            app, ref=access.ref, override_id=override_id, actor=principal.actor, lang=lang
        )
    set_etag(response, view.version)
    return view
