"""`cb_quotes: compared` and `certificate_valid: true`: met and unmet, exact texts."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from isms_flow.isms.certification import (
    Certificate,
    CertificateRegister,
    Quote,
    QuoteRegister,
)
from isms_flow.isms.requirements.certification import (
    CertificateRequirement,
    QuotesComparedRequirement,
)
from isms_flow.workflow.requirements import RequirementResult, parse_requirement
from isms_flow.workflow.snapshot import ProjectSnapshot
from tests.unit.factories import CTX, TODAY, VOCAB


def quote(qid: int, body: str, *, selected: bool = False, reason: str = "") -> Quote:
    return Quote(
        id=qid,
        body=body,
        accreditation="ISMS-AC",
        audit_days=Decimal("8.5"),
        cost=Decimal(1650000),
        quoted_on=TODAY - timedelta(days=10),
        selected=selected,
        selection_reason=reason,
    )


def quotes_result(*quotes: Quote, min_quotes: int = 2) -> RequirementResult:
    requirement = QuotesComparedRequirement(cb_quotes="compared", min_quotes=min_quotes)
    snapshot = ProjectSnapshot(state="s", registers={"quotes": QuoteRegister(quotes)})
    return requirement.evaluate(snapshot, CTX, VOCAB)


def texts(result: RequirementResult) -> list[tuple[str, str]]:
    return [(b.message.en, b.message.ja) for b in result.blockers]


NOT_SELECTED = (
    "cb_quotes: no certification body selected (choose one with "
    "`isms-flow quotes select PROJECT QUOTE_ID --reason TEXT`)",
    "認証機関の見積り: 認証機関が選定されていません"
    "（`isms-flow quotes select PROJECT QUOTE_ID --reason TEXT` で選定）",
)


def test_two_bodies_and_one_selected_with_a_reason_meet_it() -> None:
    result = quotes_result(quote(1, "JQA", selected=True, reason="ISMS-AC"), quote(2, "BSI"))
    assert (result.met, result.have, result.need, result.blockers) == (True, 3, 3, ())
    assert result.label.en == (
        "Certification body quotes: at least 2 bodies compared, one selected with a reason"
    )
    assert result.label.ja == "認証機関の見積り: 2社以上を比較し、理由を付けて1社を選定"


def test_no_quotes_at_all() -> None:
    result = quotes_result()
    assert (result.met, result.have, result.need) == (False, 0, 3)
    assert texts(result) == [
        (
            "cb_quotes: no certification body quotes recorded (2 bodies required; add them "
            "with `isms-flow quotes add PROJECT BODY ...`)",
            "認証機関の見積り: 見積りが記録されていません（2社以上が必要。"
            "`isms-flow quotes add PROJECT BODY ...` で追加）",
        ),
        NOT_SELECTED,
    ]


def test_two_quotes_of_one_body_are_one_comparison_partner() -> None:
    result = quotes_result(quote(1, "JQA"), quote(2, " jqa"), min_quotes=2)
    assert (result.met, result.have) == (False, 1)
    assert texts(result) == [
        (
            "cb_quotes: quotes from 1 of the 2 certification bodies required (so far: JQA)",
            "認証機関の見積り: 必要な2社のうち1社の見積りしかありません（これまで: JQA）",
        ),
        NOT_SELECTED,
    ]
    assert result.blockers[0].items == ("JQA",)


def test_min_quotes_comes_from_the_workflow_file() -> None:
    three = parse_requirement({"cb_quotes": "compared", "min_quotes": 3})
    assert isinstance(three, QuotesComparedRequirement) and three.min_quotes == 3
    assert three.reads == frozenset({"quotes"})
    result = quotes_result(
        quote(1, "JQA", selected=True, reason="r"), quote(2, "BSI"), min_quotes=3
    )
    assert (result.have, result.need) == (3, 4)
    assert texts(result) == [
        (
            "cb_quotes: quotes from 2 of the 3 certification bodies required (so far: JQA, BSI)",
            "認証機関の見積り: 必要な3社のうち2社の見積りしかありません（これまで: JQA、BSI）",
        )
    ]
    with pytest.raises(ValueError, match="cb_quotes requirement: min_quotes"):
        parse_requirement({"cb_quotes": "compared", "min_quotes": 0})


def test_a_selection_needs_a_reason() -> None:
    result = quotes_result(quote(1, "JQA", selected=True, reason="  "), quote(2, "BSI"))
    assert (result.met, result.have) == (False, 2)
    assert texts(result) == [
        (
            "cb_quotes: the selection of #1 JQA has no reason recorded",
            "認証機関の見積り: #1 JQAを選定した理由が記録されていません",
        )
    ]


def test_two_selected_bodies_are_one_too_many() -> None:
    result = quotes_result(
        quote(1, "JQA", selected=True, reason="a"), quote(2, "BSI", selected=True, reason="b")
    )
    assert texts(result) == [
        (
            "cb_quotes: 2 quotes are marked selected (#1 JQA, #2 BSI); exactly one "
            "certification body is chosen",
            "認証機関の見積り: 2件の見積りが選定済みになっています（#1 JQA、#2 BSI）。"
            "選定する認証機関は1社です",
        )
    ]


# certificate_valid


def cert(**changes: object) -> Certificate:
    values: dict[str, object] = {
        "id": 1,
        "number": "JQA-IM2417",
        "body": "JQA",
        "scope": "Development division, Tokyo head office",
        "issued_on": date(2026, 3, 1),
        "expires_on": date(2029, 3, 1),
    }
    values.update(changes)
    return Certificate(**values)  # type: ignore[arg-type]


def cert_result(*certs: Certificate, today: date = TODAY) -> RequirementResult:
    snapshot = ProjectSnapshot(
        state="certified", registers={"certificate": CertificateRegister.of(certs)}
    )
    context = type(CTX)(now=CTX.now, today=today)
    return CertificateRequirement(certificate_valid=True).evaluate(snapshot, context, VOCAB)


def test_a_complete_certificate_valid_today_meets_it() -> None:
    result = cert_result(cert())
    assert (result.met, result.have, result.need, result.blockers) == (True, 1, 1, ())
    assert result.label.en == "Certificate recorded (number, body, scope, dates) and not expired"
    assert result.label.ja == "認証書が記録され（番号・認証機関・適用範囲・日付）、有効期限内である"
    assert cert_result(cert(), today=date(2029, 3, 1)).met  # valid through the expiry day


def test_no_certificate() -> None:
    result = cert_result()
    assert (result.met, result.have, result.need) == (False, 0, 1)
    assert texts(result) == [
        (
            "certificate_valid: no certificate recorded (record it with "
            "`isms-flow certificate record PROJECT NUMBER --issued YYYY-MM-DD`)",
            "認証書: 認証書が記録されていません"
            "（`isms-flow certificate record PROJECT NUMBER --issued YYYY-MM-DD` で記録）",
        )
    ]


def test_an_expired_certificate() -> None:
    result = cert_result(cert(), today=date(2029, 3, 2))
    assert (result.met, result.have) == (False, 0)
    assert texts(result) == [
        (
            "certificate_valid: certificate JQA-IM2417 (JQA) is past its expiry date 2029-03-01; "
            "record the renewed certificate",
            "認証書: 認証書 JQA-IM2417 (JQA) は有効期限（2029-03-01）を過ぎています。"
            "更新後の認証書を記録してください",
        )
    ]


def test_the_renewed_certificate_counts_not_the_expired_one() -> None:
    renewed = cert(
        id=2, number="JQA-IM2417-2", issued_on=date(2029, 2, 1), expires_on=date(2032, 2, 1)
    )
    assert cert_result(cert(), renewed, today=date(2029, 6, 1)).met


def test_a_certificate_lacking_fields_or_dated_later_is_named() -> None:
    result = cert_result(cert(scope=" ", issued_on=date(2026, 5, 1)))
    assert texts(result) == [
        (
            "certificate_valid: certificate JQA-IM2417 (JQA) lacks: scope",
            "認証書: 認証書 JQA-IM2417 (JQA) に記載がない項目: scope",
        ),
        (
            "certificate_valid: certificate JQA-IM2417 (JQA) is dated 2026-05-01, after today",
            "認証書: 認証書 JQA-IM2417 (JQA) の発行日2026-05-01は今日より後です",
        ),
    ]


def test_the_type_key_reads_the_certificate_part() -> None:
    parsed = parse_requirement({"certificate_valid": True})
    assert isinstance(parsed, CertificateRequirement)
    assert parsed.reads == frozenset({"certificate"})
    with pytest.raises(ValueError, match="certificate_valid requirement"):
        parse_requirement({"certificate_valid": False})
