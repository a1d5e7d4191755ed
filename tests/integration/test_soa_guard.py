"""The risk_assessment stage reads the SoA: checklist progress and exact blockers of an advance."""

from __future__ import annotations

import pytest

from isms_flow.bootstrap import App
from isms_flow.errors import GuardBlocked
from isms_flow.services import evidence, projects
from isms_flow.services.registers import soa as service
from isms_flow.services.views import CheckView
from tests.integration.support import MakeFile, execute, project_state

SOA_LABEL = "Statement of Applicability: every Annex A control decided and justified"


@pytest.fixture
def at_risk_assessment(app: App, project_ref: str, make_file: MakeFile) -> str:
    """acme/isms moved to risk_assessment out of band, with its three documents in place."""
    execute(app, "UPDATE projects SET state = 'risk_assessment' WHERE key = 'isms'")
    for kind, role, actor in (
        ("risk_assessment_report", None, None),
        ("risk_treatment_plan", "risk_owner", "suzuki.it"),
        ("statement_of_applicability", "top_management", "tanaka.ceo"),
    ):
        view = evidence.add_evidence(
            app, ref=project_ref, kind=kind, file=make_file(f"{kind}.pdf", kind), actor="isms"
        )
        if role is not None and actor is not None:
            evidence.approve_evidence(
                app, ref=project_ref, document_id=view.id, role=role, actor=actor
            )
    return project_ref


def soa_check(app: App, ref: str, lang: str = "en") -> CheckView:
    """The SoA line of the project's checklist."""
    status = projects.project_status(app, ref=ref, lang=lang)  # type: ignore[arg-type]
    labels = {
        SOA_LABEL,
        "適用宣言書: すべての附属書A管理策の適用・除外が理由とともに決定されている",
    }
    return next(check for check in status.checklist if check.label in labels)


def soa_reasons(app: App, ref: str) -> list[str]:
    """The SoA blockers of a refused advance (other registers may block the stage too)."""
    with pytest.raises(GuardBlocked) as blocked:
        projects.fire_trigger(app, ref=ref, trigger="advance", actor="sato.isms")
    assert project_state(app)[0] == "risk_assessment"
    return [reason for reason in blocked.value.reasons if reason.startswith("soa_complete:")]


def test_an_empty_soa_blocks_the_stage_and_says_where_to_start(
    app: App, at_risk_assessment: str
) -> None:
    check = soa_check(app, at_risk_assessment)
    assert (check.met, check.have, check.need) == (False, 0, 93)
    assert soa_reasons(app, at_risk_assessment) == [
        "soa_complete: no Annex A control decided yet (0 of 93; start with "
        "`isms-flow soa init PROJECT`, then `soa decide` or `soa import`)"
    ]


def test_progress_grows_with_each_decision_until_the_check_is_met(
    app: App, at_risk_assessment: str
) -> None:
    ref = at_risk_assessment
    service.init_soa(app, ref=ref, actor="sato.isms")
    service.decide_controls(
        app, ref=ref, controls=["5", "6", "8"], applicable=True, status="implemented",
        justification="Risk treatment plan 2026", actor="sato.isms",
    )  # fmt: skip
    service.decide_controls(
        app, ref=ref, controls=["7.1-7.10", "7.13-7.14"], applicable=True, status="partial",
        justification="Tokyo office and laptops", actor="sato.isms",
    )  # fmt: skip
    check = soa_check(app, ref)
    assert (check.met, check.have, check.need) == (False, 91, 93)
    assert check.blockers == ["soa_complete: 2 of 93 Annex A controls undecided: 7.11, 7.12"]
    assert soa_check(app, ref, "ja").blockers == [
        "適用宣言書: 附属書A管理策93項目のうち2項目が未決定: 7.11、7.12"
    ]
    assert soa_reasons(app, ref) == check.blockers

    service.decide_controls(
        app, ref=ref, controls=["7.11-7.12"], applicable=False,
        justification="No server room or owned cabling", actor="sato.isms",
    )  # fmt: skip
    check = soa_check(app, ref)
    assert (check.met, check.have, check.need, check.blockers) == (True, 93, 93, [])
    try:
        moved = projects.fire_trigger(app, ref=ref, trigger="advance", actor="sato.isms")
    except GuardBlocked as blocked:  # the risk register's own checks may still hold the stage
        assert not [r for r in blocked.reasons if r.startswith("soa_complete")]
    else:
        assert moved.to_state == "staff_training"
