"""Risk register: the project's risk method, its information assets and their risks."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from isms_flow.store.models import Base
from isms_flow.store.types import UtcDateTime

__all__ = ["AssetRow", "RiskMethodRow", "RiskRow"]


class RiskMethodRow(Base):
    """Likelihood × impact scales and the acceptance threshold (default 5 × 5)."""

    __tablename__ = "risk_methods"

    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), primary_key=True)
    likelihood_levels: Mapped[int] = mapped_column(Integer)
    impact_levels: Mapped[int] = mapped_column(Integer)
    acceptance_threshold: Mapped[int] = mapped_column(Integer)  # highest acceptable rating
    updated_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class AssetRow(Base):
    """An information asset with its owner and C/I/A classification (1 low – 3 high)."""

    __tablename__ = "assets"
    __table_args__ = (UniqueConstraint("project_id", "key", name="uq_assets_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    key: Mapped[str] = mapped_column(String(32))  # e.g. A-001
    name: Mapped[str] = mapped_column(String(200))
    owner: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text, default="")
    confidentiality: Mapped[int] = mapped_column(Integer)
    integrity: Mapped[int] = mapped_column(Integer)
    availability: Mapped[int] = mapped_column(Integer)


class RiskRow(Base):
    """A risk to an asset: scored, treated, and its residual rating accepted by its owner."""

    __tablename__ = "risks"
    __table_args__ = (UniqueConstraint("project_id", "key", name="uq_risks_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    key: Mapped[str] = mapped_column(String(32))  # e.g. R-004
    asset_id: Mapped[int | None] = mapped_column(ForeignKey("assets.id"), nullable=True)
    threat: Mapped[str] = mapped_column(Text)
    vulnerability: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(100))
    likelihood: Mapped[int | None] = mapped_column(Integer, nullable=True)
    impact: Mapped[int | None] = mapped_column(Integer, nullable=True)
    scored_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    treatment: Mapped[str | None] = mapped_column(
        String(16), nullable=True
    )  # modify/avoid/share/retain
    controls: Mapped[list[str]] = mapped_column(JSON, default=list)  # Annex A ids
    treatment_owner: Mapped[str | None] = mapped_column(String(100), nullable=True)
    treatment_due: Mapped[date | None] = mapped_column(Date, nullable=True)
    residual_likelihood: Mapped[int | None] = mapped_column(Integer, nullable=True)
    residual_impact: Mapped[int | None] = mapped_column(Integer, nullable=True)
    accepted_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
    accepted_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    accepted_rating: Mapped[int | None] = mapped_column(Integer, nullable=True)
