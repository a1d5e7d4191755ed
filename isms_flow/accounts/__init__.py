"""Accounts and authorization, pure: roles, the permission matrix, principals, token rules.

No database, no framework: services (`isms_flow.services.accounts`) store and load; API and CLI
adapters call `authorize`/`require` with a `Principal` resolved per request.
"""

from __future__ import annotations

from isms_flow.accounts.authorization import (
    Decision,
    authorize,
    hidden,
    require,
    require_admin_somewhere,
)
from isms_flow.accounts.principal import Principal
from isms_flow.accounts.roles import PERMISSIONS, Action, Role, allows, parse_role

__all__ = [
    "PERMISSIONS",
    "Action",
    "Decision",
    "Principal",
    "Role",
    "allows",
    "authorize",
    "hidden",
    "parse_role",
    "require",
    "require_admin_somewhere",
]
