"""Certification bodies' quotes and the certificate, as pure values and the rules that check
what a user types for them.

The snapshot parts "quotes" and "certificate" are a QuoteRegister and a CertificateRegister.
Money is Decimal, never float; the audit-time table and the outlier rule live in
`isms.audit_time`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from isms_flow.errors import BadInput

__all__ = [
    "CERTIFICATE_YEARS",
    "DEFAULT_CURRENCY",
    "DEFAULT_STANDARD",
    "Certificate",
    "CertificateRegister",
    "Quote",
    "QuoteRegister",
    "body_key",
    "certificate_expiry",
    "check_expiry",
    "format_days",
    "format_money",
    "money",
    "normalize_accreditation",
    "normalize_currency",
    "parse_audit_days",
    "parse_cost",
]

DEFAULT_CURRENCY = "JPY"
DEFAULT_STANDARD = "ISO/IEC 27001:2022"
CERTIFICATE_YEARS = 3
"""ISO/IEC 17021-1 9.1.3: a certification cycle, and so a certificate, lasts three years."""

# ISO 4217 currencies without a minor unit among those a certification body may quote in:
# their amounts are whole numbers and are shown without decimals.
_WHOLE_CURRENCIES = frozenset({"JPY", "KRW", "VND", "CLP", "ISK", "HUF", "TWD"})
_MAX_COST = Decimal("999999999999.99")  # Numeric(14, 2) of the cb_quotes table
_MAX_DAYS = Decimal("99999.9")  # Numeric(6, 1)


def _decimal(what: str, raw: str | Decimal | int) -> Decimal:
    text = str(raw).strip().replace(",", "").replace("_", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise BadInput(f"{what} '{str(raw).strip()}' is not a number") from None
    if not value.is_finite():
        raise BadInput(f"{what} '{str(raw).strip()}' is not a number")
    return value


def _places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def normalize_currency(raw: str) -> str:
    """A three-letter ISO 4217 code, upper-case (`jpy` → `JPY`)."""
    code = raw.strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise BadInput(f"currency '{raw.strip()}' is not a three-letter code such as JPY or EUR")
    return code


def normalize_accreditation(raw: str) -> str:
    """An accreditation body's name, upper-case with single spaces (`isms-ac` → `ISMS-AC`)."""
    name = " ".join(raw.split()).upper()
    if not name:
        raise BadInput("accreditation must not be empty (e.g. ISMS-AC, UKAS, ANAB, JAB, DAkkS)")
    if len(name) > 64:
        raise BadInput(f"accreditation is {len(name)} characters long; at most 64")
    return name


def parse_audit_days(raw: str | Decimal | int) -> Decimal:
    """Auditor-days as quoted: positive, at most one decimal (8.5)."""
    days = _decimal("audit days", raw)
    if days <= 0:
        raise BadInput(f"audit days must be more than 0, not {days}")
    if _places(days) > 1:
        raise BadInput(f"audit days {raw}: at most one decimal (e.g. 8.5)")
    if days > _MAX_DAYS:
        raise BadInput(f"audit days {raw}: at most {_MAX_DAYS}")
    return days.quantize(Decimal("0.1"))


def parse_cost(raw: str | Decimal | int, currency: str) -> Decimal:
    """A positive amount with no more decimals than the currency has (none for JPY)."""
    cost = _decimal("cost", raw)
    if cost <= 0:
        raise BadInput(f"cost must be more than 0, not {cost}")
    if cost > _MAX_COST:
        raise BadInput(f"cost {cost} is too large (at most {_MAX_COST})")
    places = 0 if currency in _WHOLE_CURRENCIES else 2
    if _places(cost) > places:
        unit = "whole amounts" if places == 0 else "at most 2 decimals"
        raise BadInput(f"cost {raw} {currency}: {currency} takes {unit}")
    return cost.quantize(Decimal(1) if places == 0 else Decimal("0.01"))


def money(amount: Decimal, currency: str) -> Decimal:
    """`amount` rounded (half up) to the currency's unit: yen, or cents."""
    unit = Decimal(1) if currency in _WHOLE_CURRENCIES else Decimal("0.01")
    return amount.quantize(unit, rounding=ROUND_HALF_UP)


def format_money(amount: Decimal, currency: str) -> str:
    """`JPY 1,650,000` or `EUR 12,400.00`: no decimals for currencies without a minor unit."""
    return f"{currency} {money(amount, currency):,}"


def format_days(days: Decimal) -> str:
    """`8.5`, `10` — auditor-days without a needless `.0`."""
    whole = days.to_integral_value()
    return str(whole) if days == whole else str(days.normalize())


def body_key(body: str) -> str:
    """How two quotes are recognised as coming from the same certification body."""
    return " ".join(body.split()).casefold()


@dataclass(frozen=True)
class Quote:
    """A certification body's quote for the initial certification (Stage 1 + Stage 2)."""

    id: int
    body: str
    accreditation: str
    audit_days: Decimal
    cost: Decimal
    quoted_on: date
    currency: str = DEFAULT_CURRENCY
    note: str = ""
    selected: bool = False
    selection_reason: str = ""

    @property
    def cost_per_day(self) -> Decimal:
        """What one auditor-day costs in this quote."""
        return self.cost / self.audit_days

    @property
    def price(self) -> str:
        """The cost with its currency, formatted."""
        return format_money(self.cost, self.currency)


@dataclass(frozen=True)
class QuoteRegister:
    """Every quote of a project, in the order they were recorded."""

    quotes: tuple[Quote, ...] = field(default_factory=tuple)

    @property
    def selected(self) -> tuple[Quote, ...]:
        """The quotes marked selected (exactly one once a body is chosen)."""
        return tuple(quote for quote in self.quotes if quote.selected)

    @property
    def bodies(self) -> tuple[str, ...]:
        """The certification bodies that quoted, each once, in order of their first quote."""
        seen: dict[str, str] = {}
        for quote in self.quotes:
            seen.setdefault(body_key(quote.body), quote.body)
        return tuple(seen.values())


def certificate_expiry(issued_on: date) -> date:
    """Issue date plus three years; 29 February becomes 28 February in a common year."""
    year = issued_on.year + CERTIFICATE_YEARS
    if issued_on.month == 2 and issued_on.day == 29:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return date(year, 2, 29 if leap else 28)
    return issued_on.replace(year=year)


def check_expiry(issued_on: date, expires_on: date | None, reason: str) -> tuple[date, str]:
    """The expiry to record and its reason: by default issue + 3 years, no reason needed.

    An earlier expiry is accepted with a reason, because a recertification or a restored
    certificate keeps the expiry of the running cycle (ISO/IEC 17021-1 9.6.3, IAF FAQ Q26). A
    later one never is: no cycle lasts more than three years.
    """
    computed = certificate_expiry(issued_on)
    reason = " ".join(reason.split())
    if expires_on is None or expires_on == computed:
        if reason:
            raise BadInput("an expiry reason is only needed with an earlier --expires date")
        return computed, ""
    if expires_on > computed:
        raise BadInput(
            f"expiry {expires_on.isoformat()} is more than {CERTIFICATE_YEARS} years after the "
            f"issue date {issued_on.isoformat()} (at most {computed.isoformat()})"
        )
    if expires_on <= issued_on:
        raise BadInput(
            f"expiry {expires_on.isoformat()} is not after the issue date {issued_on.isoformat()}"
        )
    if not reason:
        raise BadInput(
            f"expiry {expires_on.isoformat()} is earlier than issue + {CERTIFICATE_YEARS} years "
            f"({computed.isoformat()}): say why with --expiry-reason (e.g. the running cycle's "
            "expiry is kept)"
        )
    return expires_on, reason


@dataclass(frozen=True)
class Certificate:
    """An issued ISMS certificate; valid up to and including `expires_on`."""

    id: int
    number: str
    body: str
    scope: str
    issued_on: date
    expires_on: date
    standard: str = DEFAULT_STANDARD
    expiry_reason: str = ""

    def expired(self, today: date) -> bool:
        """True once `today` is after the expiry date."""
        return today > self.expires_on

    @property
    def missing_fields(self) -> tuple[str, ...]:
        """Names of the fields an auditor needs that are blank."""
        fields = {
            "number": self.number,
            "body": self.body,
            "scope": self.scope,
            "standard": self.standard,
        }
        return tuple(name for name, value in fields.items() if not value.strip())


@dataclass(frozen=True)
class CertificateRegister:
    """Every certificate recorded for a project (initial, then recertifications)."""

    certificates: tuple[Certificate, ...] = field(default_factory=tuple)

    @classmethod
    def of(cls, certificates: Iterable[Certificate]) -> CertificateRegister:
        """A register in issue order."""
        ordered = sorted(certificates, key=lambda cert: (cert.issued_on, cert.id))
        return cls(tuple(ordered))

    @property
    def latest(self) -> Certificate | None:
        """The most recently issued certificate."""
        return self.certificates[-1] if self.certificates else None
