"""Rich renderings of notification recipients: the list and the add/remove confirmations."""

from __future__ import annotations

from collections.abc import Sequence

from rich.markup import escape
from rich.table import Table

from isms_flow.cli.labels import label
from isms_flow.cli.output import console, local_time, new_table
from isms_flow.i18n import Language
from isms_flow.services.recipients import NewRecipientView, RecipientView

__all__ = ["print_added", "print_none", "print_removed", "recipients_table"]


def _language(view: RecipientView, lang: Language) -> str:
    if view.language is not None:
        return view.language
    return label("recipients_client_language", lang).format(language=view.effective_language)


def print_added(view: NewRecipientView, lang: Language) -> None:
    """The confirmation; a generated webhook secret is printed here and never again."""
    text = label("recipients_added", lang).format(
        id=view.id,
        channel=view.channel,
        address=view.address,
        client=view.client,
        role=view.role,
        language=_language(view, lang),
    )
    console.print(f"[green]✓[/green] {escape(text)}")
    if view.secret is not None:
        console.print(f"[yellow]![/yellow] {escape(label('recipients_secret_once', lang))}")
        # Printed on its own line, unstyled and unwrapped, so it can be copied as is.
        console.print(view.secret, markup=False, soft_wrap=True)
    elif view.secret_fingerprint is not None:
        given = label("recipients_secret_given", lang).format(fingerprint=view.secret_fingerprint)
        console.print(escape(given))


def print_removed(view: RecipientView, lang: Language) -> None:
    """The confirmation of a removal."""
    text = label("recipients_removed", lang).format(
        id=view.id, channel=view.channel, address=view.address, role=view.role
    )
    console.print(f"[green]✓[/green] {escape(text)}")


def print_none(client: str, lang: Language) -> None:
    """What to do when a client has no recipients yet."""
    console.print(escape(label("recipients_none", lang).format(client=client)))


def recipients_table(views: Sequence[RecipientView], lang: Language, timezone: str) -> Table:
    """One line per recipient; a webhook's secret only as its fingerprint."""
    table = new_table(
        label("id", lang),
        label("recipients_channel", lang),
        label("recipients_address", lang),
        label("recipients_role", lang),
        label("language", lang),
        label("recipients_secret", lang),
        label("recipients_added_by", lang),
        label("recipients_added_at", lang),
    )
    for view in views:
        table.add_row(
            str(view.id),
            view.channel,
            escape(view.address),
            view.role,
            escape(_language(view, lang)),
            view.secret_fingerprint or "",
            escape(view.created_by),
            local_time(view.created_at, timezone),
        )
    return table
