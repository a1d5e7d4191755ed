"""The consultant's portfolio: every visible project with its stage, blockers and next
deadline, filtered, sorted and paged in SQL. See docs/portfolio.md."""

from __future__ import annotations

from isms_flow.services.portfolio.blockers import forward_trigger
from isms_flow.services.portfolio.listing import MAX_LIMIT, list_portfolio
from isms_flow.services.portfolio.views import NextDeadlineView, PortfolioPage, PortfolioRow

__all__ = [
    "MAX_LIMIT",
    "NextDeadlineView",
    "PortfolioPage",
    "PortfolioRow",
    "forward_trigger",
    "list_portfolio",
]
