"""The ISO/IEC 27006 audit-time chart and the rule that makes an outlier quote stand out.

The chart gives the initial certification audit time (Stage 1 + Stage 2, auditor-days) by the
number of persons doing work under the organization's control within the scope; values as in
shared/domain/iso27001.md §3.8 (27006 Annex B / CAP 03-01 Table 9). A certification body then
adjusts it for business and IT complexity, so a quote may differ from the chart — but not by
much without a reason.

Outlier rule (`assess_quotes`), each part on its own:

- audit days more than 30 % above or below the chart value for the headcount (exactly 30 % is
  not an outlier): too few days is the classic warning sign of a thin audit, too many of a
  padded one;
- cost per auditor-day more than 30 % above or below the median cost per day of the *other*
  quotes in the same currency, when there are at least two others (with a single other quote
  each would merely be the other's mirror image, and amounts in different currencies are not
  compared).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from statistics import median

from isms_flow.errors import BadInput
from isms_flow.i18n import LocalizedText
from isms_flow.isms.certification import Quote, format_days, format_money

__all__ = [
    "AUDIT_TIME_CHART",
    "DAYS_TOLERANCE",
    "MIN_PEERS",
    "RATE_TOLERANCE",
    "AuditTimeBand",
    "QuoteAssessment",
    "assess_quotes",
    "initial_audit_days",
    "percent",
]

DAYS_TOLERANCE = Decimal("0.30")
RATE_TOLERANCE = Decimal("0.30")
MIN_PEERS = 2
"""Other quotes in the same currency needed before a cost per day is compared with theirs."""


@dataclass(frozen=True)
class AuditTimeBand:
    """Persons `first`…`last` (inclusive) → initial audit time in auditor-days."""

    first: int
    last: int
    days: Decimal


def _chart(*rows: tuple[int, int, str]) -> tuple[AuditTimeBand, ...]:
    return tuple(AuditTimeBand(first, last, Decimal(days)) for first, last, days in rows)


AUDIT_TIME_CHART = _chart(
    (1, 10, "5"),
    (11, 15, "6"),
    (16, 25, "7"),
    (26, 45, "8.5"),
    (46, 65, "10"),
    (66, 85, "11"),
    (86, 125, "12"),
    (126, 175, "13"),
    (176, 275, "14"),
    (276, 425, "15"),
    (426, 625, "16.5"),
    (626, 875, "17.5"),
    (876, 1175, "18.5"),
    (1176, 1550, "19.5"),
    (1551, 2025, "21"),
    (2026, 2675, "22"),
    (2676, 3450, "23"),
    (3451, 4350, "24"),
    (4351, 5450, "25"),
    (5451, 6800, "26"),
    (6801, 8500, "27"),
    (8501, 10700, "28"),
)


def initial_audit_days(headcount: int) -> Decimal:
    """The chart's initial audit days for `headcount` persons in scope."""
    if headcount < 1:
        raise BadInput(
            f"headcount {headcount}: the ISO/IEC 27006 audit time chart starts at 1 person in scope"
        )
    for band in AUDIT_TIME_CHART:
        if band.first <= headcount <= band.last:
            return band.days
    last = AUDIT_TIME_CHART[-1]
    raise BadInput(
        f"headcount {headcount:,} is beyond the ISO/IEC 27006 audit time chart (1–{last.last:,} "
        f"persons, {format_days(last.days)} days at the top); above it the certification body "
        "extrapolates"
    )


def percent(fraction: Decimal) -> int:
    """A fraction as a whole percentage, rounded half up (0.405 → 41)."""
    return int((fraction * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class QuoteAssessment:
    """One quote next to the chart and to the other quotes; `flags` say why it stands out."""

    quote: Quote
    suggested_days: Decimal | None
    days_deviation: Decimal | None  # (quoted − chart) / chart
    peer_rate: Decimal | None  # median cost per day of the other quotes in the same currency
    rate_deviation: Decimal | None  # (cost per day − peer rate) / peer rate
    flags: tuple[LocalizedText, ...] = ()

    @property
    def outlier(self) -> bool:
        """True when any part of the rule flags the quote."""
        return bool(self.flags)


def assess_quotes(
    quotes: Sequence[Quote], suggested_days: Decimal | None
) -> tuple[QuoteAssessment, ...]:
    """Each quote with its deviations from the chart and from its peers, flagged by the rule."""
    return tuple(_assess(quote, quotes, suggested_days) for quote in quotes)


def _assess(quote: Quote, quotes: Sequence[Quote], suggested: Decimal | None) -> QuoteAssessment:
    flags: list[LocalizedText] = []
    days_deviation = None
    if suggested is not None:
        days_deviation = (quote.audit_days - suggested) / suggested
        if abs(days_deviation) > DAYS_TOLERANCE:
            flags.append(_days_flag(quote, suggested, days_deviation))
    peers = [
        other.cost_per_day
        for other in quotes
        if other.id != quote.id and other.currency == quote.currency
    ]
    peer_rate = rate_deviation = None
    if len(peers) >= MIN_PEERS:
        peer_rate = Decimal(median(peers))
        rate_deviation = (quote.cost_per_day - peer_rate) / peer_rate
        if abs(rate_deviation) > RATE_TOLERANCE:
            flags.append(_rate_flag(quote, peer_rate, rate_deviation))
    return QuoteAssessment(
        quote, suggested, days_deviation, peer_rate, rate_deviation, tuple(flags)
    )


def _days_flag(quote: Quote, suggested: Decimal, deviation: Decimal) -> LocalizedText:
    days, chart = format_days(quote.audit_days), format_days(suggested)
    off = abs(percent(deviation))
    en, ja = ("above", "多い") if deviation > 0 else ("below", "少ない")
    return LocalizedText(
        en=f"{days} audit days, {off}% {en} the {chart} the ISO/IEC 27006 chart suggests",
        ja=f"審査工数{days}人日はISO/IEC 27006の目安{chart}人日より{off}%{ja}",
    )


def _rate_flag(quote: Quote, peer_rate: Decimal, deviation: Decimal) -> LocalizedText:
    rate = format_money(quote.cost_per_day, quote.currency)
    peers = format_money(peer_rate, quote.currency)
    off = abs(percent(deviation))
    en, ja = ("above", "高い") if deviation > 0 else ("below", "安い")
    return LocalizedText(
        en=f"{rate} per audit day, {off}% {en} the median of the other quotes ({peers})",
        ja=f"1人日あたり{rate}は他の見積りの中央値（{peers}）より{off}%{ja}",
    )
