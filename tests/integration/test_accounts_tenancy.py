"""Tenancy: a principal sees, lists and changes only clients it holds a role on.

A client without a role answers "not found" exactly like a missing one; a role without the
permission answers "not allowed"; roles are granted only within one organization.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from isms_flow.accounts import Action, Principal, Role
from isms_flow.bootstrap import App
from isms_flow.errors import BadInput, NotFound, PermissionDenied
from isms_flow.services import accounts
from isms_flow.store.models import ProjectRow
from tests.integration.accounts_support import (
    ADMIN,
    KITA_ADMIN,
    PM,
    VIEWER,
    Tenants,
    make_tenants,
    principal_of,
)
from tests.integration.support import event_count, execute, row_count


@pytest.fixture
def tenants(app: App) -> Tenants:
    return make_tenants(app)


def _not_found(call: object) -> str:
    with pytest.raises(NotFound) as error:
        call()  # type: ignore[operator]
    return str(error.value)


def test_visible_client_ids_hold_only_the_clients_with_a_role(app: App, tenants: Tenants) -> None:
    admin = principal_of(app, ADMIN)
    assert admin.roles == {tenants.acme: Role.ADMIN}
    with app.uow() as uow:
        assert accounts.visible_client_ids(uow.session, admin) == {tenants.acme}
        kita = principal_of(app, KITA_ADMIN)
        assert accounts.visible_client_ids(uow.session, kita) == {tenants.gamma}


def test_a_list_filtered_by_visible_clients_never_shows_another_clients_projects(
    app: App, tenants: Tenants
) -> None:
    viewer = principal_of(app, VIEWER)
    with app.uow() as uow:
        seen = uow.session.scalars(
            select(ProjectRow.client_id).where(
                ProjectRow.client_id.in_(accounts.visible_clients(viewer))
            )
        ).all()
    assert seen == [tenants.acme]


@pytest.mark.parametrize("ref", ["beta/isms", "gamma/isms"])
def test_a_project_of_a_client_without_a_role_is_not_found_like_a_missing_one(
    app: App, tenants: Tenants, ref: str
) -> None:
    admin = principal_of(app, ADMIN)
    with app.uow() as uow:
        foreign = _not_found(
            lambda: accounts.find_visible_project(uow.session, admin, ref, Action.READ_PROJECT)
        )
        missing = _not_found(
            lambda: accounts.find_visible_project(
                uow.session, admin, "acme/nope", Action.READ_PROJECT
            )
        )
    assert foreign == f"project {ref} not found"
    assert missing == "project acme/nope not found"


def test_a_bare_project_key_is_resolved_among_visible_clients_only(
    app: App, tenants: Tenants
) -> None:
    # Three clients have a project `isms`; for this principal only one exists, so the
    # reference is neither ambiguous nor does any message name beta or gamma.
    admin = principal_of(app, ADMIN)
    with app.uow() as uow:
        project = accounts.find_visible_project(uow.session, admin, "isms", Action.CHANGE_PROJECT)
        assert project.client_id == tenants.acme


def test_a_client_without_a_role_is_not_found_like_a_missing_one(
    app: App, tenants: Tenants
) -> None:
    admin = principal_of(app, ADMIN)
    with app.uow() as uow:
        messages = {
            key: _not_found(
                lambda key=key: accounts.find_visible_client(  # type: ignore[misc]
                    uow.session, admin, key, Action.READ_PROJECT
                )
            )
            for key in ("beta", "gamma", "nope")
        }
    assert messages == {k: f"client {k} not found" for k in ("beta", "gamma", "nope")}


def test_a_role_without_the_permission_is_denied_not_hidden(app: App, tenants: Tenants) -> None:
    viewer = principal_of(app, VIEWER)
    with app.uow() as uow:
        assert accounts.find_visible_project(uow.session, viewer, "acme/isms", Action.READ_PROJECT)
        with pytest.raises(PermissionDenied) as denied:
            accounts.find_visible_project(uow.session, viewer, "acme/isms", Action.READ_EVIDENCE)
    assert str(denied.value) == (
        "project acme/isms: the role 'viewer' does not allow 'read_evidence' "
        "(it allows: read_project)"
    )


def test_a_revoked_role_hides_the_client_from_the_next_request(app: App, tenants: Tenants) -> None:
    accounts.revoke_role(app, email=VIEWER, client_key="acme", actor="root")
    viewer = principal_of(app, VIEWER)
    assert viewer.roles == {}
    with app.uow() as uow:
        assert accounts.visible_client_ids(uow.session, viewer) == frozenset()
        assert (
            _not_found(
                lambda: accounts.find_visible_project(
                    uow.session, viewer, "acme/isms", Action.READ_PROJECT
                )
            )
            == "project acme/isms not found"
        )


def test_a_grant_on_another_organizations_client_written_out_of_band_grants_nothing(
    app: App, tenants: Tenants
) -> None:
    execute(
        app,
        "INSERT INTO role_grants (user_id, client_id, role, granted_by, granted_at) "
        "SELECT id, :gamma, 'admin', 'intruder', '2026-04-01 00:00:00.000000' FROM users "
        "WHERE email = :email",
        gamma=tenants.gamma,
        email=PM,
    )
    pm = principal_of(app, PM)
    assert pm.client_ids == {tenants.acme}
    with app.uow() as uow:
        assert accounts.visible_client_ids(uow.session, pm) == {tenants.acme}


# Granting as a principal: an admin of a client manages roles there and nowhere else.


def test_an_admin_grants_roles_on_their_client_as_themselves(app: App, tenants: Tenants) -> None:
    admin = principal_of(app, ADMIN)
    granted = accounts.grant_role(app, email=VIEWER, client_key="acme", role="auditor", actor=admin)
    assert (granted.role, granted.previous, granted.actor) == ("auditor", "viewer", ADMIN)
    assert principal_of(app, VIEWER).roles == {tenants.acme: Role.AUDITOR}


def _unchanged(app: App, expected_events: int, expected_grants: int) -> None:
    assert event_count(app) == expected_events
    assert row_count(app, "role_grants") == expected_grants


def test_an_admin_cannot_see_clients_elsewhere_to_grant_on(app: App, tenants: Tenants) -> None:
    admin = principal_of(app, ADMIN)
    events, grants = event_count(app), row_count(app, "role_grants")
    for client in ("beta", "gamma", "nope"):
        message = _not_found(
            lambda client=client: accounts.grant_role(  # type: ignore[misc]
                app, email=PM, client_key=client, role="viewer", actor=admin
            )
        )
        assert message == f"client {client} not found"
    _unchanged(app, events, grants)


def test_users_of_another_organization_do_not_exist_for_an_admin(
    app: App, tenants: Tenants
) -> None:
    admin = principal_of(app, ADMIN)
    events, grants = event_count(app), row_count(app, "role_grants")
    foreign = _not_found(
        lambda: accounts.grant_role(
            app, email=KITA_ADMIN, client_key="acme", role="viewer", actor=admin
        )
    )
    missing = _not_found(
        lambda: accounts.grant_role(
            app, email="nobody@nakano.example.jp", client_key="acme", role="viewer", actor=admin
        )
    )
    assert foreign == f"user {KITA_ADMIN} not found: see `isms-flow user list`"
    assert missing == "user nobody@nakano.example.jp not found: see `isms-flow user list`"
    _unchanged(app, events, grants)


def test_only_an_admin_manages_roles_and_never_their_own(app: App, tenants: Tenants) -> None:
    pm, admin = principal_of(app, PM), principal_of(app, ADMIN)
    events, grants = event_count(app), row_count(app, "role_grants")
    with pytest.raises(PermissionDenied, match="the role 'project_manager' does not allow"):
        accounts.grant_role(app, email=VIEWER, client_key="acme", role="admin", actor=pm)
    with pytest.raises(PermissionDenied, match="does not allow 'manage_users'"):
        accounts.revoke_role(app, email=ADMIN, client_key="acme", actor=pm)
    with pytest.raises(PermissionDenied) as own:
        accounts.revoke_role(app, email=ADMIN, client_key="acme", actor=admin)
    assert str(own.value) == (
        f"{ADMIN} cannot change their own role on client 'acme'; ask another admin"
    )
    _unchanged(app, events, grants)


def test_the_local_administrator_grants_only_within_one_organization(
    app: App, tenants: Tenants
) -> None:
    events, grants = event_count(app), row_count(app, "role_grants")
    with pytest.raises(BadInput) as crossed:
        accounts.grant_role(app, email=KITA_ADMIN, client_key="acme", role="viewer", actor="root")
    assert str(crossed.value) == (
        f"{KITA_ADMIN} belongs to organization 'kita', client 'acme' to 'nakano': "
        "a role is granted only on clients of the user's own organization"
    )
    _unchanged(app, events, grants)


def test_a_principal_built_by_hand_is_held_to_the_same_rules(app: App, tenants: Tenants) -> None:
    # An adapter may cache or build principals; the rules read only what the principal holds.
    nobody = Principal(user_id=999, email="x@nakano.example.jp", name="X", organization_id=1)
    with app.uow() as uow:
        assert accounts.visible_client_ids(uow.session, nobody) == frozenset()
        assert (
            _not_found(
                lambda: accounts.find_visible_client(
                    uow.session, nobody, "acme", Action.READ_PROJECT
                )
            )
            == "client acme not found"
        )
