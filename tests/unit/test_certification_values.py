"""Quotes and certificates as values: money, audit days, accreditation, expiry."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from isms_flow.errors import BadInput
from isms_flow.isms.certification import (
    Certificate,
    CertificateRegister,
    Quote,
    QuoteRegister,
    certificate_expiry,
    check_expiry,
    format_days,
    format_money,
    normalize_accreditation,
    normalize_currency,
    parse_audit_days,
    parse_cost,
)

# expiry


@pytest.mark.parametrize(
    ("issued", "expires"),
    [
        (date(2026, 4, 1), date(2029, 4, 1)),
        (date(2024, 2, 29), date(2027, 2, 28)),  # three years after a leap year: common
        (date(2028, 2, 29), date(2031, 2, 28)),
        (date(2025, 2, 28), date(2028, 2, 28)),  # 28 Feb stays 28 Feb in leap 2028
        (date(2025, 3, 1), date(2028, 3, 1)),
        (date(2097, 2, 28), date(2100, 2, 28)),  # 2100 is not a leap year
        (date(2025, 12, 31), date(2028, 12, 31)),
    ],
)
def test_a_certificate_expires_three_years_after_issue(issued: date, expires: date) -> None:
    assert certificate_expiry(issued) == expires


def test_expiry_defaults_to_the_computed_date_and_needs_no_reason() -> None:
    assert check_expiry(date(2026, 4, 1), None, "") == (date(2029, 4, 1), "")
    assert check_expiry(date(2026, 4, 1), date(2029, 4, 1), "") == (date(2029, 4, 1), "")


def test_an_earlier_expiry_is_kept_with_its_reason() -> None:
    kept = check_expiry(date(2026, 4, 1), date(2027, 9, 30), "  keeps  the running cycle ")
    assert kept == (date(2027, 9, 30), "keeps the running cycle")


@pytest.mark.parametrize(
    ("expires", "reason", "message"),
    [
        (
            date(2027, 9, 30),
            "",
            "expiry 2027-09-30 is earlier than issue + 3 years (2029-04-01): say why with "
            "--expiry-reason (e.g. the running cycle's expiry is kept)",
        ),
        (
            date(2029, 4, 2),
            "longer",
            "expiry 2029-04-02 is more than 3 years after the issue date 2026-04-01 "
            "(at most 2029-04-01)",
        ),
        (date(2026, 4, 1), "same day", "expiry 2026-04-01 is not after the issue date 2026-04-01"),
        (None, "why", "an expiry reason is only needed with an earlier --expires date"),
    ],
)
def test_an_expiry_that_cannot_be_right_is_refused(
    expires: date | None, reason: str, message: str
) -> None:
    with pytest.raises(BadInput) as refused:
        check_expiry(date(2026, 4, 1), expires, reason)
    assert str(refused.value) == message


def test_a_certificate_is_valid_through_its_expiry_day() -> None:
    cert = Certificate(1, "C-1", "JQA", "Dev", date(2026, 4, 1), date(2029, 4, 1))
    assert not cert.expired(date(2029, 4, 1))
    assert cert.expired(date(2029, 4, 2))


def test_the_latest_certificate_is_the_last_issued() -> None:
    old = Certificate(7, "C-1", "JQA", "Dev", date(2023, 4, 1), date(2026, 4, 1))
    new = Certificate(3, "C-2", "JQA", "Dev", date(2026, 3, 1), date(2029, 3, 1))
    assert CertificateRegister.of([new, old]).latest == new
    assert CertificateRegister().latest is None


def test_blank_certificate_fields_are_named() -> None:
    cert = Certificate(1, "C-1", " ", "", date(2026, 4, 1), date(2029, 4, 1))
    assert cert.missing_fields == ("body", "scope")


# money and days


@pytest.mark.parametrize(
    ("amount", "currency", "shown"),
    [
        ("1650000", "JPY", "JPY 1,650,000"),
        ("194117.6470", "JPY", "JPY 194,118"),
        ("12400", "EUR", "EUR 12,400.00"),
        ("1377.775", "GBP", "GBP 1,377.78"),
        ("990000", "KRW", "KRW 990,000"),
    ],
)
def test_money_is_shown_with_the_currency_s_decimals(
    amount: str, currency: str, shown: str
) -> None:
    assert format_money(Decimal(amount), currency) == shown


def test_costs_are_read_as_decimals_with_thousands_separators() -> None:
    assert parse_cost("1,650,000", "JPY") == Decimal("1650000")
    assert parse_cost("12400.5", "EUR") == Decimal("12400.50")


@pytest.mark.parametrize(
    ("raw", "currency", "message"),
    [
        ("1650000.5", "JPY", "cost 1650000.5 JPY: JPY takes whole amounts"),
        ("12.345", "EUR", "cost 12.345 EUR: EUR takes at most 2 decimals"),
        ("0", "JPY", "cost must be more than 0, not 0"),
        ("-5", "JPY", "cost must be more than 0, not -5"),
        ("1.2.3", "JPY", "cost '1.2.3' is not a number"),
        ("NaN", "JPY", "cost 'NaN' is not a number"),
        ("1e13", "JPY", "cost 1E+13 is too large (at most 999999999999.99)"),
    ],
)
def test_a_cost_that_is_not_an_amount_is_refused(raw: str, currency: str, message: str) -> None:
    with pytest.raises(BadInput) as refused:
        parse_cost(raw, currency)
    assert str(refused.value) == message


def test_audit_days_take_one_decimal() -> None:
    assert parse_audit_days("8.5") == Decimal("8.5")
    assert parse_audit_days("9") == Decimal("9.0")
    assert format_days(Decimal("9.0")) == "9" and format_days(Decimal("8.5")) == "8.5"
    with pytest.raises(BadInput, match=r"audit days 8.25: at most one decimal \(e.g. 8.5\)"):
        parse_audit_days("8.25")
    with pytest.raises(BadInput, match="audit days must be more than 0, not 0"):
        parse_audit_days("0")
    with pytest.raises(BadInput, match="audit days 'eight' is not a number"):
        parse_audit_days("eight")


def test_accreditation_and_currency_are_normalised() -> None:
    assert normalize_accreditation("  isms-ac ") == "ISMS-AC"
    assert normalize_accreditation("dakks") == "DAKKS"
    assert normalize_accreditation("jab  rva") == "JAB RVA"
    assert normalize_currency(" jpy") == "JPY"
    with pytest.raises(BadInput, match="accreditation must not be empty"):
        normalize_accreditation("   ")
    with pytest.raises(BadInput, match="currency '円' is not a three-letter code"):
        normalize_currency("円")


def test_quotes_count_per_certification_body() -> None:
    def q(qid: int, body: str, selected: bool = False) -> Quote:
        return Quote(
            qid, body, "ISMS-AC", Decimal(8), Decimal(1), date(2026, 3, 1), selected=selected
        )

    register = QuoteRegister((q(1, "JQA"), q(2, "jqa "), q(3, "BSI Group Japan", True)))
    assert register.bodies == ("JQA", "BSI Group Japan")
    assert [quote.id for quote in register.selected] == [3]
    assert register.quotes[0].cost_per_day == Decimal("0.125")
