"""Finding clients and projects by the keys users type."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from isms_flow.errors import BadInput, NotFound
from isms_flow.store.models import ClientRow, ProjectRow

__all__ = ["ProjectFacts", "find_client", "find_project", "find_project_facts", "project_ref"]

T = TypeVar("T")


def project_ref(project: ProjectRow) -> str:
    """The reference users type: `client/project`."""
    return f"{project.client.key}/{project.key}"


def find_client(session: Session, key: str) -> ClientRow:
    """The client with `key`, or NotFound."""
    client = session.scalars(select(ClientRow).where(ClientRow.key == key)).first()
    if client is None:
        raise NotFound("client", key, hint="see `isms-flow client list`")
    return client


@dataclass(frozen=True)
class ProjectFacts:
    """The columns a guarded transition needs, read without building ORM objects."""

    id: int
    key: str
    client_id: int
    client_key: str
    timezone: str
    state: str
    version: int
    workflow_name: str
    workflow_version: int
    scope_whole: bool | None
    scope_units: list[str]

    @property
    def ref(self) -> str:
        """`client/project`."""
        return f"{self.client_key}/{self.key}"


# Statements are typed Any here: SQLAlchemy 2.1 types each Select by its column tuple.
def _by_key(query: Any) -> Any:
    return query.join(ClientRow, ProjectRow.client_id == ClientRow.id).where(
        ProjectRow.key == bindparam("key")
    )


# Built once, executed with parameters: building a statement costs more than running it.
_ROWS_BY_KEY = _by_key(select(ProjectRow))
_ROWS_BY_REF = _ROWS_BY_KEY.where(ClientRow.key == bindparam("client_key"))
_FACTS_BY_KEY = _by_key(
    select(
        ProjectRow.id,
        ProjectRow.key,
        ProjectRow.client_id,
        ClientRow.key.label("client_key"),
        ClientRow.timezone,
        ProjectRow.state,
        ProjectRow.version,
        ProjectRow.workflow_name,
        ProjectRow.workflow_version,
        ProjectRow.scope_whole,
        ProjectRow.scope_units,
    )
)
_FACTS_BY_REF = _FACTS_BY_KEY.where(ClientRow.key == bindparam("client_key"))


def find_project(session: Session, ref: str) -> ProjectRow:
    """Resolve `client/project`, or a bare project key when only one client has it."""
    by_key, by_ref = _ROWS_BY_KEY, _ROWS_BY_REF
    matches: Sequence[ProjectRow] = session.scalars(*_statement(ref, by_key, by_ref)).all()
    return _only(ref, matches, [project_ref(p) for p in matches])


def find_project_facts(session: Session, ref: str) -> ProjectFacts:
    """Like `find_project`, as plain columns: the fast read of the transition path."""
    rows = session.connection().execute(*_statement(ref, _FACTS_BY_KEY, _FACTS_BY_REF)).all()
    facts = [ProjectFacts(**row._asdict()) for row in rows]
    return _only(ref, facts, [f.ref for f in facts])


def _statement(ref: str, by_key: Any, by_ref: Any) -> tuple[Any, dict[str, str]]:
    if not ref or ref.count("/") > 1:
        raise BadInput(f"project reference '{ref}' must be CLIENT/PROJECT or PROJECT")
    if "/" in ref:
        client_key, key = ref.split("/")
        return by_ref, {"client_key": client_key, "key": key}
    return by_key, {"key": ref}


def _only(ref: str, matches: Sequence[T], refs: list[str]) -> T:
    if not matches:
        raise NotFound("project", ref, hint="see `isms-flow project list`")
    if len(matches) > 1:
        raise BadInput(f"project '{ref}' is ambiguous; say which: {', '.join(sorted(refs))}")
    return matches[0]
