"""API tokens end to end on a real database: created once, hashed, expiring, revocable.

Every refusal is the same "invalid or expired token" and changes nothing — not even the
token's `last_used_at`.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import text

from isms_flow.accounts import Principal, Role
from isms_flow.accounts.tokens import token_fingerprint
from isms_flow.bootstrap import App
from isms_flow.clock import FrozenClock
from isms_flow.errors import AuthenticationFailed, BadInput, NotFound, PermissionDenied
from isms_flow.services import accounts
from isms_flow.store.models import Base
from tests.integration.accounts_support import (
    ADMIN,
    PM,
    Tenants,
    make_tenants,
    principal_of,
)
from tests.integration.support import stored_events

INVALID = "invalid or expired token"


@pytest.fixture
def tenants(app: App) -> Tenants:
    return make_tenants(app)


def _snapshot(app: App) -> tuple[list[tuple[object, ...]], int]:
    """Every token row and the number of events: what a refusal must leave alone."""
    with app.engine.connect() as connection:
        tokens = connection.execute(text("SELECT * FROM api_tokens ORDER BY id")).all()
        events = connection.execute(text("SELECT count(*) FROM events")).scalar_one()
    return [tuple(row) for row in tokens], int(events)


def _refused(app: App, token: str) -> None:
    before = _snapshot(app)
    with pytest.raises(AuthenticationFailed) as refused:
        accounts.authenticate(app, token, app.clock.now())
    assert str(refused.value) == INVALID
    assert _snapshot(app) == before


def test_a_valid_token_resolves_to_its_user_and_roles(app: App, tenants: Tenants) -> None:
    created = accounts.create_token(app, email=PM, actor="root", name="ci")
    principal = accounts.authenticate(app, created.token, app.clock.now())
    assert isinstance(principal, Principal)
    assert (principal.email, principal.name, principal.token_id) == (PM, "pm", created.id)
    assert principal.roles == {tenants.acme: Role.PROJECT_MANAGER}
    assert principal.actor == PM


def test_every_kind_of_bad_token_gets_the_same_answer_and_changes_nothing(
    app: App, tenants: Tenants, clock: FrozenClock
) -> None:
    good = accounts.create_token(app, email=PM, actor="root")
    expiring = accounts.create_token(app, email=PM, actor="root", expires_in_days=1)
    revoked = accounts.create_token(app, email=PM, actor="root")
    accounts.revoke_token(app, token_id=revoked.id, actor="root")
    forged = "isf_" + "A" * 43  # well formed, never issued
    for token in (
        revoked.token,
        forged,
        good.token[:-1],  # truncated: malformed
        good.token + "x",
        good.token.replace("isf_", "isg_"),  # wrong prefix
        good.token.removeprefix("isf_"),
        good.token.upper(),
        "",
        " " + good.token,
    ):
        _refused(app, token)
    clock.advance(timedelta(days=1))  # expires at exactly this instant
    _refused(app, expiring.token)
    accounts.authenticate(app, good.token, app.clock.now())  # the good one still works


def test_use_is_recorded_at_most_once_a_minute(
    app: App, tenants: Tenants, clock: FrozenClock
) -> None:
    created = accounts.create_token(app, email=PM, actor="root")

    def last_used() -> object:
        return accounts.list_tokens(app, email=PM)[0].last_used_at

    assert last_used() is None
    first = app.clock.now()
    accounts.authenticate(app, created.token, first)
    assert last_used() == first
    clock.advance(timedelta(seconds=59))
    accounts.authenticate(app, created.token, app.clock.now())
    assert last_used() == first
    clock.advance(timedelta(seconds=1))
    accounts.authenticate(app, created.token, app.clock.now())
    assert last_used() == first + timedelta(seconds=60)


def test_the_token_is_stored_only_as_its_hash_and_never_in_the_history(
    app: App, tenants: Tenants
) -> None:
    created = accounts.create_token(app, email=ADMIN, actor="root", name="ci")
    accounts.revoke_token(app, token_id=created.id, actor="root")
    digest = hashlib.sha256(created.token.encode()).hexdigest()
    with app.engine.connect() as connection:
        stored = connection.execute(
            text("SELECT token_hash, fingerprint FROM api_tokens WHERE id = :id"),
            {"id": created.id},
        ).one()
    assert tuple(stored) == (digest, token_fingerprint(created.token))
    with app.engine.connect() as connection:
        everything = str(
            [connection.execute(table.select()).all() for table in Base.metadata.sorted_tables]
        )
    assert digest in everything and created.token not in everything
    if app.engine.dialect.name == "sqlite":  # not even in a freed page or the log
        app.engine.dispose()
        database = app.settings.data_dir / "isms-flow.db"
        raw = b"".join(p.read_bytes() for p in database.parent.glob(database.name + "*"))
        assert digest.encode() in raw  # the right file was read...
        assert created.token.encode() not in raw  # ...and the token is nowhere in it
    payloads = [e.payload for e in stored_events(app) if e.type.startswith("token_")]
    assert [sorted(p) for p in payloads] == [
        ["expires_at", "fingerprint", "name", "token_id", "user"],
        ["fingerprint", "token_id", "user"],
    ]
    assert all(created.token not in str(p) and digest not in str(p) for p in payloads)


def test_listing_shows_status_and_never_the_token(
    app: App, tenants: Tenants, clock: FrozenClock
) -> None:
    first = accounts.create_token(app, email=PM, actor="root", name="laptop", expires_in_days=1)
    clock.advance(timedelta(hours=1))
    second = accounts.create_token(app, email=PM, actor="root", name="ci")
    third = accounts.create_token(app, email=PM, actor="root")
    accounts.revoke_token(app, token_id=third.id, actor="root")
    clock.advance(timedelta(days=1))
    listed = accounts.list_tokens(app, email=PM)
    assert [(t.id, t.name, t.status) for t in listed] == [
        (third.id, "", "revoked"),
        (second.id, "ci", "active"),
        (first.id, "laptop", "expired"),
    ]
    assert all("token" not in t.model_dump() for t in listed)
    assert [u.active_tokens for u in accounts.list_users(app) if u.email == PM] == [1]


def test_revoking_twice_or_an_unknown_token_is_refused(app: App, tenants: Tenants) -> None:
    created = accounts.create_token(app, email=PM, actor="root")
    accounts.revoke_token(app, token_id=created.id, actor="root")
    with pytest.raises(BadInput) as twice:
        accounts.revoke_token(app, token_id=created.id, actor="root")
    assert str(twice.value) == (
        f"API token #{created.id} was already revoked by root on 2026-04-01"
    )
    with pytest.raises(NotFound) as unknown:
        accounts.revoke_token(app, token_id=999, actor="root")
    assert str(unknown.value) == "API token #999 not found: see `isms-flow token list EMAIL`"


def test_a_principal_manages_only_its_own_tokens(app: App, tenants: Tenants) -> None:
    admin = principal_of(app, ADMIN)
    own = accounts.create_token(app, email=ADMIN, actor=admin, name="script")
    assert own.created_by == ADMIN
    theirs = accounts.create_token(app, email=PM, actor="root")
    with pytest.raises(PermissionDenied, match="only be created by the user it belongs to"):
        accounts.create_token(app, email=PM, actor=admin)
    with pytest.raises(PermissionDenied, match="only the user a token belongs to may list it"):
        accounts.list_tokens(app, email=PM, principal=admin)
    with pytest.raises(NotFound) as foreign:
        accounts.revoke_token(app, token_id=theirs.id, actor=admin)
    with pytest.raises(NotFound) as missing:
        accounts.revoke_token(app, token_id=999, actor=admin)
    assert str(foreign.value) == f"API token #{theirs.id} not found"
    assert str(missing.value) == "API token #999 not found"
    revoked = accounts.revoke_token(app, token_id=own.id, actor=admin)
    assert (revoked.status, revoked.revoked_by) == ("revoked", ADMIN)


def test_a_user_without_roles_authenticates_and_sees_nothing(app: App, tenants: Tenants) -> None:
    accounts.revoke_role(app, email=PM, client_key="acme", actor="root")
    principal = principal_of(app, PM)
    assert principal.roles == {}
