"""Result models of the risk register's use cases: what the CLI prints as tables or `--json`."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

__all__ = [
    "AssetView",
    "HeatCellView",
    "HeatmapView",
    "LevelBandView",
    "RiskChangeView",
    "RiskExportView",
    "RiskImportView",
    "RiskListView",
    "RiskMethodView",
    "RiskView",
]


class _View(BaseModel):
    model_config = ConfigDict(frozen=True)


class LevelBandView(_View):
    """The ratings one level covers on the method, e.g. medium 7–12."""

    level: str
    title: str
    low: int
    high: int
    acceptable: bool


class RiskMethodView(_View):
    """The project's risk method (6.1.2 a) and what it means for the risks scored on it."""

    project: str
    likelihood_levels: int
    impact_levels: int
    acceptance_threshold: int
    max_rating: int
    description: str
    bands: list[LevelBandView]
    default: bool
    """True while the project has not set a method and uses 5 × 5, acceptable up to 6."""
    updated_by: str | None
    updated_at: datetime | None
    off_scale: list[str]
    """Risks scored outside these scales: they must be re-scored."""
    above_threshold: list[str]
    """Risks whose rating is above the acceptance threshold."""
    saved: bool


class AssetView(_View):
    """An information asset with its C/I/A classification."""

    key: str
    name: str
    owner: str
    confidentiality: int
    integrity: int
    availability: int
    cia: str
    description: str
    risks: list[str]


class RiskView(_View):
    """One risk as the register shows it, with what still keeps it from passing the guards."""

    key: str
    asset: str | None
    asset_name: str | None
    threat: str
    vulnerability: str
    owner: str
    likelihood: int | None
    impact: int | None
    rating: int | None
    level: str | None
    level_title: str | None
    acceptable: bool | None
    scored_at: datetime | None
    treatment: str | None
    treatment_title: str | None
    controls: list[str]
    treatment_owner: str | None
    treatment_due: date | None
    residual_likelihood: int | None
    residual_impact: int | None
    residual_rating: int | None
    """Residual rating after treatment (a retained risk keeps its rating)."""
    residual_level: str | None
    residual_level_title: str | None
    accepted_by: str | None
    accepted_at: datetime | None
    accepted_rating: int | None
    acceptance: Literal["not_needed", "missing", "stale", "current"]
    stale_reason: str | None
    flags: list[str]
    flag_titles: list[str]


class RiskChangeView(_View):
    """What one change did to one risk; `saved` is false when it changed nothing."""

    project: str
    action: Literal["add", "update", "score", "treat", "residual", "accept"]
    risk: RiskView
    saved: bool
    notes: list[str]
    """Consequences worth saying, e.g. an acceptance that is now stale."""


class RiskListView(_View):
    """The register with its method, its progress and the risks (optionally filtered)."""

    project: str
    method: str
    acceptance_threshold: int
    total: int
    scored: int
    above_threshold: int
    treated_above: int
    acceptances_needed: int
    acceptances_current: int
    progress: list[str]
    """E.g. `risks scored 12/14`, in the requested language."""
    filters: dict[str, str]
    risks: list[RiskView]
    assets: list[AssetView]


class HeatCellView(_View):
    """One cell of the matrix."""

    likelihood: int
    impact: int
    rating: int
    level: str
    acceptable: bool
    count: int
    keys: list[str]


class HeatmapView(_View):
    """The likelihood × impact matrix; rows run from the highest likelihood down."""

    project: str
    residual: bool
    likelihood_levels: int
    impact_levels: int
    acceptance_threshold: int
    level_titles: dict[str, str]
    rows: list[list[HeatCellView]]
    placed: int
    unplaced: list[str]
    """Risks not in the matrix: unscored, or (with residual) a treatment's result unscored."""


class RiskImportView(_View):
    """What an import changed; nothing is saved when a row is bad or nothing changed."""

    project: str
    kind: Literal["assets", "risks"]
    file: str
    sha256: str
    rows: int
    added: list[str]
    changed: list[str]
    unchanged: int
    stale: list[str]
    """Risks whose owner's acceptance this import made stale."""
    saved: bool


class RiskExportView(_View):
    """The file an export wrote."""

    project: str
    kind: Literal["assets", "risks"]
    file: str
    rows: int
