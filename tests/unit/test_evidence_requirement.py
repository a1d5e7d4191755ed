"""Evidence and scope requirements: met or not, and blockers that say exactly why in en and ja."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from isms_flow.i18n import LocalizedText
from isms_flow.workflow.requirements import (
    Requirement,
    RequirementResult,
    known_requirement_types,
    parse_requirement,
)
from isms_flow.workflow.requirements.evidence import EvidenceRequirement
from isms_flow.workflow.requirements.scope import ScopeRequirement
from isms_flow.workflow.snapshot import EvidenceFact, ProjectSnapshot, Scope
from tests.unit.factories import CTX, TODAY, VOCAB, fact


def evaluate(
    requirement: Requirement, *facts: EvidenceFact, scope: Scope | None = None
) -> RequirementResult:
    """Evaluate against a snapshot holding `facts` (current versions only) at TODAY."""
    snapshot = ProjectSnapshot(state="any", scope=scope, evidence=facts)
    return requirement.evaluate(snapshot, CTX, VOCAB)


def only_blocker_text(requirement: Requirement, *facts: EvidenceFact) -> tuple[str, str]:
    """(en, ja) of the single blocker of an unmet requirement."""
    result = evaluate(requirement, *facts)
    assert not result.met
    assert len(result.blockers) == 1
    message = result.blockers[0].message
    return message.en, message.ja


def test_requirement_is_parsed_from_its_yaml_mapping() -> None:
    requirement = parse_requirement({"evidence": "policy", "approved_by_role": "top_management"})
    assert requirement == EvidenceRequirement(evidence="policy", approved_by_role="top_management")
    assert requirement.evidence_kinds() == ("policy",)
    assert requirement.roles() == ("top_management",)


def test_nothing_uploaded_blocks_with_the_kind_named() -> None:
    requirement = EvidenceRequirement(evidence="policy")
    result = evaluate(requirement)
    assert (result.met, result.have, result.need) == (False, 0, 1)
    assert result.blockers[0].code == "policy"
    assert result.blockers[0].items == ()
    assert only_blocker_text(requirement) == (
        "policy: no Information security policy uploaded",
        "policy: 情報セキュリティ方針が提出されていません",
    )


def test_nothing_uploaded_says_how_many_are_required() -> None:
    assert only_blocker_text(EvidenceRequirement(evidence="cb_quote", min_count=2)) == (
        "cb_quote: no Certification body quote uploaded (2 required)",
        "cb_quote: 認証機関の見積書が提出されていません（2件必要）",
    )


def test_one_document_of_two_required_blocks() -> None:
    requirement = EvidenceRequirement(evidence="cb_quote", min_count=2)
    quote = fact("cb_quote", "quote-a.pdf")
    result = evaluate(requirement, quote)
    assert (result.met, result.have, result.need) == (False, 1, 2)
    assert result.blockers[0].items == ()
    assert only_blocker_text(requirement, quote) == (
        "cb_quote: 1 of 2 required Certification body quote qualify",
        "cb_quote: 認証機関の見積書の要件を満たすもの 1/2件",
    )


def test_two_documents_of_two_required_are_met() -> None:
    requirement = EvidenceRequirement(evidence="cb_quote", min_count=2)
    result = evaluate(
        requirement,
        fact("cb_quote", "quote-a.pdf", document_id=1),
        fact("cb_quote", "quote-b.pdf", document_id=2),
    )
    assert (result.met, result.have, result.need, result.blockers) == (True, 2, 2, ())


def test_unapproved_document_blocks_when_approval_is_required() -> None:
    requirement = EvidenceRequirement(evidence="policy", approved=True)
    policy = fact("policy", "policy.pdf")
    assert evaluate(requirement, policy).blockers[0].items == ("'policy.pdf' v1",)
    assert only_blocker_text(requirement, policy) == (
        "policy: 0 of 1 required Information security policy qualify — 'policy.pdf' v1: "
        "not approved",
        "policy: 情報セキュリティ方針の要件を満たすもの 0/1件 — 'policy.pdf' v1: 未承認",
    )


def test_approval_in_any_role_meets_a_plain_approval_requirement() -> None:
    requirement = EvidenceRequirement(evidence="policy", approved=True)
    assert evaluate(requirement, fact("policy", "policy.pdf", approved_by=("isms_manager",))).met


def test_approval_by_the_wrong_role_blocks() -> None:
    requirement = EvidenceRequirement(evidence="policy", approved_by_role="top_management")
    policy = fact("policy", "policy.pdf", version=2, approved_by=("isms_manager",))
    assert only_blocker_text(requirement, policy) == (
        "policy: 0 of 1 required Information security policy qualify — 'policy.pdf' v2: "
        "not approved by Top management",
        "policy: 情報セキュリティ方針の要件を満たすもの 0/1件 — 'policy.pdf' v2: "
        "トップマネジメントの承認がない",
    )


def test_approval_by_the_required_role_among_others_is_met() -> None:
    requirement = EvidenceRequirement(evidence="policy", approved_by_role="top_management")
    policy = fact("policy", "policy.pdf", approved_by=("isms_manager", "top_management"))
    assert evaluate(requirement, policy).met


def test_document_past_its_valid_until_date_is_expired() -> None:
    requirement = EvidenceRequirement(evidence="policy")
    policy = fact("policy", "policy.pdf", valid_until=TODAY - timedelta(days=1))
    assert only_blocker_text(requirement, policy) == (
        "policy: 0 of 1 required Information security policy qualify — 'policy.pdf' v1: "
        "expired on 2026-03-31",
        "policy: 情報セキュリティ方針の要件を満たすもの 0/1件 — 'policy.pdf' v1: "
        "2026-03-31に有効期限切れ",
    )


def test_document_is_still_valid_on_its_valid_until_day() -> None:
    requirement = EvidenceRequirement(evidence="policy")
    assert evaluate(requirement, fact("policy", "policy.pdf", valid_until=TODAY)).met


def test_document_older_than_max_age_blocks() -> None:
    requirement = EvidenceRequirement(evidence="audit_report", max_age_days=365)
    report = fact("audit_report", "ia-2025.pdf", effective_date=TODAY - timedelta(days=366))
    assert only_blocker_text(requirement, report) == (
        "audit_report: 0 of 1 required Internal audit report qualify — 'ia-2025.pdf' v1: "
        "dated 2025-03-31, older than 365 days",
        "audit_report: 内部監査報告書の要件を満たすもの 0/1件 — 'ia-2025.pdf' v1: "
        "日付2025-03-31が365日より古い",
    )


def test_document_exactly_max_age_days_old_still_counts() -> None:
    requirement = EvidenceRequirement(evidence="audit_report", max_age_days=365)
    report = fact("audit_report", "ia-2025.pdf", effective_date=date(2025, 4, 1))
    assert (TODAY - report.effective_date).days == 365
    assert evaluate(requirement, report).met


def test_every_fault_of_one_document_is_listed() -> None:
    requirement = EvidenceRequirement(
        evidence="audit_report", approved_by_role="internal_auditor", max_age_days=365
    )
    report = fact(
        "audit_report",
        "ia.pdf",
        version=3,
        effective_date=date(2024, 12, 1),
        valid_until=date(2025, 12, 1),
        approved_by=("isms_manager",),
    )
    assert only_blocker_text(requirement, report) == (
        "audit_report: 0 of 1 required Internal audit report qualify — 'ia.pdf' v3: "
        "expired on 2025-12-01, dated 2024-12-01, older than 365 days, "
        "not approved by Internal auditor",
        "audit_report: 内部監査報告書の要件を満たすもの 0/1件 — 'ia.pdf' v3: "
        "2025-12-01に有効期限切れ、日付2024-12-01が365日より古い、内部監査員の承認がない",
    )


def test_faults_of_several_documents_are_listed_and_good_ones_are_not() -> None:
    requirement = EvidenceRequirement(evidence="cb_quote", min_count=3, approved=True)
    facts = (
        fact("cb_quote", "a.pdf", document_id=1, approved_by=("top_management",)),
        fact("cb_quote", "b.pdf", document_id=2),
        fact("cb_quote", "c.pdf", document_id=3, valid_until=date(2026, 1, 31)),
    )
    result = evaluate(requirement, *facts)
    assert (result.have, result.need) == (1, 3)
    assert result.blockers[0].items == ("'b.pdf' v1", "'c.pdf' v1")
    assert only_blocker_text(requirement, *facts) == (
        "cb_quote: 1 of 3 required Certification body quote qualify — 'b.pdf' v1: not approved; "
        "'c.pdf' v1: expired on 2026-01-31, not approved",
        "cb_quote: 認証機関の見積書の要件を満たすもの 1/3件 — 'b.pdf' v1: 未承認；"
        "'c.pdf' v1: 2026-01-31に有効期限切れ、未承認",
    )


def test_one_qualifying_document_is_enough_even_when_others_are_faulty() -> None:
    requirement = EvidenceRequirement(evidence="policy", approved=True)
    result = evaluate(
        requirement,
        fact("policy", "old.pdf", document_id=1),
        fact("policy", "new.pdf", document_id=2, approved_by=("top_management",)),
    )
    assert (result.met, result.have, result.blockers) == (True, 1, ())


def test_each_document_counts_once_by_its_current_version() -> None:
    # A snapshot holds only the current version of each document: v3 of one document is one
    # document, whatever its version number; other kinds never count.
    requirement = EvidenceRequirement(evidence="cb_quote", min_count=2)
    current = fact("cb_quote", "quote-a.pdf", document_id=7, version=3)
    other_kind = fact("policy", "quote-b.pdf", document_id=8)
    result = evaluate(requirement, current, other_kind)
    assert (result.met, result.have) == (False, 1)


def test_current_version_decides_even_when_an_earlier_one_was_approved() -> None:
    # v1 was approved, v2 (the current one) is not: the snapshot only carries v2.
    requirement = EvidenceRequirement(evidence="policy", approved=True)
    assert only_blocker_text(requirement, fact("policy", "policy.pdf", version=2))[0].endswith(
        "'policy.pdf' v2: not approved"
    )


def test_snapshot_offers_only_documents_of_the_asked_kind() -> None:
    facts = (fact("policy", "p", document_id=1), fact("cb_quote", "q", document_id=2))
    snapshot = ProjectSnapshot(state="x", evidence=facts)
    assert snapshot.evidence_of("policy") == (facts[0],)
    assert snapshot.evidence_of("training_record") == ()


def test_document_label_names_file_and_version() -> None:
    assert fact("policy", "policy.pdf", version=4).label == "'policy.pdf' v4"


@pytest.mark.parametrize(
    ("requirement", "en", "ja"),
    [
        (
            EvidenceRequirement(evidence="policy"),
            "Information security policy",
            "情報セキュリティ方針",
        ),
        (
            EvidenceRequirement(evidence="cb_quote", min_count=2),
            "Certification body quote (at least 2)",
            "認証機関の見積書（2件以上）",
        ),
        (
            EvidenceRequirement(evidence="policy", approved=True),
            "Information security policy (approved)",
            "情報セキュリティ方針（承認済み）",
        ),
        (
            EvidenceRequirement(
                evidence="audit_report", approved_by_role="internal_auditor", max_age_days=365
            ),
            "Internal audit report (approved by Internal auditor, dated within 365 days)",
            "内部監査報告書（内部監査員の承認、365日以内の日付）",
        ),
        (
            EvidenceRequirement(
                evidence="cb_quote", min_count=3, approved=True, approved_by_role="top_management"
            ),
            "Certification body quote (at least 3, approved by Top management)",
            "認証機関の見積書（3件以上、トップマネジメントの承認）",
        ),
        (
            EvidenceRequirement(evidence="undeclared_kind"),
            "undeclared_kind",
            "undeclared_kind",
        ),
        (
            EvidenceRequirement(
                evidence="policy", min_count=2, title=LocalizedText(en="Own words", ja="独自の表現")
            ),
            "Own words",
            "独自の表現",
        ),
    ],
)
def test_checklist_label_describes_the_requirement(
    requirement: EvidenceRequirement, en: str, ja: str
) -> None:
    assert requirement.label(VOCAB) == LocalizedText(en=en, ja=ja)
    assert evaluate(requirement).label == LocalizedText(en=en, ja=ja)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ({"evidence": "policy", "min_count": 0}, "evidence requirement: min_count:"),
        ({"evidence": "policy", "max_age_days": 0}, "evidence requirement: max_age_days:"),
        ({"evidence": "Policy"}, "evidence requirement: evidence:"),
        ({"scope": "maybe"}, "scope requirement: scope:"),
        ("evidence", "a requirement must be a mapping, not str"),
        ({}, f"unknown requirement type '<empty>' (known: {', '.join(known_requirement_types())})"),
    ],
)
def test_bad_requirement_parameters_are_refused(raw: object, reason: str) -> None:
    with pytest.raises(ValueError, match="^" + reason.replace("(", r"\(").replace(")", r"\)")):
        parse_requirement(raw)


# Scope


SCOPE_LABEL = LocalizedText(
    en="Certification scope recorded (whole organization or named departments/sites)",
    ja="認証の適用範囲が記録されている（組織全体または部署・拠点）",
)


@pytest.mark.parametrize(
    "scope", [Scope(whole_organization=True), Scope(whole_organization=False, units=("Sales",))]
)
def test_recorded_scope_is_met(scope: Scope) -> None:
    result = evaluate(ScopeRequirement(scope="defined"), scope=scope)
    assert (result.met, result.have, result.need, result.blockers) == (True, 1, 1, ())
    assert result.label == SCOPE_LABEL


@pytest.mark.parametrize("scope", [None, Scope(whole_organization=False, units=())])
def test_missing_scope_blocks_with_how_to_set_it(scope: Scope | None) -> None:
    result = evaluate(ScopeRequirement(scope="defined"), scope=scope)
    assert (result.met, result.have, result.need) == (False, 0, 1)
    assert [b.code for b in result.blockers] == ["scope"]
    assert result.blockers[0].message == LocalizedText(
        en="scope: no certification scope recorded "
        "(set it with `isms-flow project scope PROJECT --whole` or `--unit NAME`)",
        ja="適用範囲: 認証の適用範囲が記録されていません"
        "（`isms-flow project scope PROJECT --whole` または `--unit 名前` で設定）",
    )


def test_scope_describes_itself() -> None:
    assert Scope(whole_organization=True).describe() == "whole organization"
    assert Scope(whole_organization=False, units=("Sales", "Tokyo")).describe() == "Sales, Tokyo"


# Property: met iff enough documents qualify, judged independently of the implementation.

ROLES = ("top_management", "isms_manager", "internal_auditor")


@st.composite
def evidence_facts(draw: st.DrawFn) -> tuple[EvidenceFact, ...]:
    """Current versions of documents of two kinds; names are unique per kind, as in the store."""
    count = draw(st.integers(min_value=0, max_value=6))
    facts = []
    for index in range(count):
        facts.append(
            fact(
                draw(st.sampled_from(("cb_quote", "policy"))),
                f"doc-{index}.pdf",
                document_id=index + 1,
                version=draw(st.integers(min_value=1, max_value=5)),
                effective_date=TODAY - timedelta(days=draw(st.integers(0, 800))),
                valid_until=draw(
                    st.none() | st.integers(-30, 30).map(lambda d: TODAY + timedelta(days=d))
                ),
                approved_by=tuple(draw(st.lists(st.sampled_from(ROLES), max_size=2, unique=True))),
            )
        )
    return tuple(facts)


requirements = st.builds(
    EvidenceRequirement,
    evidence=st.just("cb_quote"),
    min_count=st.integers(min_value=1, max_value=4),
    approved=st.booleans(),
    approved_by_role=st.none() | st.sampled_from(ROLES),
    max_age_days=st.none() | st.integers(min_value=1, max_value=730),
)


def _qualifies(requirement: EvidenceRequirement, doc: EvidenceFact) -> bool:
    roles = {a.role for a in doc.approvals}
    if doc.valid_until is not None and doc.valid_until < TODAY:
        return False
    too_old = requirement.max_age_days is not None and (
        (TODAY - doc.effective_date).days > requirement.max_age_days
    )
    if too_old:
        return False
    if requirement.approved_by_role is not None:
        return requirement.approved_by_role in roles
    return bool(roles) or not requirement.approved


@given(requirement=requirements, facts=evidence_facts())
def test_requirement_is_met_iff_enough_documents_qualify(
    requirement: EvidenceRequirement, facts: tuple[EvidenceFact, ...]
) -> None:
    mine = [doc for doc in facts if doc.kind == "cb_quote"]
    qualifying = [doc for doc in mine if _qualifies(requirement, doc)]
    result = evaluate(requirement, *facts)
    assert result.have == len(qualifying)
    assert result.need == requirement.min_count
    assert result.met == (len(qualifying) >= requirement.min_count)
    if result.met:
        assert result.blockers == ()
    else:
        assert len(result.blockers) == 1
        faulty = tuple(doc.label for doc in mine if doc not in qualifying)
        assert result.blockers[0].items == faulty
        for label in faulty:
            assert label in result.blockers[0].message.en
            assert label in result.blockers[0].message.ja
