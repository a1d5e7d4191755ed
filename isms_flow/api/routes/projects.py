"""Projects: create, list, read, status with blockers, triggers, scope."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response, status
from pydantic import BaseModel, Field

from isms_flow.accounts import Action
from isms_flow.api.concurrency import set_etag
from isms_flow.api.context import PageRequestDep, ProjectChange, project_change
from isms_flow.api.deps import AppDep, LangDep, PrincipalDep, client_for, project_for, requires
from isms_flow.api.pagination import Page
from isms_flow.services import projects
from isms_flow.services.accounts import ClientAccess, ProjectAccess
from isms_flow.services.views import ProjectView, StatusView, TransitionView

router = APIRouter(prefix="/clients/{client}/projects", tags=["projects"])

ReadProject = Annotated[ProjectAccess, Depends(project_for(Action.READ_PROJECT))]
ChangeProject = Annotated[ProjectChange, Depends(project_change(Action.CHANGE_PROJECT))]


class NewProject(BaseModel):
    """A project to start at the first stage of a workflow."""

    key: str = Field(description="Short lowercase key, unique within the client, e.g. `isms`")
    title: str
    workflow: str = "iso27001-2022"
    workflow_version: int | None = Field(default=None, description="The newest if unset")
    scope_whole: bool = False
    scope_units: list[str] = []


class Scope(BaseModel):
    """What the ISMS covers: the whole organization, or named units."""

    whole: bool = False
    units: list[str] = []


@router.get("", openapi_extra=requires(Action.READ_PROJECT))
def list_projects(
    app: AppDep,
    lang: LangDep,
    access: Annotated[ClientAccess, Depends(client_for(Action.READ_PROJECT))],
    paging: PageRequestDep,
) -> Page[ProjectView]:
    """The client's projects by key, a page at a time."""
    after = paging.after(2)
    rows = projects.list_projects(
        app,
        client_key=access.key,
        lang=lang,
        after=(str(after[0]), str(after[1])) if after else None,
        limit=paging.limit + 1,
    )
    return paging.fetched(rows, key=lambda v: (v.client, v.key))


@router.post("", status_code=status.HTTP_201_CREATED, openapi_extra=requires(Action.CHANGE_PROJECT))
def create_project(
    app: AppDep,
    principal: PrincipalDep,
    lang: LangDep,
    access: Annotated[ClientAccess, Depends(client_for(Action.CHANGE_PROJECT))],
    body: NewProject,
    response: Response,
) -> ProjectView:
    """Start a project at the workflow's first stage."""
    view = projects.create_project(
        app,
        client_key=access.key,
        key=body.key,
        title=body.title,
        actor=principal.actor,
        workflow=body.workflow,
        workflow_version=body.workflow_version,
        scope_whole=body.scope_whole,
        scope_units=body.scope_units,
        lang=lang,
    )
    set_etag(response, view.version)
    response.headers["Location"] = f"/clients/{access.key}/projects/{view.key}"
    return view


@router.get("/{project}", openapi_extra=requires(Action.READ_PROJECT))
def get_project(app: AppDep, lang: LangDep, access: ReadProject, response: Response) -> ProjectView:
    """One project; its ETag is what a change sends back in If-Match."""
    view = projects.project_view_of(app, ref=access.ref, lang=lang)
    set_etag(response, view.version)
    return view


@router.get("/{project}/status", openapi_extra=requires(Action.READ_PROJECT))
def get_status(app: AppDep, lang: LangDep, access: ReadProject, response: Response) -> StatusView:
    """The current stage's checklist and every trigger with what blocks it."""
    view = projects.project_status(app, ref=access.ref, lang=lang)
    set_etag(response, view.project.version)
    return view


@router.post("/{project}/triggers/{trigger}", openapi_extra=requires(Action.CHANGE_PROJECT))
def fire_trigger(lang: LangDep, change: ChangeProject, trigger: str) -> TransitionView:
    """Fire a trigger (e.g. `advance`); 409 with every blocker if the guard refuses."""
    with change.applying():
        return projects.fire_trigger(
            change.app, ref=change.ref, trigger=trigger, actor=change.actor, lang=lang
        )


@router.put("/{project}/scope", openapi_extra=requires(Action.CHANGE_PROJECT))
def set_scope(lang: LangDep, change: ChangeProject, body: Scope) -> ProjectView:
    """Set what the ISMS covers."""
    with change.applying():
        return projects.set_scope(
            change.app,
            ref=change.ref,
            actor=change.actor,
            whole=body.whole,
            units=body.units,
            lang=lang,
        )
