"""Use case of the risk owner: accept the residual risk at its current rating (6.1.3 f).

Only the owner may accept. The acceptance records the rating it accepted; when the risk is
re-scored or changes owner afterwards, the register flags it as stale until it is renewed.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from isms_flow.bootstrap import App
from isms_flow.errors import BadInput, PermissionDenied
from isms_flow.i18n import Language, LocalizedText
from isms_flow.isms.risk import Acceptance, Risk, RiskMethod, normalize_key
from isms_flow.services.changes import record_change
from isms_flow.services.lookup import find_project, project_ref
from isms_flow.services.registers.risks.register import RiskTables, risk_view, score_payload
from isms_flow.services.registers.risks.views import RiskChangeView
from isms_flow.services.retry import VersionPin, retry_on_conflict

__all__ = ["accept_risk"]


def accept_risk(
    app: App, *, ref: str, key: str, actor: str, lang: Language = "en"
) -> RiskChangeView:
    """The risk owner accepts the residual risk at its current rating (6.1.3 f)."""
    risk_key = normalize_key(key)
    now = app.clock.now()

    def attempt(pin: VersionPin) -> RiskChangeView:
        with app.uow() as uow:
            project = find_project(uow.session, ref)
            ref_text = project_ref(project)
            tables = RiskTables.read(uow.session, project.id)
            row = tables.risk(risk_key, ref_text)
            register = tables.register()
            risk = register.risk(risk_key)
            assert risk is not None  # the row exists
            if actor != risk.owner:
                raise PermissionDenied(
                    f"only the risk owner {risk.owner} may accept the residual risk of "
                    f"{risk_key} (you are {actor}); run it as --actor {risk.owner}, or change "
                    f"the owner with `isms-flow risks update PROJECT {risk_key} --owner NAME`"
                )
            rating = _acceptable_now(risk, register.method)
            if risk.acceptance is not None and risk.stale_reason(register.method) is None:
                view = risk_view(risk, register, lang)
                note = LocalizedText(
                    en=f"already accepted by {risk.acceptance.by} at rating {rating}; "
                    "nothing changed",
                    ja=f"{risk.acceptance.by}が評価値{rating}で受容済みのため変更なし",
                ).in_(lang)
                return RiskChangeView(
                    project=ref_text, action="accept", risk=view, saved=False, notes=[note]
                )
            row.accepted_by, row.accepted_at, row.accepted_rating = actor, now, rating
            payload = {
                "key": risk_key,
                "rating": rating,
                "residual": score_payload(risk.residual or risk.inherent),
                "renews": _acceptance_payload(risk.acceptance),
            }
            record_change(uow, project, now=now, actor=actor, type="risk_accepted", payload=payload)
            uow.commit()
            accepted = replace(risk, acceptance=Acceptance(by=actor, at=now, rating=rating))
            view = risk_view(accepted, tables.register(), lang)
            return RiskChangeView(
                project=ref_text, action="accept", risk=view, saved=True, notes=[]
            )

    return retry_on_conflict(attempt)


def _acceptable_now(risk: Risk, method: RiskMethod) -> int:
    """The residual rating an owner may accept now; BadInput when there is none yet."""
    if not risk.scored(method):
        raise BadInput(f"{risk.key} is not scored on the risk method; score it first")
    if risk.treatment is None:
        raise BadInput(
            f"{risk.key} has no treatment; decide one first (retain, to accept the risk as it is)"
        )
    rating = risk.residual_rating(method)
    if rating is None:
        raise BadInput(
            f"{risk.key} has no residual score after its treatment ({risk.treatment}); "
            f"score it first with `isms-flow risks residual PROJECT {risk.key} L I`"
        )
    return rating


def _acceptance_payload(accepted: Acceptance | None) -> dict[str, Any] | None:
    if accepted is None:
        return None
    return {"by": accepted.by, "at": accepted.at.isoformat(), "rating": accepted.rating}
