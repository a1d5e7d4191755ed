"""Finding organizations and users by the keys and e-mail addresses people type."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from isms_flow.errors import BadInput, NotFound
from isms_flow.schedule.channels.addresses import check_email_address
from isms_flow.store.tables.accounts import OrganizationRow, UserRow

__all__ = ["check_name", "find_organization", "find_user", "normalize_email"]


def normalize_email(text: str) -> str:
    """A user's identity: the checked address, lower-cased as a whole.

    Mail servers treat the local part as case-sensitive in theory; people do not, and one
    person must not become two users by typing `Tanaka@` once.
    """
    try:
        return check_email_address(text).lower()
    except ValueError as error:
        raise BadInput(str(error)) from None


def check_name(what: str, value: str, most: int = 200) -> str:
    """A display name: spaces collapsed, not empty, at most `most` characters."""
    text = " ".join(value.split())
    if not text:
        raise BadInput(f"{what} must not be empty")
    if len(text) > most:
        raise BadInput(f"{what} is {len(text)} characters long; at most {most}")
    return text


def find_organization(session: Session, key: str) -> OrganizationRow:
    """The organization with `key`, or NotFound."""
    row = session.scalars(select(OrganizationRow).where(OrganizationRow.key == key)).first()
    if row is None:
        raise NotFound("organization", key, hint="see `isms-flow org list`")
    return row


def find_user(session: Session, email: str, *, organization_id: int | None = None) -> UserRow:
    """The user with `email` (in `organization_id` when given), or NotFound."""
    address = normalize_email(email)
    query = select(UserRow).where(UserRow.email == address)
    if organization_id is not None:
        query = query.where(UserRow.organization_id == organization_id)
    row = session.scalars(query).first()
    if row is None:
        raise NotFound("user", address, hint="see `isms-flow user list`")
    return row
