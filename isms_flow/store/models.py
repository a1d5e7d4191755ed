"""The relational schema (SQLAlchemy 2.0 typed declarative). Created by Alembic migrations."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from isms_flow.store.types import UtcDateTime

__all__ = [
    "Base",
    "ClientRow",
    "EventRow",
    "EvidenceApprovalRow",
    "EvidenceDocumentRow",
    "EvidenceVersionRow",
    "OverrideRow",
    "ProjectRow",
]

# Deterministic constraint names keep migrations identical on SQLite and PostgreSQL.
_NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with naming conventions."""

    metadata = MetaData(naming_convention=_NAMING)


class ClientRow(Base):
    """An organization seeking certification."""

    __tablename__ = "clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The tenant owning the client (store/tables/accounts.py, migration 0006). A client added
    # without one belongs to the organization `default`, which every installation has.
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id"),
        index=True,
        default=text("(SELECT id FROM organizations WHERE key = 'default')"),
    )
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(2))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ProjectRow(Base):
    """One certification project, pinned to the workflow version it started with."""

    __tablename__ = "projects"
    __table_args__ = (UniqueConstraint("client_id", "key", name="uq_projects_client_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    key: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    workflow_name: Mapped[str] = mapped_column(String(64))
    workflow_version: Mapped[int] = mapped_column(Integer)
    workflow_digest: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(64))
    state_entered_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # Counts every transition: a request made during an earlier visit to the same stage is
    # stale even when both visits began at the same instant (coarse or frozen clocks).
    state_visit: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    scope_whole: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    scope_units: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    client: Mapped[ClientRow] = relationship(lazy="joined")

    # A stale writer's UPDATE matches no row and fails: optimistic concurrency.
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class EvidenceDocumentRow(Base):
    """A named document of a kind; its versions are never overwritten."""

    __tablename__ = "evidence_documents"
    __table_args__ = (
        UniqueConstraint("project_id", "kind", "name", name="uq_evidence_documents_identity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    kind: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    current_version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())

    versions: Mapped[list[EvidenceVersionRow]] = relationship(
        back_populates="document", order_by="EvidenceVersionRow.version"
    )


class EvidenceVersionRow(Base):
    """One uploaded file: content-addressed, with the period it speaks for."""

    __tablename__ = "evidence_versions"
    __table_args__ = (
        UniqueConstraint("document_id", "version", name="uq_evidence_versions_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("evidence_documents.id"))
    version: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(Integer)
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    effective_date: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    uploaded_by: Mapped[str] = mapped_column(String(100))
    uploaded_at: Mapped[datetime] = mapped_column(UtcDateTime())

    document: Mapped[EvidenceDocumentRow] = relationship(back_populates="versions")
    approvals: Mapped[list[EvidenceApprovalRow]] = relationship(
        back_populates="evidence_version", order_by="EvidenceApprovalRow.id"
    )


class EvidenceApprovalRow(Base):
    """Who approved one evidence version, in which role, and when."""

    __tablename__ = "evidence_approvals"
    __table_args__ = (
        UniqueConstraint("version_id", "approved_by", "role", name="uq_evidence_approvals_once"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("evidence_versions.id"), index=True)
    approved_by: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(64))
    approved_at: Mapped[datetime] = mapped_column(UtcDateTime())
    note: Mapped[str] = mapped_column(Text, default="")

    evidence_version: Mapped[EvidenceVersionRow] = relationship(back_populates="approvals")


class OverrideRow(Base):
    """A request to force a blocked trigger; applied only after a second person approves."""

    __tablename__ = "overrides"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    trigger: Mapped[str] = mapped_column(String(64))
    from_state: Mapped[str] = mapped_column(String(64))
    # The project's `state_visit` when the request was made: it speaks for that visit only.
    state_visit: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    reason: Mapped[str] = mapped_column(Text)
    blockers: Mapped[list[str]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16))  # pending, applied, stale
    requested_by: Mapped[str] = mapped_column(String(100))
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime())
    approved_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
    approved_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class EventRow(Base):
    """One entry of the append-only, hash-chained history (see store/events.py)."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_project_seq", "project_id", "seq"),)

    # `seq` is assigned as last + 1: two writers racing for the same number collide on the key.
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    format: Mapped[int] = mapped_column(Integer)
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime())
    client_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    project_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    actor: Mapped[str] = mapped_column(String(100))
    type: Mapped[str] = mapped_column(String(64))
    payload: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
