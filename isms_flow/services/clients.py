"""Use cases for clients: the organizations being certified."""

from __future__ import annotations

import re
from collections.abc import Collection
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import structlog
from sqlalchemy import func, select

from isms_flow.bootstrap import App
from isms_flow.errors import BadInput, NotFound
from isms_flow.i18n import LANGUAGES
from isms_flow.services.retry import VersionPin, retry_on_conflict
from isms_flow.services.views import ClientView
from isms_flow.store.events import append_event
from isms_flow.store.models import ClientRow, ProjectRow
from isms_flow.store.tables.accounts import DEFAULT_ORGANIZATION, OrganizationRow

__all__ = ["KEY_PATTERN", "add_client", "check_key", "list_clients"]

KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
_log = structlog.get_logger(__name__)


def check_key(what: str, key: str) -> str:
    """Keys are short lowercase slugs so they are safe in references like `client/project`."""
    if not KEY_PATTERN.match(key):
        raise BadInput(
            f"{what} key '{key}' must be 1–64 lowercase letters, digits or '-', "
            "starting with a letter or digit"
        )
    return key


def add_client(
    app: App,
    *,
    key: str,
    name: str,
    actor: str,
    timezone: str | None = None,
    language: str | None = None,
    organization: str = DEFAULT_ORGANIZATION,
) -> ClientView:
    """Register a client of an organization (by default the installation's `default` one);
    its time zone and language default to the installation's."""
    check_key("client", key)
    if not name.strip():
        raise BadInput("client name must not be empty")
    zone = timezone or app.settings.timezone
    _check_zone(zone)
    lang = language or app.settings.language
    if lang not in LANGUAGES:
        raise BadInput(f"language '{lang}' is not one of {', '.join(LANGUAGES)}")
    now = app.clock.now()

    def attempt(pin: VersionPin) -> ClientView:
        with app.uow() as uow:
            session = uow.session
            if session.scalars(select(ClientRow.id).where(ClientRow.key == key)).first():
                raise BadInput(f"client '{key}' already exists")
            owner = session.scalars(
                select(OrganizationRow.id).where(OrganizationRow.key == organization)
            ).first()
            if owner is None:
                raise NotFound("organization", organization, hint="see `isms-flow org list`")
            client = ClientRow(
                organization_id=owner,
                key=key,
                name=name.strip(),
                timezone=zone,
                language=lang,
                created_at=now,
            )
            session.add(client)
            uow.flush()
            append_event(
                session,
                occurred_at=now,
                actor=actor,
                type="client_added",
                client_id=client.id,
                payload={
                    "key": key,
                    "name": client.name,
                    "timezone": zone,
                    "language": lang,
                    "organization": organization,
                },
            )
            uow.commit()
            _log.info("client_added", client=key, actor=actor)
            return _view(client, projects=0)

    return retry_on_conflict(attempt)


def list_clients(app: App, *, client_ids: Collection[int] | None = None) -> list[ClientView]:
    """Every client (of `client_ids`, if given) with its number of projects, by key."""
    with app.uow() as uow:
        count_query = select(ProjectRow.client_id, func.count()).group_by(ProjectRow.client_id)
        query = select(ClientRow).order_by(ClientRow.key)
        if client_ids is not None:
            ids = sorted(client_ids)
            count_query = count_query.where(ProjectRow.client_id.in_(ids))
            query = query.where(ClientRow.id.in_(ids))
        counts = dict(uow.session.execute(count_query).all())
        clients = uow.session.scalars(query).all()
        return [_view(c, projects=counts.get(c.id, 0)) for c in clients]


def _check_zone(zone: str) -> None:
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise BadInput(
            f"unknown time zone '{zone}' (use an IANA name such as Asia/Tokyo)"
        ) from None


def _view(client: ClientRow, *, projects: int) -> ClientView:
    return ClientView(
        key=client.key,
        name=client.name,
        timezone=client.timezone,
        language=client.language,
        projects=projects,
        created_at=client.created_at,
    )
