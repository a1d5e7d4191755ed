"""Reading the risk register: the list with its progress and flags, and the heat map."""

from __future__ import annotations

from isms_flow.bootstrap import App
from isms_flow.errors import BadInput
from isms_flow.i18n import Language, LocalizedText
from isms_flow.isms.risk import FLAG_TITLES, LEVEL_TITLES, Flag, RiskRegister, normalize_key
from isms_flow.isms.risk_matrix import risk_matrix
from isms_flow.services.lookup import find_project, project_ref
from isms_flow.services.registers.risks.register import RiskTables, asset_view, risk_view
from isms_flow.services.registers.risks.views import HeatCellView, HeatmapView, RiskListView

__all__ = ["list_risks", "risk_heatmap"]


def list_risks(
    app: App,
    *,
    ref: str,
    flag: str | None = None,
    owner: str | None = None,
    asset: str | None = None,
    lang: Language = "en",
) -> RiskListView:
    """The risks (filtered by a flag, an owner or an asset) with the register's progress."""
    wanted = _flag(flag)
    asset_key = normalize_key(asset, "asset") if asset else None
    with app.uow() as uow:
        project = find_project(uow.session, ref)
        register = RiskTables.read(uow.session, project.id).register()
        method = register.method
        shown = [
            risk
            for risk in register.risks
            if (wanted is None or wanted in risk.flags(method))
            and (owner is None or risk.owner == owner)
            and (asset_key is None or risk.asset_key == asset_key)
        ]
        filters = {"flag": flag, "owner": owner, "asset": asset_key}
        return RiskListView(
            project=project_ref(project),
            method=method.describe(),
            acceptance_threshold=method.acceptance_threshold,
            **_counts(register),
            progress=_progress(register, lang),
            filters={name: value for name, value in filters.items() if value},
            risks=[risk_view(risk, register, lang) for risk in shown],
            assets=[asset_view(a, register.risks) for a in register.assets],
        )


def risk_heatmap(
    app: App, *, ref: str, residual: bool = False, lang: Language = "en"
) -> HeatmapView:
    """Counts per likelihood × impact cell (inherent, or residual after treatment)."""
    with app.uow() as uow:
        project = find_project(uow.session, ref)
        register = RiskTables.read(uow.session, project.id).register()
        ref_text = project_ref(project)
    matrix = risk_matrix(register, residual=residual)
    method = matrix.method
    return HeatmapView(
        project=ref_text,
        residual=residual,
        likelihood_levels=method.likelihood_levels,
        impact_levels=method.impact_levels,
        acceptance_threshold=method.acceptance_threshold,
        level_titles={level: title.in_(lang) for level, title in LEVEL_TITLES.items()},
        rows=[
            [
                HeatCellView(
                    likelihood=cell.likelihood,
                    impact=cell.impact,
                    rating=cell.rating,
                    level=cell.level,
                    acceptable=cell.acceptable,
                    count=cell.count,
                    keys=list(cell.keys),
                )
                for cell in row
            ]
            for row in matrix.rows
        ],
        placed=matrix.placed,
        unplaced=list(matrix.unplaced),
    )


def _flag(text: str | None) -> Flag | None:
    if text is None:
        return None
    value = text.strip().lower().replace("-", "_")
    for flag in FLAG_TITLES:
        if flag == value:
            return flag
    known = ", ".join(f.replace("_", "-") for f in FLAG_TITLES)
    raise BadInput(f"unknown flag '{text}' (known: {known})")


def _counts(register: RiskRegister) -> dict[str, int]:
    method = register.method
    risks = register.risks
    above = [r for r in risks if r.needs_treatment(method)]
    states = [r.acceptance_state(method) for r in risks]
    return {
        "total": len(risks),
        "scored": sum(1 for r in risks if r.scored(method)),
        "above_threshold": len(above),
        "treated_above": sum(1 for r in above if r.treatment is not None),
        "acceptances_needed": sum(1 for s in states if s != "not_needed"),
        "acceptances_current": sum(1 for s in states if s == "current"),
    }


def _progress(register: RiskRegister, lang: Language) -> list[str]:
    counts = _counts(register)
    lines = (
        LocalizedText(
            en=f"risks scored {counts['scored']}/{counts['total']}",
            ja=f"評価済みリスク {counts['scored']}/{counts['total']}",
        ),
        LocalizedText(
            en=f"above the acceptance level treated {counts['treated_above']}/"
            f"{counts['above_threshold']}",
            ja=f"受容基準超過のうち対応決定済み {counts['treated_above']}/"
            f"{counts['above_threshold']}",
        ),
        LocalizedText(
            en=f"residual risks accepted {counts['acceptances_current']}/"
            f"{counts['acceptances_needed']}",
            ja=f"残留リスクの受容 {counts['acceptances_current']}/{counts['acceptances_needed']}",
        ),
    )
    return [line.in_(lang) for line in lines]
