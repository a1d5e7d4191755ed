"""A project's history, and verification of the whole hash chain and the evidence vault."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from isms_flow.accounts import Action
from isms_flow.api.context import PageRequestDep
from isms_flow.api.deps import AppDep, project_for, requires
from isms_flow.api.pagination import Page
from isms_flow.services import history
from isms_flow.services.accounts import ProjectAccess
from isms_flow.services.views import EventView

router = APIRouter(prefix="/clients/{client}/projects/{project}", tags=["history"])

ReadProject = Annotated[ProjectAccess, Depends(project_for(Action.READ_PROJECT))]
ReadEvidence = Annotated[ProjectAccess, Depends(project_for(Action.READ_EVIDENCE))]


@router.get("/history", openapi_extra=requires(Action.READ_PROJECT))
def get_history(app: AppDep, access: ReadProject, paging: PageRequestDep) -> Page[EventView]:
    """The project's events, oldest first, each with who did it and its hash."""
    after = paging.after(1)
    rows = history.project_history(
        app, ref=access.ref, limit=paging.limit + 1, after_seq=int(after[0]) if after else 0
    )
    return paging.fetched(rows, key=lambda event: (event.seq,))


class ChainVerdict(BaseModel):
    """Whether the history chain holding this project's events is intact."""

    intact: bool
    problem: str | None


@router.get("/history/verification", openapi_extra=requires(Action.READ_EVIDENCE))
def verify_history(app: AppDep, access: ReadEvidence) -> ChainVerdict:
    """Re-hash the whole history chain this project's events are part of.

    The chain is one for the installation, so only the verdict is shown: how many events
    other clients have, or the head hash, is nothing this caller may learn.
    """
    chain = history.verify_history(app)
    return ChainVerdict(intact=chain.intact, problem=chain.problem)
