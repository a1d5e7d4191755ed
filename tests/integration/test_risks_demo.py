"""The demo's risk register: a plausible small SaaS company whose register passes every guard."""

from __future__ import annotations

from pathlib import Path

from isms_flow.bootstrap import App
from isms_flow.services.lookup import find_project
from isms_flow.services.registers import demo_fillers, part_loaders
from isms_flow.services.registers import risks as service
from isms_flow.workflow.requirements import Vocabulary, parse_requirement
from isms_flow.workflow.snapshot import EvaluationContext, ProjectSnapshot
from tests.integration.support import stored_events

TYPES = ("risks_scored", "risks_treated", "treatments_planned", "residual_risks_accepted")
RAW = {
    "risks_scored": "all",
    "risks_treated": "above_acceptance",
    "treatments_planned": "all",
    "residual_risks_accepted": "by_owners",
}


def test_the_demo_fills_a_realistic_register_that_meets_every_risk_guard(
    app: App, project_ref: str, tmp_path: Path
) -> None:
    steps = []
    for key in TYPES:  # the demo calls the filler once per requirement of the stage
        requirement = parse_requirement({key: RAW[key]})
        steps += list(demo_fillers()[key](app, project_ref, requirement, tmp_path, "en"))
    texts = [step.text for step in steps]
    assert texts[:3] == [
        "risk method set: 5 × 5, acceptable up to 6",
        "asset inventory imported from information-asset-inventory.csv: 8 assets",
        "risk register imported from risk-register.csv: 15 risks scored, 12 above the "
        "acceptance level 6, each with a treatment",
    ]
    assert texts[3:] == [
        "suzuki.it accepted the residual risk of R-001 at rating 10",
        "takahashi.dev accepted the residual risk of R-004 at rating 8",
        "suzuki.it accepted the residual risk of R-011 at rating 8",
        "tanaka.ceo accepted the residual risk of R-015 at rating 8",
    ]
    assert steps[2].details[0] == (
        "R-001 不正アクセスによる顧客個人情報の漏えい: 4×5=20, modify [5.15, 5.17, 8.5] → "
        "2×5=10 (owner suzuki.it)"
    )

    listing = service.list_risks(app, ref=project_ref)
    assert {r.treatment for r in listing.risks} == {"modify", "avoid", "share", "retain"}
    assert {r.owner for r in listing.risks} >= {"suzuki.it", "takahashi.dev", "tanaka.ceo"}
    assert all(r.flags == [] for r in listing.risks)
    assert all(r.threat and r.vulnerability for r in listing.risks)
    assert len({a.key for a in listing.assets}) == 8

    with app.uow() as uow:
        project = find_project(uow.session, project_ref)
        register = part_loaders()["risks"](uow.session, project)
        chosen = part_loaders()["risk_controls"](uow.session, project)
    snapshot = ProjectSnapshot(state="risk_assessment", registers={"risks": register})
    now = app.clock.now()
    ctx = EvaluationContext(now=now, today=now.date())
    vocab = Vocabulary(kinds={}, roles={})
    for key in TYPES:
        result = parse_requirement({key: RAW[key]}).evaluate(snapshot, ctx, vocab)
        assert result.met, (key, result.blockers)
    assert isinstance(chosen, frozenset) and {"5.15", "8.13", "8.24", "7.10"} <= chosen

    types = [e.type for e in stored_events(app)]
    assert (
        types[-7:]
        == ["risk_method_set", "assets_imported", "risks_imported"] + ["risk_accepted"] * 4
    )
