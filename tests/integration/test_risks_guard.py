"""The risk_assessment stage reads the risk register: checklist progress and exact blockers."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from isms_flow.bootstrap import App
from isms_flow.clock import FrozenClock
from isms_flow.errors import GuardBlocked
from isms_flow.services import projects
from isms_flow.services.registers import risks as service
from isms_flow.services.views import CheckView
from tests.integration.support import execute

LABELS = {
    "scored": "Risks identified and scored (likelihood × impact on the risk method)",
    "treated": "Risks above the acceptance level have a treatment option",
    "plan": "Risk treatment plan complete (Annex A controls, treatment owner, due date)",
    "accepted": "Residual risks above the acceptance level accepted by their owners",
}


@pytest.fixture
def at_risk_assessment(app: App, project_ref: str) -> str:
    """acme/isms moved to risk_assessment out of band."""
    execute(app, "UPDATE projects SET state = 'risk_assessment' WHERE key = 'isms'")
    return project_ref


def checks(app: App, ref: str) -> dict[str, CheckView]:
    """The risk lines of the stage's checklist, by short name."""
    by_label = {check.label: check for check in projects.project_status(app, ref=ref).checklist}
    return {name: by_label[label] for name, label in LABELS.items()}


def blockers(app: App, ref: str) -> list[str]:
    """The reasons an advance is refused that come from the risk register."""
    with pytest.raises(GuardBlocked) as blocked:
        projects.fire_trigger(app, ref=ref, trigger="advance", actor="sato.isms")
    prefixes = ("risks_", "residual_risks_", "treatments_planned:")
    return [reason for reason in blocked.value.reasons if reason.startswith(prefixes)]


def test_an_empty_register_blocks_the_stage_once_with_a_clear_reason(
    app: App, at_risk_assessment: str
) -> None:
    found = checks(app, at_risk_assessment)
    assert [(c.met, c.have, c.need) for c in found.values()] == [
        (False, 0, 1), (True, 0, 0), (True, 0, 0), (True, 0, 0),
    ]  # fmt: skip
    assert blockers(app, at_risk_assessment) == [
        "risks_scored: the risk register has no risks; an auditor does not accept an "
        "assessment that found none (add them with `isms-flow risks add PROJECT` or "
        "`isms-flow risks import PROJECT FILE`)"
    ]


def test_progress_and_blockers_follow_the_register_until_every_guard_is_met(
    app: App, at_risk_assessment: str, clock: FrozenClock
) -> None:
    ref = at_risk_assessment
    for threat, owner in (("Leak", "suzuki.it"), ("Fire", "tanaka.ceo"), ("Typo", "sato.isms")):
        service.add_risk(app, ref=ref, threat=threat, owner=owner, actor="sato.isms")
    service.score_risk(app, ref=ref, key="R-001", likelihood=4, impact=5, actor="sato.isms")
    service.score_risk(app, ref=ref, key="R-002", likelihood=2, impact=4, actor="sato.isms")
    found = checks(app, ref)
    assert (found["scored"].have, found["scored"].need) == (2, 3)
    assert (found["treated"].have, found["treated"].need) == (0, 2)
    assert blockers(app, ref) == [
        "risks_scored: 1 of 3 risks is not scored on likelihood × impact (R-003)",
        "risks_treated: 2 risks above the acceptance level (6) have no treatment (R-001, R-002)",
    ]

    service.score_risk(app, ref=ref, key="R-003", likelihood=1, impact=2, actor="sato.isms")
    service.treat_risk(app, ref=ref, key="R-001", option="modify", controls=["5.15"], actor="x")
    service.treat_risk(app, ref=ref, key="R-002", option="retain", actor="x")
    assert blockers(app, ref) == [
        "treatments_planned: 1 treatment is not fully planned: "
        "R-001 (no treatment owner, no due date)",
        "residual_risks_accepted: 1 treated risk has no residual score on the risk method "
        "(R-001); 1 residual risk above the acceptance level is not accepted by its owner: "
        "R-002 (owner tanaka.ceo)",
    ]

    service.treat_risk(
        app, ref=ref, key="R-001", option="modify", controls=["5.15", "8.5"],
        treatment_owner="suzuki.it", due=date(2026, 6, 30), actor="x",
    )  # fmt: skip
    service.score_residual(app, ref=ref, key="R-001", likelihood=2, impact=5, actor="x")
    service.accept_risk(app, ref=ref, key="R-001", actor="suzuki.it")
    service.accept_risk(app, ref=ref, key="R-002", actor="tanaka.ceo")
    found = checks(app, ref)
    assert [(c.met, c.have, c.need) for c in found.values()] == [
        (True, 3, 3), (True, 2, 2), (True, 1, 1), (True, 2, 2),
    ]  # fmt: skip
    assert blockers(app, ref) == []

    clock.advance(timedelta(days=90))  # a year-end review re-scores the fire risk
    service.score_risk(app, ref=ref, key="R-002", likelihood=3, impact=4, actor="sato.isms")
    assert blockers(app, ref) == [
        "residual_risks_accepted: 1 acceptance is stale and must be renewed by the owner: "
        "R-002 (accepted at rating 8, now 12)"
    ]
    accepted = checks(app, ref)["accepted"]
    assert (accepted.met, accepted.have, accepted.need) == (False, 1, 2)


def test_blockers_are_shown_in_japanese(app: App, at_risk_assessment: str) -> None:
    service.add_risk(
        app, ref=at_risk_assessment, threat="漏えい", owner="鈴木", likelihood=5, impact=5,
        actor="sato.isms",
    )  # fmt: skip
    status = projects.project_status(app, ref=at_risk_assessment, lang="ja")
    treated = next(c for c in status.checklist if c.label.startswith("受容基準を超えるリスクに"))
    assert treated.blockers == [
        "リスク対応の決定: 受容基準（6）を超えるリスク1件にリスク対応が決まっていません（R-001）"
    ]
