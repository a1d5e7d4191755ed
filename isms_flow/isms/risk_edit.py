"""Changing a risk: an edit of some of its fields, and the rules a changed risk must keep.

Every way in (one command, or a row of an imported file) builds the changed risk and asks
`risk_problems` about it, so the register never holds a risk an auditor would find
self-contradictory (a retained risk with controls, a residual score above the inherent one).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime

from isms_flow.isms.risk import Risk, RiskMethod, Score, TreatmentOption

__all__ = ["EDITABLE", "RiskEdit", "apply_edit", "risk_problems"]

EDITABLE = (
    "asset_key",
    "threat",
    "vulnerability",
    "owner",
    "inherent",
    "treatment",
    "controls",
    "treatment_owner",
    "treatment_due",
    "residual",
)
"""The fields an edit may change (acceptances are given only by the owner, never edited)."""


@dataclass(frozen=True)
class RiskEdit:
    """New values for the fields named in `given`; the others stay as they are."""

    given: frozenset[str] = field(default_factory=frozenset)
    asset_key: str | None = None
    threat: str = ""
    vulnerability: str = ""
    owner: str = ""
    inherent: Score | None = None
    treatment: TreatmentOption | None = None
    controls: tuple[str, ...] = ()
    treatment_owner: str | None = None
    treatment_due: date | None = None
    residual: Score | None = None


def apply_edit(risk: Risk, edit: RiskEdit, now: datetime) -> Risk:
    """The risk with the edit applied; `scored_at` moves only when a score really changed."""
    changes = {name: getattr(edit, name) for name in EDITABLE if name in edit.given}
    changed = replace(risk, **changes)
    if (changed.inherent, changed.residual) != (risk.inherent, risk.residual):
        changed = replace(changed, scored_at=now)
    return changed


def risk_problems(risk: Risk, method: RiskMethod) -> tuple[str, ...]:
    """Why this risk cannot be stored as it is; empty when it can."""
    problems: list[str] = []
    if not risk.threat.strip():
        problems.append("the threat must not be empty")
    if not risk.owner.strip():
        problems.append("the risk owner must not be empty")
    for name, score in (("score", risk.inherent), ("residual score", risk.residual)):
        if score is not None and not method.fits(score):
            problems.append(
                f"{name} {score} is outside the risk method's scales "
                f"1–{method.likelihood_levels} × 1–{method.impact_levels}"
            )
    if risk.treatment is None:
        if risk.controls or risk.treatment_owner or risk.treatment_due or risk.residual:
            problems.append(
                "controls, treatment owner, due date and residual score belong to a treatment: "
                "give a treatment (modify, avoid, share or retain)"
            )
        return tuple(problems)
    if risk.treatment == "retain" and risk.controls:
        problems.append("retain keeps the risk as it is: it takes no Annex A controls")
    if risk.residual is not None:
        if risk.inherent is None:
            problems.append("score the risk before its residual risk")
        elif risk.treatment == "retain" and risk.residual != risk.inherent:
            problems.append(
                f"retain keeps the risk as it is: its residual score is its score {risk.inherent}"
            )
        elif risk.residual.rating > risk.inherent.rating:
            problems.append(
                f"residual rating {risk.residual.rating} is above the rating "
                f"{risk.inherent.rating} before treatment: a treatment does not raise a risk"
            )
    return tuple(problems)
