"""Rich rendering of the portfolio: overdue in red, due within 30 days in yellow."""

from __future__ import annotations

import shlex

from rich.markup import escape

from isms_flow.cli.labels import label
from isms_flow.cli.output import console, new_table, print_json
from isms_flow.i18n import Language
from isms_flow.services.deadlines import DUE_SOON_DAYS
from isms_flow.services.portfolio import PortfolioPage, PortfolioRow

__all__ = ["print_portfolio"]


def print_portfolio(
    page: PortfolioPage, json: bool, lang: Language, *, user: str | None, again: str
) -> None:
    """The page as a table (or JSON), and how to get the next page when there is one."""
    if json:
        print_json(page)
        return
    scope = (
        label("portfolio_scope_all", lang)
        if user is None
        else label("portfolio_scope_user", lang).format(user=user)
    )
    if not page.rows:
        console.print(label("portfolio_none", lang).format(scope=scope))
        return
    table = new_table(
        *(
            label(key, lang)
            for key in (
                "project",
                "client",
                "stage",
                "portfolio_days_in_stage",
                "portfolio_blockers",
                "portfolio_next_deadline",
                "portfolio_due",
                "portfolio_days_left",
            )
        ),
        title=label("portfolio_title", lang).format(scope=scope),
    )
    for row in page.rows:
        table.add_row(*_cells(row, lang), style=_style(row))
    console.print(table)
    console.print(label("portfolio_shown", lang).format(shown=len(page.rows), total=page.total))
    if page.next_cursor is not None:
        more = f"{again} --cursor {shlex.quote(page.next_cursor)}"
        console.print(label("portfolio_more", lang).format(command=escape(more)), soft_wrap=True)


def _cells(row: PortfolioRow, lang: Language) -> tuple[str, ...]:
    deadline = row.next_deadline
    days_left = "—" if row.days_left is None else str(row.days_left)
    if row.overdue:
        days_left = f"{days_left} ({label('deadlines_status_overdue', lang)})"
    return (
        escape(row.project),
        escape(row.client_name),
        escape(row.stage_title),
        str(row.days_in_stage),
        "—" if row.blockers is None else str(row.blockers),
        "—" if deadline is None else escape(deadline.title),
        "—" if deadline is None else deadline.due_on.isoformat(),
        days_left,
    )


def _style(row: PortfolioRow) -> str:
    if row.overdue:
        return "bold red"
    if row.days_left is not None and row.days_left <= DUE_SOON_DAYS:
        return "yellow"
    return ""
