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


def _without_path(summary: WorkflowSummary) -> WorkflowSummary:
    # Where a workflow file lies on the server is no business of an API caller.
    return summary.model_copy(update={"path": None})


@router.get("", openapi_extra=requires("authenticated"))
def list_workflows(app: AppDep, principal: PrincipalDep, lang: LangDep) -> list[WorkflowSummary]:
    """Every workflow version installed."""
    return [_without_path(w) for w in workflows.list_workflows(app.catalog, lang)]


@router.get("/{name}", openapi_extra=requires("authenticated"))
def describe_workflow(
    app: AppDep, principal: PrincipalDep, lang: LangDep, name: str, version: Version = None
) -> WorkflowSummary:
    """One workflow with every stage, its requirements and triggers."""
    return _without_path(workflows.describe_workflow(app.catalog, name, version, lang))


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
