"""Workflow definitions and their diagrams: the same for every caller."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import PlainTextResponse

from isms_flow.api.deps import AppDep, LangDep, PrincipalDep, requires
from isms_flow.services import workflows
from isms_flow.services.workflows import WorkflowSummary

router = APIRouter(prefix="/workflows", tags=["workflows"])

Version = Annotated[int | None, Query(ge=1, description="The newest if unset")]
# Where a workflow file lies on the server is no business of an API caller.
_HIDDEN = {"path"}


@router.get("", openapi_extra=requires("authenticated"), response_model_exclude=_HIDDEN)
def list_workflows(app: AppDep, principal: PrincipalDep, lang: LangDep) -> list[WorkflowSummary]:
    """Every workflow version installed."""
    return workflows.list_workflows(app.catalog, lang)


@router.get("/{name}", openapi_extra=requires("authenticated"), response_model_exclude=_HIDDEN)
def describe_workflow(
    app: AppDep, principal: PrincipalDep, lang: LangDep, name: str, version: Version = None
) -> WorkflowSummary:
    """One workflow with every stage, its requirements and triggers."""
    return workflows.describe_workflow(app.catalog, name, version, lang)


@router.get(
    "/{name}/diagram",
    openapi_extra=requires("authenticated"),
    response_class=PlainTextResponse,
    responses={200: {"content": {"text/vnd.mermaid": {}}}},
)
def diagram(
    app: AppDep, principal: PrincipalDep, lang: LangDep, name: str, version: Version = None
) -> PlainTextResponse:
    """The workflow as a Mermaid state diagram."""
    text = workflows.diagram_workflow(app.catalog, name, version, lang)
    return PlainTextResponse(text, media_type="text/vnd.mermaid; charset=utf-8")
