"""Result models of the quote and certificate use cases: what the CLI prints or `--json` gives.

Amounts and audit days are Decimals, written as strings in JSON so no precision is lost.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict

__all__ = [
    "CertificateStatusView",
    "CertificateView",
    "ComparisonRowView",
    "ComparisonView",
    "QuoteView",
    "SelectionView",
]


class _View(BaseModel):
    model_config = ConfigDict(frozen=True)


class QuoteView(_View):
    """One certification body's quote."""

    id: int
    project: str
    body: str
    accreditation: str
    audit_days: Decimal
    cost: Decimal
    currency: str
    price: str
    """The cost formatted with its currency: `JPY 1,650,000`."""
    cost_per_day: Decimal
    cost_per_day_text: str
    quoted_on: date
    note: str
    selected: bool
    selection_reason: str
    recorded_by: str
    recorded_at: datetime


class SelectionView(_View):
    """The quote now selected, and the one it replaced (if any)."""

    selected: QuoteView
    unselected: list[QuoteView]
    previous_reason: str | None
    """The reason the same quote had before, when only the reason changed."""


class ComparisonRowView(_View):
    """One quote next to the ISO/IEC 27006 chart and to the other quotes."""

    quote: QuoteView
    days_deviation_percent: int | None
    peer_cost_per_day: Decimal | None
    cost_per_day_deviation_percent: int | None
    outlier: bool
    flags: list[str]


class ComparisonView(_View):
    """The quotes side by side; `suggested_days` is None when no headcount fits the chart."""

    project: str
    as_of: date
    headcount: int | None
    headcount_source: Literal["staff", "given"]
    suggested_days: Decimal | None
    note: str | None
    """Why there is no suggestion (no in-scope staff, headcount beyond the chart)."""
    rule: str
    rows: list[ComparisonRowView]
    bodies: int
    selected_id: int | None


class CertificateView(_View):
    """A recorded certificate and where it stands today."""

    id: int
    project: str
    number: str
    body: str
    scope: str
    standard: str
    issued_on: date
    expires_on: date
    expiry_reason: str
    expired: bool
    days_to_expiry: int
    recorded_by: str
    recorded_at: datetime


class CertificateStatusView(_View):
    """The current certificate of a project and the earlier ones."""

    project: str
    as_of: date
    current: CertificateView | None
    earlier: list[CertificateView]
