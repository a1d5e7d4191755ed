"""Roles a user holds on a client, the actions they allow, and the permission matrix.

The matrix is data (`PERMISSIONS`), so docs/accounts.md, the tests and any adapter read the
same table. An auditor reads everything including evidence and changes nothing; a viewer sees
where projects stand but not the evidence files.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

from isms_flow.errors import BadInput

__all__ = ["PERMISSIONS", "Action", "Role", "allows", "parse_role"]


class Role(StrEnum):
    """What a user is on one client."""

    ADMIN = "admin"
    CONSULTANT = "consultant"
    PROJECT_MANAGER = "project_manager"
    AUDITOR = "auditor"
    VIEWER = "viewer"


class Action(StrEnum):
    """What a request wants to do with a client's data."""

    READ_PROJECT = "read_project"
    """Projects, status and blockers, deadlines, history, workflow diagrams."""
    READ_EVIDENCE = "read_evidence"
    """Evidence files and the registers' contents (risks, SoA, findings…)."""
    CHANGE_PROJECT = "change_project"
    """Triggers, evidence uploads and approvals, register changes, override requests."""
    APPROVE_OVERRIDE = "approve_override"
    """The second pair of eyes that forces a blocked stage."""
    MANAGE_USERS = "manage_users"
    """Grant and revoke roles on the client."""
    MANAGE_RECIPIENTS = "manage_recipients"
    """Who the client's reminders and escalations go to."""


_READ = frozenset({Action.READ_PROJECT, Action.READ_EVIDENCE})
_WORK = _READ | {Action.CHANGE_PROJECT, Action.MANAGE_RECIPIENTS}

PERMISSIONS: Mapping[Role, frozenset[Action]] = MappingProxyType(
    {
        Role.ADMIN: frozenset(Action),
        Role.CONSULTANT: _WORK | {Action.APPROVE_OVERRIDE},
        Role.PROJECT_MANAGER: _WORK,
        Role.AUDITOR: _READ,
        Role.VIEWER: frozenset({Action.READ_PROJECT}),
    }
)
"""Which actions each role allows; anything not listed is refused."""


def allows(role: Role, action: Action) -> bool:
    """True when `role` permits `action`."""
    return action in PERMISSIONS[role]


def parse_role(text: str) -> Role:
    """The role named `text`, or BadInput listing the known roles."""
    try:
        return Role(text)
    except ValueError:
        known = ", ".join(role.value for role in Role)
        raise BadInput(f"role '{text}' is not one of {known}") from None
