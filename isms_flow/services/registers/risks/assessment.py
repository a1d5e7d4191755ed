"""Use cases that assess and treat one risk: add, score, treat, residual score, accept.

Each is one transaction and one event. A change that would leave the risk as it was writes
nothing (`saved: false`). Scores never touch the owner's acceptance: a re-scored risk keeps the
old acceptance, which the register then flags as stale until the owner renews it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, Literal

import structlog

from isms_flow.bootstrap import App
from isms_flow.errors import BadInput
from isms_flow.i18n import Language, LocalizedText
from isms_flow.isms.annex_a import normalize_control_id, sort_control_ids
from isms_flow.isms.risk import Risk, RiskMethod, Score, normalize_key, parse_treatment
from isms_flow.isms.risk_edit import RiskEdit, apply_edit, risk_problems
from isms_flow.services.changes import record_change
from isms_flow.services.lookup import find_project, project_ref
from isms_flow.services.registers.risks.register import (
    RiskTables,
    check_text,
    next_key,
    risk_view,
    score_payload,
    write_risk,
)
from isms_flow.services.registers.risks.views import RiskChangeView
from isms_flow.services.retry import VersionPin, retry_on_conflict
from isms_flow.services.snapshots import bound_project
from isms_flow.store.tables.risks import RiskRow

__all__ = ["add_risk", "score_residual", "score_risk", "treat_risk", "update_risk"]

_log = structlog.get_logger(__name__)
Action = Literal["update", "score", "treat", "residual"]


def add_risk(
    app: App,
    *,
    ref: str,
    threat: str,
    owner: str,
    actor: str,
    vulnerability: str = "",
    asset: str | None = None,
    key: str | None = None,
    likelihood: int | None = None,
    impact: int | None = None,
    lang: Language = "en",
) -> RiskChangeView:
    """Add a risk (key: the next free R-nnn unless given), scored now if both values are given."""
    given_key = normalize_key(key) if key else None
    asset_key = normalize_key(asset, "asset") if asset else None
    inherent = _score(likelihood, impact)
    threat = check_text("threat", threat)
    owner = check_text("owner", owner)
    now = app.clock.now()

    def attempt(pin: VersionPin) -> RiskChangeView:
        with app.uow() as uow:
            project = find_project(uow.session, ref)
            ref_text = project_ref(project)
            tables = RiskTables.read(uow.session, project.id)
            if asset_key is not None:
                tables.asset(asset_key, ref_text)
            if inherent is not None:
                tables.method.check(inherent)
            new_key = given_key or next_key(tables.risks, "R")
            if new_key in tables.risks:
                raise BadInput(f"risk {new_key} already exists in {ref_text}")
            risk = Risk(
                key=new_key,
                threat=threat,
                vulnerability=vulnerability.strip(),
                owner=owner,
                asset_key=asset_key,
                inherent=inherent,
                scored_at=now if inherent else None,
            )
            _refuse(new_key, risk, tables.method)
            row = RiskRow(project_id=project.id, key=new_key, controls=[])
            write_risk(row, risk, {k: r.id for k, r in tables.assets.items()})
            uow.session.add(row)
            tables.risks[new_key] = row
            payload = {
                "key": new_key,
                "asset": asset_key,
                "threat": threat,
                "vulnerability": risk.vulnerability,
                "owner": owner,
                "score": score_payload(inherent),
            }
            record_change(uow, project, now=now, actor=actor, type="risk_added", payload=payload)
            uow.commit()
            register = tables.register()
            view = risk_view(register.risk(new_key) or risk, register, lang)
            return RiskChangeView(project=ref_text, action="add", risk=view, saved=True, notes=[])

    return retry_on_conflict(attempt)


def update_risk(
    app: App,
    *,
    ref: str,
    key: str,
    actor: str,
    threat: str | None = None,
    vulnerability: str | None = None,
    owner: str | None = None,
    asset: str | None = None,
    lang: Language = "en",
) -> RiskChangeView:
    """Change what the risk is (threat, vulnerability, asset) or who owns it.

    A new owner has not accepted anything: an acceptance by the previous owner becomes stale.
    """
    fields = {
        name
        for name, value in (
            ("threat", threat),
            ("vulnerability", vulnerability),
            ("owner", owner),
            ("asset_key", asset),
        )
        if value is not None
    }
    if not fields:
        raise BadInput("say what to change: --threat, --vulnerability, --owner or --asset")
    edit = RiskEdit(
        given=frozenset(fields),
        threat=check_text("threat", threat or "", required=threat is not None),
        vulnerability=(vulnerability or "").strip(),
        owner=check_text("owner", owner or "", required=owner is not None),
        asset_key=normalize_key(asset, "asset") if asset else None,
    )
    return _change(app, ref, key, actor, lang, "update", lambda risk, method: edit)


def score_risk(
    app: App,
    *,
    ref: str,
    key: str,
    likelihood: int,
    impact: int,
    actor: str,
    lang: Language = "en",
) -> RiskChangeView:
    """Score (or re-score) the risk before treatment on the project's method."""
    score = Score(likelihood, impact)
    edit = RiskEdit(given=frozenset({"inherent"}), inherent=score)
    return _change(app, ref, key, actor, lang, "score", lambda risk, method: edit)


def score_residual(
    app: App,
    *,
    ref: str,
    key: str,
    actor: str,
    likelihood: int | None = None,
    impact: int | None = None,
    lang: Language = "en",
) -> RiskChangeView:
    """Score what is left of the risk after its treatment (no values: clear that score)."""
    residual = _score(likelihood, impact)
    edit = RiskEdit(given=frozenset({"residual"}), residual=residual)
    return _change(app, ref, key, actor, lang, "residual", lambda risk, method: edit)


def treat_risk(
    app: App,
    *,
    ref: str,
    key: str,
    option: str,
    actor: str,
    controls: Sequence[str] = (),
    treatment_owner: str | None = None,
    due: date | None = None,
    lang: Language = "en",
) -> RiskChangeView:
    """Decide the whole treatment: option, Annex A controls, who carries it out, and by when.

    Retaining a risk keeps it as it is, so a residual score left from an earlier treatment is
    cleared (the risk's own rating is its residual one).
    """
    chosen = parse_treatment(option)
    ids = sort_control_ids(normalize_control_id(c) for c in controls)
    owner = check_text("treatment owner", treatment_owner or "", required=False) or None

    def edit_of(risk: Risk, method: RiskMethod) -> RiskEdit:
        fields = {"treatment", "controls", "treatment_owner", "treatment_due"}
        if chosen == "retain":
            fields.add("residual")
        return RiskEdit(
            given=frozenset(fields),
            treatment=chosen,
            controls=ids,
            treatment_owner=owner,
            treatment_due=due,
            residual=None,
        )

    return _change(app, ref, key, actor, lang, "treat", edit_of)


def _change(
    app: App,
    ref: str,
    key: str,
    actor: str,
    lang: Language,
    action: Action,
    edit_of: Callable[[Risk, RiskMethod], RiskEdit],
) -> RiskChangeView:
    risk_key = normalize_key(key)
    now = app.clock.now()

    def attempt(pin: VersionPin) -> RiskChangeView:
        with app.uow() as uow:
            project = find_project(uow.session, ref)
            ref_text = project_ref(project)
            tables = RiskTables.read(uow.session, project.id)
            row = tables.risk(risk_key, ref_text)
            register = tables.register()
            before = register.risk(risk_key)
            assert before is not None  # the row exists
            method = register.method
            edit = edit_of(before, method)
            if "asset_key" in edit.given and edit.asset_key is not None:
                tables.asset(edit.asset_key, ref_text)
            for score in (edit.inherent, edit.residual):
                if score is not None:
                    method.check(score)
            after = apply_edit(before, edit, now)
            _refuse(risk_key, after, method)
            if after == before:
                view = risk_view(before, register, lang)
                return RiskChangeView(
                    project=ref_text, action=action, risk=view, saved=False, notes=[]
                )
            write_risk(row, after, {k: r.id for k, r in tables.assets.items()})
            payload = {"key": risk_key, **_changes(before, after)}
            record_change(
                uow, project, now=now, actor=actor, type=f"risk_{_EVENTS[action]}", payload=payload
            )
            uow.commit()
            with bound_project(project, actor):
                _log.info(f"risk_{_EVENTS[action]}", risk=risk_key)
            notes = _notes(before, after, method, lang)
            view = risk_view(after, tables.register(), lang)
            return RiskChangeView(
                project=ref_text, action=action, risk=view, saved=True, notes=notes
            )

    return retry_on_conflict(attempt)


_EVENTS = {
    "update": "updated",
    "score": "scored",
    "treat": "treated",
    "residual": "residual_scored",
}


def _notes(before: Risk, after: Risk, method: RiskMethod, lang: Language) -> list[str]:
    notes: list[LocalizedText] = []
    if before.residual is not None and after.residual is None and after.treatment == "retain":
        notes.append(
            LocalizedText(
                en=f"the residual score {before.residual} was cleared: a retained risk keeps "
                "its own rating",
                ja=f"残留リスクの評価 {before.residual} を消去しました（保有するリスクは"
                "評価値がそのまま残留リスクになります）",
            )
        )
    accepted, reason = after.acceptance, after.stale_reason(method)
    newly_stale = before.acceptance_state(method) != "stale"
    if accepted and reason and after.acceptance_state(method) == "stale" and newly_stale:
        notes.append(
            LocalizedText(
                en=f"the acceptance by {accepted.by} is now stale ({reason.en}); "
                f"the owner {after.owner} must accept it again",
                ja=f"{accepted.by}によるリスク受容は古くなりました（{reason.ja}）。"
                f"所有者{after.owner}による再受容が必要です",
            )
        )
    return [note.in_(lang) for note in notes]


def _refuse(key: str, risk: Risk, method: RiskMethod) -> None:
    problems = risk_problems(risk, method)
    if problems:
        raise BadInput(f"{key}: {'; '.join(problems)}; nothing was changed")


def _score(likelihood: int | None, impact: int | None) -> Score | None:
    if likelihood is None and impact is None:
        return None
    if likelihood is None or impact is None:
        raise BadInput("give likelihood and impact together")
    return Score(likelihood, impact)


def _changes(before: Risk, after: Risk) -> dict[str, Any]:
    """The changed fields as JSON-ready values, each as {"from": …, "to": …}."""
    found: dict[str, Any] = {}
    for name in (
        "threat",
        "vulnerability",
        "owner",
        "asset_key",
        "inherent",
        "treatment",
        "controls",
        "treatment_owner",
        "treatment_due",
        "residual",
    ):
        old, new = getattr(before, name), getattr(after, name)
        if old != new:
            found[name] = {"from": _json(old), "to": _json(new)}
    return found


def _json(value: object) -> object:
    if isinstance(value, Score):
        return score_payload(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value
