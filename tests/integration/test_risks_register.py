"""The risk register on a real SQLite file: lifecycle, owners' acceptance, staleness, events."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from isms_flow.bootstrap import App
from isms_flow.clock import FrozenClock
from isms_flow.errors import BadInput, NotFound, PermissionDenied
from isms_flow.isms.risk import RiskRegister
from isms_flow.services import history
from isms_flow.services.lookup import find_project
from isms_flow.services.registers import part_loaders
from isms_flow.services.registers import risks as service
from tests.integration.support import event_count, row_count, stored_events


def add_scored(app: App, ref: str, likelihood: int = 4, impact: int = 4) -> str:
    """An asset A-001 (once) and a risk on it owned by suzuki.it, scored; returns its key."""
    if not service.list_assets(app, ref=ref):
        service.add_asset(
            app, ref=ref, name="Customer database", owner="suzuki.it",
            confidentiality=3, integrity=3, availability=3, actor="sato.isms",
        )  # fmt: skip
    view = service.add_risk(
        app,
        ref=ref,
        threat="Ransomware encrypts production data",
        vulnerability="Backups in the production account",
        owner="suzuki.it",
        asset="A-001",
        likelihood=likelihood,
        impact=impact,
        actor="sato.isms",
    )
    return view.risk.key


def treat_and_accept(app: App, ref: str, key: str) -> None:
    """Modify with 8.13, residual 2×4 (8, above 6), accepted by the owner."""
    service.treat_risk(
        app, ref=ref, key=key, option="modify", controls=["8.13"], treatment_owner="suzuki.it",
        due=date(2026, 6, 30), actor="sato.isms",
    )  # fmt: skip
    service.score_residual(app, ref=ref, key=key, likelihood=2, impact=4, actor="sato.isms")
    service.accept_risk(app, ref=ref, key=key, actor="suzuki.it")


def test_a_risk_walks_from_identified_to_accepted_with_one_event_per_change(
    app: App, project_ref: str
) -> None:
    key = add_scored(app, project_ref)
    assert key == "R-001"
    assert service.list_risks(app, ref=project_ref).risks[0].flags == ["untreated"]
    treat_and_accept(app, project_ref, key)
    view = service.list_risks(app, ref=project_ref)
    (risk,) = view.risks
    assert (risk.rating, risk.level, risk.residual_rating, risk.acceptance) == (
        16, "high", 8, "current",
    )  # fmt: skip
    assert (risk.accepted_by, risk.accepted_rating, risk.flags) == ("suzuki.it", 8, [])
    assert risk.controls == ["8.13"] and risk.asset_name == "Customer database"
    assert view.progress == [
        "risks scored 1/1",
        "above the acceptance level treated 1/1",
        "residual risks accepted 1/1",
    ]
    events = stored_events(app)
    assert [e.type for e in events[-5:]] == [
        "asset_added",
        "risk_added",
        "risk_treated",
        "risk_residual_scored",
        "risk_accepted",
    ]
    assert events[-1].actor == "suzuki.it"
    assert events[-1].payload == {
        "key": "R-001",
        "rating": 8,
        "residual": {"likelihood": 2, "impact": 4, "rating": 8},
        "renews": None,
    }
    assert events[-3].payload["treatment"] == {"from": None, "to": "modify"}
    assert history.verify_history(app).intact


def test_only_the_risk_owner_may_accept_and_a_refusal_changes_nothing(
    app: App, project_ref: str
) -> None:
    key = add_scored(app, project_ref)
    service.treat_risk(app, ref=project_ref, key=key, option="retain", actor="sato.isms")
    before = event_count(app)
    with pytest.raises(PermissionDenied) as refused:
        service.accept_risk(app, ref=project_ref, key=key, actor="sato.isms")
    assert str(refused.value) == (
        "only the risk owner suzuki.it may accept the residual risk of R-001 (you are "
        "sato.isms); run it as --actor suzuki.it, or change the owner with "
        "`isms-flow risks update PROJECT R-001 --owner NAME`"
    )
    assert event_count(app) == before
    assert service.list_risks(app, ref=project_ref).risks[0].acceptance == "missing"


def test_accepting_needs_a_treatment_and_a_residual_score_first(app: App, project_ref: str) -> None:
    key = add_scored(app, project_ref)
    with pytest.raises(BadInput, match="R-001 has no treatment; decide one first"):
        service.accept_risk(app, ref=project_ref, key=key, actor="suzuki.it")
    service.treat_risk(
        app, ref=project_ref, key=key, option="modify", controls=["8.13"], actor="sato.isms"
    )
    with pytest.raises(BadInput) as error:
        service.accept_risk(app, ref=project_ref, key=key, actor="suzuki.it")
    assert str(error.value) == (
        "R-001 has no residual score after its treatment (modify); score it first with "
        "`isms-flow risks residual PROJECT R-001 L I`"
    )


def test_re_scoring_makes_the_acceptance_stale_until_the_owner_renews_it(
    app: App, project_ref: str, clock: FrozenClock
) -> None:
    key = add_scored(app, project_ref)
    treat_and_accept(app, project_ref, key)
    clock.advance(timedelta(days=30))
    changed = service.score_risk(
        app, ref=project_ref, key=key, likelihood=5, impact=4, actor="sato.isms"
    )
    assert changed.saved and changed.risk.acceptance == "stale"
    assert changed.notes == [
        "the acceptance by suzuki.it is now stale (re-scored after suzuki.it accepted it); "
        "the owner suzuki.it must accept it again"
    ]
    register = _register(app, project_ref)
    assert register.risks[0].flags(register.method) == ("acceptance_stale",)
    renewed = service.accept_risk(app, ref=project_ref, key=key, actor="suzuki.it")
    assert (renewed.saved, renewed.risk.acceptance) == (True, "current")
    assert stored_events(app)[-1].payload["renews"]["rating"] == 8
    again = service.accept_risk(app, ref=project_ref, key=key, actor="suzuki.it")
    assert not again.saved and again.notes == [
        "already accepted by suzuki.it at rating 8; nothing changed"
    ]


def test_a_new_owner_must_accept_again(app: App, project_ref: str) -> None:
    key = add_scored(app, project_ref)
    treat_and_accept(app, project_ref, key)
    view = service.update_risk(app, ref=project_ref, key=key, owner="tanaka.ceo", actor="sato.isms")
    assert view.risk.acceptance == "stale"
    assert view.risk.stale_reason == "accepted by suzuki.it, the owner is now tanaka.ceo"


def test_bad_scores_treatments_and_keys_are_refused_and_change_nothing(
    app: App, project_ref: str
) -> None:
    key = add_scored(app, project_ref)
    before = event_count(app)
    with pytest.raises(BadInput, match="likelihood 6 is outside the risk method's scale 1–5"):
        service.score_risk(app, ref=project_ref, key=key, likelihood=6, impact=1, actor="x")
    with pytest.raises(NotFound, match=r"Annex A control '5\.99' not found"):
        service.treat_risk(
            app, ref=project_ref, key=key, option="modify", controls=["5.99"], actor="x"
        )
    with pytest.raises(BadInput, match="retain keeps the risk as it is: it takes no Annex A"):
        service.treat_risk(
            app, ref=project_ref, key=key, option="retain", controls=["8.1"], actor="x"
        )
    service.treat_risk(app, ref=project_ref, key=key, option="modify", controls=["8.1"], actor="x")
    with pytest.raises(BadInput, match="residual rating 20 is above the rating 16"):
        service.score_residual(app, ref=project_ref, key=key, likelihood=4, impact=5, actor="x")
    with pytest.raises(NotFound, match="risk R-404 of project acme/isms not found"):
        service.score_risk(app, ref=project_ref, key="r-404", likelihood=1, impact=1, actor="x")
    with pytest.raises(NotFound, match="asset A-009 of project acme/isms not found"):
        service.add_risk(app, ref=project_ref, threat="t", owner="o", asset="A-009", actor="x")
    with pytest.raises(BadInput, match="risk R-001 already exists in acme/isms"):
        service.add_risk(app, ref=project_ref, threat="t", owner="o", key="R-001", actor="x")
    assert event_count(app) == before + 1  # only the valid treatment
    assert service.list_risks(app, ref=project_ref).risks[0].residual_rating is None


def test_a_narrower_method_re_scores_nothing_and_names_the_risks_off_its_scale(
    app: App, project_ref: str
) -> None:
    add_scored(app, project_ref, likelihood=5, impact=2)
    add_scored(app, project_ref, likelihood=2, impact=2)
    view = service.set_method(
        app, ref=project_ref, likelihood_levels=3, impact_levels=3, acceptance_threshold=3,
        actor="sato.isms",
    )  # fmt: skip
    assert (view.saved, view.description, view.off_scale) == (
        True,
        "3 × 3, acceptable up to 3",
        ["R-001"],
    )
    assert view.above_threshold == ["R-002"]
    assert [(b.level, b.low, b.high) for b in view.bands] == [
        ("very_low", 1, 1), ("low", 2, 3), ("medium", 4, 6), ("high", 7, 7), ("very_high", 8, 9),
    ]  # fmt: skip
    risks = service.list_risks(app, ref=project_ref).risks
    assert [(r.likelihood, r.impact, r.flags) for r in risks] == [
        (5, 2, ["off_scale"]),
        (2, 2, ["untreated"]),
    ]
    assert stored_events(app)[-1].payload["from"]["likelihood_levels"] == 5
    same = service.set_method(app, ref=project_ref, acceptance_threshold=3, actor="sato.isms")
    assert not same.saved
    with pytest.raises(BadInput, match="acceptance threshold 9 must be between 1 and 8"):
        service.set_method(app, ref=project_ref, acceptance_threshold=9, actor="sato.isms")


def test_the_chosen_controls_are_the_part_other_registers_read(app: App, project_ref: str) -> None:
    key = add_scored(app, project_ref)
    service.treat_risk(
        app, ref=project_ref, key=key, option="modify", controls=["A.8.13", "5.15"], actor="x"
    )
    with app.uow() as uow:
        project = find_project(uow.session, project_ref)
        chosen = part_loaders()["risk_controls"](uow.session, project)
    assert chosen == frozenset({"5.15", "8.13"})


def test_assets_are_updated_field_by_field(app: App, project_ref: str) -> None:
    add_scored(app, project_ref)
    view = service.update_asset(app, ref=project_ref, key="a-001", availability=2, actor="x")
    assert (view.cia, view.risks) == ("C3 I3 A2", ["R-001"])
    assert stored_events(app)[-1].payload == {"key": "A-001", "changed": {"availability": 2}}
    with pytest.raises(BadInput, match="asset A-001 already has these values; nothing changed"):
        service.update_asset(app, ref=project_ref, key="A-001", availability=2, actor="x")
    with pytest.raises(BadInput, match="integrity 0 is not 1"):
        service.update_asset(app, ref=project_ref, key="A-001", integrity=0, actor="x")
    assert row_count(app, "assets") == 1


def _register(app: App, ref: str) -> RiskRegister:
    with app.uow() as uow:
        project = find_project(uow.session, ref)
        register = part_loaders()["risks"](uow.session, project)
    assert isinstance(register, RiskRegister)
    return register
