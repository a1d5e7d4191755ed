"""Reading the risk tables: rows to the pure register, the snapshot parts, rows to views."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from isms_flow.errors import BadInput, NotFound
from isms_flow.i18n import Language
from isms_flow.isms.risk import (
    FLAG_TITLES,
    LEVEL_TITLES,
    LEVELS,
    TREATMENT_OPTIONS,
    TREATMENT_TITLES,
    Acceptance,
    Asset,
    Risk,
    RiskMethod,
    RiskRegister,
    Score,
)
from isms_flow.services.registers.risks.views import AssetView, LevelBandView, RiskView
from isms_flow.store.tables.risks import AssetRow, RiskMethodRow, RiskRow

__all__ = [
    "RiskTables",
    "asset_of",
    "asset_view",
    "check_text",
    "level_bands",
    "load_risk_controls",
    "load_risk_controls_of",
    "load_risks",
    "load_risks_of",
    "method_of",
    "next_key",
    "risk_of",
    "risk_view",
    "score_payload",
    "write_risk",
]

_LIMITS = {"key": 32, "owner": 100, "name": 200, "treatment owner": 100}


@dataclass
class RiskTables:
    """A project's stored method, assets and risks, read once per unit of work."""

    method_row: RiskMethodRow | None
    assets: dict[str, AssetRow]
    risks: dict[str, RiskRow]

    @classmethod
    def read(cls, session: Session, project_id: int) -> RiskTables:
        """Read everything of one project's register."""
        assets = session.scalars(
            select(AssetRow).where(AssetRow.project_id == project_id).order_by(AssetRow.key)
        )
        risks = session.scalars(
            select(RiskRow).where(RiskRow.project_id == project_id).order_by(RiskRow.key)
        )
        return cls(
            method_row=session.get(RiskMethodRow, project_id),
            assets={row.key: row for row in assets},
            risks={row.key: row for row in risks},
        )

    @property
    def method(self) -> RiskMethod:
        """The stored method, or the default 5 × 5 one."""
        return method_of(self.method_row)

    def register(self) -> RiskRegister:
        """The pure register."""
        keys = {row.id: key for key, row in self.assets.items()}
        return RiskRegister(
            method=self.method,
            assets=tuple(asset_of(row) for row in self.assets.values()),
            risks=tuple(risk_of(row, keys) for row in self.risks.values()),
        )

    def asset_keys_by_id(self) -> dict[int, str]:
        """Asset keys by row id."""
        return {row.id: key for key, row in self.assets.items()}

    def risk(self, key: str, ref: str) -> RiskRow:
        """The risk row with `key`, or NotFound."""
        row = self.risks.get(key)
        if row is None:
            raise NotFound("risk", f"{key} of project {ref}", hint="see `isms-flow risks list`")
        return row

    def asset(self, key: str, ref: str) -> AssetRow:
        """The asset row with `key`, or NotFound."""
        row = self.assets.get(key)
        if row is None:
            raise NotFound("asset", f"{key} of project {ref}", hint="see `isms-flow risks assets`")
        return row


def method_of(row: RiskMethodRow | None) -> RiskMethod:
    """The pure method of a row (the default when none is stored)."""
    if row is None:
        return RiskMethod()
    return RiskMethod(row.likelihood_levels, row.impact_levels, row.acceptance_threshold)


def asset_of(row: AssetRow) -> Asset:
    """The pure asset of a row."""
    return Asset(
        key=row.key,
        name=row.name,
        owner=row.owner,
        confidentiality=row.confidentiality,
        integrity=row.integrity,
        availability=row.availability,
        description=row.description or "",
    )


def risk_of(row: RiskRow, asset_keys: Mapping[int, str]) -> Risk:
    """The pure risk of a row (an unknown stored treatment reads as none)."""
    accepted = None
    if row.accepted_by and row.accepted_at is not None and row.accepted_rating is not None:
        accepted = Acceptance(by=row.accepted_by, at=row.accepted_at, rating=row.accepted_rating)
    return Risk(
        key=row.key,
        threat=row.threat,
        vulnerability=row.vulnerability or "",
        owner=row.owner,
        asset_key=asset_keys.get(row.asset_id) if row.asset_id is not None else None,
        inherent=_score(row.likelihood, row.impact),
        scored_at=row.scored_at,
        treatment=next((o for o in TREATMENT_OPTIONS if o == row.treatment), None),
        controls=tuple(str(c) for c in row.controls or ()),
        treatment_owner=row.treatment_owner,
        treatment_due=row.treatment_due,
        residual=_score(row.residual_likelihood, row.residual_impact),
        acceptance=accepted,
    )


def write_risk(row: RiskRow, risk: Risk, asset_ids: Mapping[str, int]) -> None:
    """Copy the editable fields of a pure risk into its row (acceptance is written apart)."""
    row.threat, row.vulnerability, row.owner = risk.threat, risk.vulnerability, risk.owner
    row.asset_id = asset_ids[risk.asset_key] if risk.asset_key else None
    row.likelihood = risk.inherent.likelihood if risk.inherent else None
    row.impact = risk.inherent.impact if risk.inherent else None
    row.scored_at = risk.scored_at
    row.treatment = risk.treatment
    row.controls = list(risk.controls)
    row.treatment_owner = risk.treatment_owner
    row.treatment_due = risk.treatment_due
    row.residual_likelihood = risk.residual.likelihood if risk.residual else None
    row.residual_impact = risk.residual.impact if risk.residual else None


def load_risks(session: Session, project: Any) -> RiskRegister:
    """The snapshot part "risks"."""
    return RiskTables.read(session, project.id).register()


# Only the chosen controls: other registers (the SoA) read this part on every check.
_CHOSEN = select(RiskRow.controls).where(RiskRow.treatment.is_not(None))
_CHOSEN_BY_PROJECT = select(RiskRow.project_id, RiskRow.controls).where(
    RiskRow.treatment.is_not(None)
)


def load_risk_controls(session: Session, project: Any) -> frozenset[str]:
    """The snapshot part "risk_controls": Annex A ids chosen in any risk's treatment."""
    rows = session.scalars(_CHOSEN.where(RiskRow.project_id == project.id))
    return frozenset(str(control) for controls in rows for control in controls or ())


def load_risks_of(session: Session, projects: Sequence[Any]) -> dict[int, RiskRegister]:
    """`load_risks` for many projects: three queries, whatever their number."""
    ids = [project.id for project in projects]
    methods = {
        row.project_id: row
        for row in session.scalars(select(RiskMethodRow).where(RiskMethodRow.project_id.in_(ids)))
    }
    assets: dict[int, dict[str, AssetRow]] = {project_id: {} for project_id in ids}
    for asset in session.scalars(
        select(AssetRow).where(AssetRow.project_id.in_(ids)).order_by(AssetRow.key)
    ):
        assets[asset.project_id][asset.key] = asset
    risks: dict[int, dict[str, RiskRow]] = {project_id: {} for project_id in ids}
    for risk in session.scalars(
        select(RiskRow).where(RiskRow.project_id.in_(ids)).order_by(RiskRow.key)
    ):
        risks[risk.project_id][risk.key] = risk
    return {
        project_id: RiskTables(
            methods.get(project_id), assets[project_id], risks[project_id]
        ).register()
        for project_id in ids
    }


def load_risk_controls_of(session: Session, projects: Sequence[Any]) -> dict[int, frozenset[str]]:
    """`load_risk_controls` for many projects: one query, whatever their number."""
    ids = [project.id for project in projects]
    chosen: dict[int, set[str]] = {project_id: set() for project_id in ids}
    for project_id, controls in session.execute(
        _CHOSEN_BY_PROJECT.where(RiskRow.project_id.in_(ids))
    ):
        chosen[project_id].update(str(control) for control in controls or ())
    return {project_id: frozenset(controls) for project_id, controls in chosen.items()}


def next_key(existing: Iterable[str], prefix: str) -> str:
    """The next free key after the highest `PREFIX-nnn`, e.g. R-015."""
    pattern = re.compile(rf"^{prefix}-(\d+)$")
    numbers = [int(m.group(1)) for key in existing if (m := pattern.match(key))]
    return f"{prefix}-{max(numbers, default=0) + 1:03d}"


def check_text(name: str, text: str, *, required: bool = True) -> str:
    """Trimmed text within the column's length; BadInput when empty (if required) or long."""
    value = text.strip()
    if required and not value:
        raise BadInput(f"{name} must not be empty")
    limit = _LIMITS.get(name)
    if limit is not None and len(value) > limit:
        raise BadInput(f"{name} is {len(value)} characters long; at most {limit} fit")
    return value


def level_bands(method: RiskMethod, lang: Language) -> list[LevelBandView]:
    """The rating range of each level on the method (levels the method never reaches omitted)."""
    bands: dict[str, list[int]] = {}
    for rating in range(1, method.max_rating + 1):
        bands.setdefault(method.level(rating), []).append(rating)
    return [
        LevelBandView(
            level=level,
            title=LEVEL_TITLES[level].in_(lang),
            low=min(bands[level]),
            high=max(bands[level]),
            acceptable=method.acceptable(max(bands[level])),
        )
        for level in LEVELS
        if level in bands
    ]


def asset_view(asset: Asset, risks: Iterable[Risk]) -> AssetView:
    """An asset as shown, with the keys of its risks."""
    return AssetView(
        key=asset.key,
        name=asset.name,
        owner=asset.owner,
        confidentiality=asset.confidentiality,
        integrity=asset.integrity,
        availability=asset.availability,
        cia=asset.cia,
        description=asset.description,
        risks=[risk.key for risk in risks if risk.asset_key == asset.key],
    )


def risk_view(risk: Risk, register: RiskRegister, lang: Language) -> RiskView:
    """A risk as shown, with its level, residual rating, acceptance state and flags."""
    method = register.method
    inherent, residual = risk.inherent, risk.residual
    rating = inherent.rating if inherent is not None else None
    on_scale = inherent is not None and method.fits(inherent)
    residual_rating = risk.residual_rating(method)
    asset = register.asset(risk.asset_key) if risk.asset_key else None
    accepted = risk.acceptance
    stale = risk.stale_reason(method) if risk.acceptance_state(method) == "stale" else None
    flags = risk.flags(method)
    return RiskView(
        key=risk.key,
        asset=risk.asset_key,
        asset_name=asset.name if asset else None,
        threat=risk.threat,
        vulnerability=risk.vulnerability,
        owner=risk.owner,
        likelihood=inherent.likelihood if inherent else None,
        impact=inherent.impact if inherent else None,
        rating=rating,
        level=method.level(rating) if rating is not None and on_scale else None,
        level_title=LEVEL_TITLES[method.level(rating)].in_(lang)
        if rating is not None and on_scale
        else None,
        acceptable=method.acceptable(rating) if rating is not None and on_scale else None,
        scored_at=risk.scored_at,
        treatment=risk.treatment,
        treatment_title=TREATMENT_TITLES[risk.treatment].in_(lang) if risk.treatment else None,
        controls=list(risk.controls),
        treatment_owner=risk.treatment_owner,
        treatment_due=risk.treatment_due,
        residual_likelihood=residual.likelihood if residual else None,
        residual_impact=residual.impact if residual else None,
        residual_rating=residual_rating,
        residual_level=method.level(residual_rating) if residual_rating is not None else None,
        residual_level_title=LEVEL_TITLES[method.level(residual_rating)].in_(lang)
        if residual_rating is not None
        else None,
        accepted_by=accepted.by if accepted else None,
        accepted_at=accepted.at if accepted else None,
        accepted_rating=accepted.rating if accepted else None,
        acceptance=risk.acceptance_state(method),
        stale_reason=stale.in_(lang) if stale else None,
        flags=list(flags),
        flag_titles=[FLAG_TITLES[flag].in_(lang) for flag in flags],
    )


def score_payload(score: Score | None) -> dict[str, int] | None:
    """likelihood, impact and rating as JSON-ready values (None when unscored)."""
    if score is None:
        return None
    return {"likelihood": score.likelihood, "impact": score.impact, "rating": score.rating}


def _score(likelihood: int | None, impact: int | None) -> Score | None:
    if likelihood is None or impact is None:
        return None
    return Score(likelihood, impact)
