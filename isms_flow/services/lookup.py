"""Finding clients and projects by the keys users type."""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from isms_flow.errors import BadInput, NotFound
from isms_flow.store.models import ClientRow, ProjectRow

__all__ = ["find_client", "find_project", "project_ref"]


def project_ref(project: ProjectRow) -> str:
    """The reference users type: `client/project`."""
    return f"{project.client.key}/{project.key}"


def find_client(session: Session, key: str) -> ClientRow:
    """The client with `key`, or NotFound."""
    client = session.scalars(select(ClientRow).where(ClientRow.key == key)).first()
    if client is None:
        raise NotFound("client", key, hint="see `isms-flow client list`")
    return client


# Built once, executed with parameters: building a statement costs more than running it.
_PROJECT_BY_KEY = select(ProjectRow).join(ClientRow).where(ProjectRow.key == bindparam("key"))
_PROJECT_BY_REF = _PROJECT_BY_KEY.where(ClientRow.key == bindparam("client_key"))


def find_project(session: Session, ref: str) -> ProjectRow:
    """Resolve `client/project`, or a bare project key when only one client has it."""
    if not ref or ref.count("/") > 1:
        raise BadInput(f"project reference '{ref}' must be CLIENT/PROJECT or PROJECT")
    if "/" in ref:
        client_key, key = ref.split("/")
        matches = session.scalars(_PROJECT_BY_REF, {"client_key": client_key, "key": key}).all()
    else:
        matches = session.scalars(_PROJECT_BY_KEY, {"key": ref}).all()
    if not matches:
        raise NotFound("project", ref, hint="see `isms-flow project list`")
    if len(matches) > 1:
        names = ", ".join(sorted(project_ref(p) for p in matches))
        raise BadInput(f"project '{ref}' is ambiguous; say which: {names}")
    return matches[0]
