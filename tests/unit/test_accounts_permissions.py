"""The permission matrix, every role × every action, and the tenancy decision."""

from __future__ import annotations

import re

import pytest

from isms_flow.accounts import (
    PERMISSIONS,
    Action,
    Decision,
    Principal,
    Role,
    authorize,
    hidden,
    parse_role,
    require,
)
from isms_flow.errors import BadInput, NotFound, PermissionDenied
from tests.conftest import REPO

# The matrix as docs/accounts.md states it, spelled out once more on purpose: changing a cell
# must be a decision made in two places, not a side effect of editing one set.
EXPECTED: dict[Action, set[Role]] = {
    Action.READ_PROJECT: set(Role),
    Action.READ_EVIDENCE: {Role.ADMIN, Role.CONSULTANT, Role.PROJECT_MANAGER, Role.AUDITOR},
    Action.CHANGE_PROJECT: {Role.ADMIN, Role.CONSULTANT, Role.PROJECT_MANAGER},
    Action.APPROVE_OVERRIDE: {Role.ADMIN, Role.CONSULTANT},
    Action.MANAGE_USERS: {Role.ADMIN},
    Action.MANAGE_RECIPIENTS: {Role.ADMIN, Role.CONSULTANT, Role.PROJECT_MANAGER},
}
CLIENT_A, CLIENT_B = 11, 22


def _principal(role: Role) -> Principal:
    return Principal(
        user_id=1, email="u@nakano.example.jp", name="U", organization_id=7, roles={CLIENT_A: role}
    )


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", list(Action))
def test_every_role_and_action_is_decided_as_documented(role: Role, action: Action) -> None:
    expected = Decision.ALLOW if role in EXPECTED[action] else Decision.DENY
    assert authorize(_principal(role), CLIENT_A, action) is expected


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", list(Action))
def test_no_role_on_a_client_hides_it_whatever_the_role_elsewhere(
    role: Role, action: Action
) -> None:
    assert authorize(_principal(role), CLIENT_B, action) is Decision.HIDE


def test_the_auditor_reads_evidence_and_changes_nothing() -> None:
    assert PERMISSIONS[Role.AUDITOR] == {Action.READ_PROJECT, Action.READ_EVIDENCE}


def test_the_documented_table_is_the_matrix() -> None:
    text = (REPO / "docs" / "accounts.md").read_text(encoding="utf-8")
    header = ["admin", "consultant", "project_manager", "auditor", "viewer"]
    documented: dict[Action, set[Role]] = {}
    for line in text.splitlines():
        match = re.match(r"^\| `(\w+)` \|[^|]*\|(.*)\|$", line)
        if match:
            cells = [cell.strip() for cell in match[2].split("|")]
            documented[Action(match[1])] = {
                Role(name) for name, cell in zip(header, cells, strict=True) if cell == "✓"
            }
    assert documented == EXPECTED
    assert {action: {r for r in Role if action in PERMISSIONS[r]} for action in Action} == EXPECTED


def test_a_foreign_object_is_not_found_exactly_like_a_missing_one() -> None:
    principal = _principal(Role.ADMIN)
    with pytest.raises(NotFound) as foreign:
        require(principal, CLIENT_B, Action.READ_PROJECT, what="project", key="beta/isms")
    missing = hidden("project", "beta/isms")
    assert type(foreign.value) is type(missing)
    assert str(foreign.value) == str(missing) == "project beta/isms not found"


def test_a_role_without_the_permission_is_told_so() -> None:
    with pytest.raises(PermissionDenied) as denied:
        require(
            _principal(Role.VIEWER), CLIENT_A, Action.READ_EVIDENCE, what="project", key="acme/isms"
        )
    assert str(denied.value) == (
        "project acme/isms: the role 'viewer' does not allow 'read_evidence' "
        "(it allows: read_project)"
    )


def test_an_allowed_action_passes_silently() -> None:
    require(_principal(Role.AUDITOR), CLIENT_A, Action.READ_EVIDENCE, what="project", key="x")


def test_a_principals_roles_cannot_be_changed_after_it_is_resolved() -> None:
    roles = {CLIENT_A: Role.VIEWER}
    principal = Principal(user_id=1, email="u@x.jp", name="U", organization_id=7, roles=roles)
    roles[CLIENT_B] = Role.ADMIN
    assert principal.client_ids == {CLIENT_A}
    with pytest.raises(TypeError):
        principal.roles[CLIENT_B] = Role.ADMIN  # type: ignore[index]


def test_an_unknown_role_lists_the_known_ones() -> None:
    assert parse_role("auditor") is Role.AUDITOR
    with pytest.raises(BadInput) as bad:
        parse_role("owner")
    assert str(bad.value) == (
        "role 'owner' is not one of admin, consultant, project_manager, auditor, viewer"
    )
