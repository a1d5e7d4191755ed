"""Who performs an account change: the local administrator (the CLI) or an authenticated user.

The CLI is a local administrator tool, as it always was: whoever runs it acts under the name
given with `--actor`, and nothing is checked. A `Principal` (an API request, later) is held to
the permission matrix and its tenancy rule.
"""

from __future__ import annotations

from typing import TypeAlias

from isms_flow.accounts import Principal

__all__ = ["Acting", "actor_name"]

Acting: TypeAlias = str | Principal
"""A local administrator's name, or an authenticated principal."""


def actor_name(acting: Acting) -> str:
    """The name the history records for the change."""
    return acting.actor if isinstance(acting, Principal) else acting
