"""The ISO/IEC 27006 audit-time chart at every band boundary, and the outlier rule."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from itertools import pairwise

import pytest

from isms_flow.errors import BadInput
from isms_flow.isms.audit_time import (
    AUDIT_TIME_CHART,
    QuoteAssessment,
    assess_quotes,
    initial_audit_days,
    percent,
)
from isms_flow.isms.certification import Quote

# The chart as printed in shared/domain/iso27001.md §3.8: (first, last, days).
CHART = [
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
]


def test_the_chart_is_the_documented_table_without_gaps() -> None:
    assert [(b.first, b.last, b.days) for b in AUDIT_TIME_CHART] == [
        (first, last, Decimal(days)) for first, last, days in CHART
    ]
    for lower, upper in pairwise(AUDIT_TIME_CHART):
        assert upper.first == lower.last + 1


@pytest.mark.parametrize(("first", "last", "days"), CHART)
def test_both_ends_of_every_band_give_its_days(first: int, last: int, days: str) -> None:
    assert initial_audit_days(first) == Decimal(days)
    assert initial_audit_days(last) == Decimal(days)


def test_one_person_past_a_band_is_in_the_next() -> None:
    assert initial_audit_days(45) == Decimal("8.5")
    assert initial_audit_days(46) == Decimal("10")


@pytest.mark.parametrize("headcount", [0, -3])
def test_a_headcount_below_one_is_refused(headcount: int) -> None:
    with pytest.raises(BadInput) as refused:
        initial_audit_days(headcount)
    assert str(refused.value) == (
        f"headcount {headcount}: the ISO/IEC 27006 audit time chart starts at 1 person in scope"
    )


def test_a_headcount_beyond_the_chart_says_so() -> None:
    with pytest.raises(BadInput) as refused:
        initial_audit_days(10_701)
    assert str(refused.value) == (
        "headcount 10,701 is beyond the ISO/IEC 27006 audit time chart (1–10,700 persons, "
        "28 days at the top); above it the certification body extrapolates"
    )


def quote(qid: int, days: str, cost: str, currency: str = "JPY", body: str = "") -> Quote:
    return Quote(
        id=qid,
        body=body or f"Body {qid}",
        accreditation="ISMS-AC",
        audit_days=Decimal(days),
        cost=Decimal(cost),
        quoted_on=date(2026, 3, 1),
        currency=currency,
    )


def only(assessments: tuple[QuoteAssessment, ...], qid: int) -> QuoteAssessment:
    return next(a for a in assessments if a.quote.id == qid)


def test_audit_days_exactly_30_percent_off_the_chart_are_not_an_outlier() -> None:
    # 10 days suggested: 7 and 13 are exactly 30 % off; 6.9 and 13.1 are beyond.
    quotes = [quote(1, "7", "1400000"), quote(2, "13", "2600000")]
    assert [a.outlier for a in assess_quotes(quotes, Decimal(10))] == [False, False]
    beyond = [quote(1, "6.9", "1380000"), quote(2, "13.1", "2620000")]
    assessed = assess_quotes(beyond, Decimal(10))
    assert [a.outlier for a in assessed] == [True, True]
    assert [f.en for f in only(assessed, 1).flags] == [
        "6.9 audit days, 31% below the 10 the ISO/IEC 27006 chart suggests"
    ]
    assert [f.ja for f in only(assessed, 2).flags] == [
        "審査工数13.1人日はISO/IEC 27006の目安10人日より31%多い"
    ]
    assert only(assessed, 1).days_deviation == Decimal("-0.31")


def test_without_a_chart_value_days_are_not_judged() -> None:
    assessed = assess_quotes([quote(1, "2", "400000"), quote(2, "30", "6000000")], None)
    assert [a.outlier for a in assessed] == [False, False]
    assert assessed[0].days_deviation is None and assessed[0].suggested_days is None


def test_cost_per_day_is_compared_with_the_median_of_the_other_quotes() -> None:
    # Per day: 200,000 / 210,000 / 190,000 / 320,000 (#4 is far above the others' 200,000).
    quotes = [
        quote(1, "8.5", "1700000"),
        quote(2, "9", "1890000"),
        quote(3, "8", "1520000"),
        quote(4, "8.5", "2720000"),
    ]
    assessed = assess_quotes(quotes, Decimal("8.5"))
    assert [a.outlier for a in assessed] == [False, False, False, True]
    flagged = only(assessed, 4)
    assert flagged.peer_rate == Decimal(200000)
    assert [f.en for f in flagged.flags] == [
        "JPY 320,000 per audit day, 60% above the median of the other quotes (JPY 200,000)"
    ]
    assert [f.ja for f in flagged.flags] == [
        "1人日あたりJPY 320,000は他の見積りの中央値（JPY 200,000）より60%高い"
    ]
    # The expensive quote does not drag the others into outliers: each is judged against the
    # median of the rest.
    assert only(assessed, 1).peer_rate == Decimal(210000)


def test_cost_per_day_exactly_30_percent_off_is_not_an_outlier() -> None:
    quotes = [
        quote(1, "10", "2000000"),
        quote(2, "10", "2000000"),
        quote(3, "10", "2600000"),  # +30 % exactly
        quote(4, "10", "1400000", body="cheap"),  # −30 % of the others' median 2,000,000
    ]
    assessed = assess_quotes(quotes, None)
    assert only(assessed, 3).rate_deviation == Decimal("0.3")
    assert not only(assessed, 3).outlier
    assert not only(assessed, 4).outlier


def test_a_single_other_quote_is_no_yardstick_for_the_cost_per_day() -> None:
    assessed = assess_quotes([quote(1, "8.5", "850000"), quote(2, "8.5", "4250000")], None)
    assert [a.outlier for a in assessed] == [False, False]
    assert assessed[0].peer_rate is None and assessed[0].rate_deviation is None


def test_quotes_in_another_currency_are_not_peers() -> None:
    quotes = [
        quote(1, "8.5", "1700000"),
        quote(2, "8.5", "1800000"),
        quote(3, "8.5", "12000", currency="EUR"),
        quote(4, "8.5", "13000", currency="EUR"),
    ]
    assessed = assess_quotes(quotes, None)
    assert all(a.peer_rate is None for a in assessed)


def test_both_parts_of_the_rule_can_flag_one_quote() -> None:
    quotes = [quote(1, "8.5", "1700000"), quote(2, "9", "1800000"), quote(3, "5", "2000000")]
    flags = only(assess_quotes(quotes, Decimal("8.5")), 3).flags
    assert [f.en for f in flags] == [
        "5 audit days, 41% below the 8.5 the ISO/IEC 27006 chart suggests",
        "JPY 400,000 per audit day, 100% above the median of the other quotes (JPY 200,000)",
    ]


def test_percent_rounds_half_up() -> None:
    assert [percent(Decimal(x)) for x in ("0.405", "-0.405", "0.004", "1")] == [41, -41, 0, 100]
