"""Rich renderings of organizations, users, roles and API tokens, and their confirmations."""

from __future__ import annotations

from collections.abc import Sequence

from rich.markup import escape
from rich.table import Table

from isms_flow.cli.labels import label
from isms_flow.cli.output import console, local_time, new_table
from isms_flow.i18n import Language
from isms_flow.services.accounts.views import (
    GrantView,
    NewTokenView,
    OrganizationView,
    TokenView,
    UserView,
)

__all__ = [
    "organizations_table",
    "print_granted",
    "print_no_tokens",
    "print_no_users",
    "print_organization_added",
    "print_revoked",
    "print_token_created",
    "print_token_revoked",
    "print_user_added",
    "tokens_table",
    "users_table",
]

_STATUS_STYLE = {"active": "green", "expired": "yellow", "revoked": "red"}


def _done(text: str) -> None:
    console.print(f"[green]✓[/green] {escape(text)}")


def print_organization_added(view: OrganizationView, lang: Language) -> None:
    """The confirmation of `org add`."""
    _done(label("accounts_org_added", lang).format(key=view.key, name=view.name))


def organizations_table(views: Sequence[OrganizationView], lang: Language) -> Table:
    """One line per organization with its clients and number of users."""
    table = new_table(
        label("key", lang),
        label("name", lang),
        label("accounts_clients", lang),
        label("accounts_users", lang),
    )
    for view in views:
        table.add_row(view.key, escape(view.name), ", ".join(view.clients) or "—", str(view.users))
    return table


def print_user_added(view: UserView, lang: Language) -> None:
    """The confirmation of `user add`, with the next step."""
    text = label("accounts_user_added", lang).format(
        email=view.email, name=view.name, organization=view.organization
    )
    _done(text)


def print_no_users(lang: Language) -> None:
    """What to do when there are no users yet."""
    console.print(escape(label("accounts_users_none", lang)))


def users_table(views: Sequence[UserView], lang: Language) -> Table:
    """One line per user: organization, roles per client, working tokens."""
    table = new_table(
        label("accounts_email", lang),
        label("name", lang),
        label("accounts_organization", lang),
        label("accounts_roles", lang),
        label("accounts_active_tokens", lang),
    )
    for view in views:
        roles = ", ".join(f"{r.client}: {r.role}" for r in view.roles)
        table.add_row(
            escape(view.email),
            escape(view.name),
            view.organization,
            roles or label("accounts_no_role", lang),
            str(view.active_tokens),
        )
    return table


def print_granted(view: GrantView, lang: Language) -> None:
    """The confirmation of `user grant`, naming the role it replaced."""
    text = label("accounts_granted", lang).format(
        email=view.email, role=view.role, client=view.client
    )
    if view.previous is not None:
        text += label("accounts_granted_was", lang).format(previous=view.previous)
    _done(text)


def print_revoked(view: GrantView, lang: Language) -> None:
    """The confirmation of `user revoke`."""
    text = label("accounts_revoked", lang).format(
        email=view.email, previous=view.previous, client=view.client
    )
    _done(text)


def print_token_created(view: NewTokenView, lang: Language, timezone: str) -> None:
    """The confirmation of `token create`; the token is printed here and never again."""
    text = label("accounts_token_created", lang).format(
        id=view.id,
        fingerprint=view.fingerprint,
        email=view.email,
        expires=local_time(view.expires_at, timezone),
    )
    _done(text)
    console.print(f"[yellow]![/yellow] {escape(label('accounts_token_once', lang))}")
    # On its own line, unstyled and unwrapped, so it can be copied as is.
    console.print(view.token, markup=False, soft_wrap=True)


def print_token_revoked(view: TokenView, lang: Language) -> None:
    """The confirmation of `token revoke`."""
    text = label("accounts_token_revoked", lang).format(
        id=view.id, fingerprint=view.fingerprint, email=view.email
    )
    _done(text)


def print_no_tokens(email: str, lang: Language) -> None:
    """What to do when a user has no tokens."""
    console.print(escape(label("accounts_tokens_none", lang).format(email=email)))


def tokens_table(views: Sequence[TokenView], lang: Language, timezone: str) -> Table:
    """One line per token: never its text, only its fingerprint."""
    table = new_table(
        label("id", lang),
        label("name", lang),
        label("accounts_fingerprint", lang),
        label("status", lang),
        label("accounts_expires", lang),
        label("accounts_last_used", lang),
        label("accounts_created", lang),
        label("accounts_created_by", lang),
    )
    for view in views:
        status = label(_status_label(view.status), lang)
        style = _STATUS_STYLE.get(view.status, "")
        used = view.last_used_at
        table.add_row(
            str(view.id),
            escape(view.name) or "—",
            view.fingerprint,
            f"[{style}]{status}[/{style}]" if style else status,
            local_time(view.expires_at, timezone),
            local_time(used, timezone) if used else label("accounts_never", lang),
            local_time(view.created_at, timezone),
            escape(view.created_by),
        )
    return table


def _status_label(status: str) -> str:
    return "accounts_token_revoked_status" if status == "revoked" else f"accounts_token_{status}"
