"""Organizations, their users, roles per client, and API tokens (stored only as a hash).

An organization (a consultancy or an in-house team) owns clients (`clients.organization_id`);
a user belongs to one organization and holds at most one role per client of it. An API token
is kept as the SHA-256 of the token text: the text itself exists only in the creator's hands.
See docs/accounts.md.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from isms_flow.store.models import Base
from isms_flow.store.types import UtcDateTime

__all__ = [
    "DEFAULT_ORGANIZATION",
    "ApiTokenRow",
    "OrganizationRow",
    "RoleGrantRow",
    "UserRow",
]

DEFAULT_ORGANIZATION = "default"
"""Key of the organization migration 0006 creates: the owner of clients added without one."""


class OrganizationRow(Base):
    """A consultancy or an in-house team: the tenant that owns clients and users."""

    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class UserRow(Base):
    """A person of one organization, known by a unique e-mail address (lower-cased)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class RoleGrantRow(Base):
    """The one role a user holds on a client of their organization; revoking deletes the row
    (the hash-chained history keeps that it existed)."""

    __tablename__ = "role_grants"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), primary_key=True, index=True)
    role: Mapped[str] = mapped_column(String(32))  # admin, consultant, project_manager, …
    granted_by: Mapped[str] = mapped_column(String(100))
    granted_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ApiTokenRow(Base):
    """An API token of a user: its SHA-256, a fingerprint to tell it apart, expiry, revocation."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))  # the holder's label, e.g. "ci"
    # Looked up by equality on this unique column; the text of the token is never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    fingerprint: Mapped[str] = mapped_column(String(12))  # not derivable from token_hash
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    revoked_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    # Written at most once a minute, so a busy integration does not write on every request.
    last_used_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
