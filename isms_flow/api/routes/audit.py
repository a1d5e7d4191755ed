"""Integrity checks a client's auditor may run: the evidence files of that client.

The vault is one for the installation, like the history chain; a caller checks only the files
their client's evidence uses and learns only about those. Where a file lies on the server is
not part of the answer (the CLI's `evidence verify` shows it to the local administrator).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from isms_flow.accounts import Action
from isms_flow.api.deps import AppDep, client_for, requires
from isms_flow.services import evidence
from isms_flow.services.accounts import ClientAccess

router = APIRouter(prefix="/clients/{client}", tags=["evidence"])


class VaultProblem(BaseModel):
    """One of the client's evidence files that is missing or changed, and where it is used."""

    sha256: str
    problem: str = Field(description="missing or changed")
    used_by: list[str] = Field(description="`client/project #document 'name' vN` of each use")


class VaultVerdict(BaseModel):
    """Whether every evidence file the client's projects use is stored unchanged."""

    intact: bool
    files: int
    problems: list[VaultProblem]


@router.get("/evidence/verification", openapi_extra=requires(Action.READ_EVIDENCE))
def verify_evidence(
    app: AppDep, access: Annotated[ClientAccess, Depends(client_for(Action.READ_EVIDENCE))]
) -> VaultVerdict:
    """Re-hash every evidence file of the client's projects; name each missing or changed one."""
    check = evidence.verify_vault(app, client_id=access.id)
    return VaultVerdict(
        intact=check.intact,
        files=check.files,
        problems=[
            VaultProblem(sha256=p.sha256, problem=p.problem, used_by=p.used_by)
            for p in check.problems
        ],
    )
