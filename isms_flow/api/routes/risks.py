"""The risk register (6.1.2/6.1.3): method, assets, risks, scores, treatments, acceptance, CSV."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response, status
from pydantic import Field

from isms_flow.api.concurrency import set_etag
from isms_flow.api.context import PageRequestDep
from isms_flow.api.deps import LangDep
from isms_flow.api.files import UploadLimitedRoute
from isms_flow.api.pagination import Page
from isms_flow.api.registers import (
    CHANGE,
    DOWNLOADS,
    PROJECT_PATH,
    READ,
    Body,
    ChangeRegister,
    CsvUploadDep,
    ReadRegister,
    download,
)
from isms_flow.services.registers import risks as service
from isms_flow.services.registers.risks.views import (
    AssetView,
    HeatmapView,
    RiskChangeView,
    RiskImportView,
    RiskListView,
    RiskMethodView,
    RiskView,
)

# Imports come as uploads: bodies are limited while they stream in.
router = APIRouter(prefix=f"{PROJECT_PATH}/risks", tags=["risks"], route_class=UploadLimitedRoute)

Kind = Annotated[Literal["risks", "assets"], Query(description="The risks, or the asset inventory")]
Level = Annotated[int, Field(description="On the method's scale, 1 = lowest")]
CIA = Annotated[int, Field(description="1–3")]


class MethodChange(Body):
    """The risk method's scales and acceptance level; unset fields stay as they are."""

    likelihood_levels: int | None = Field(default=None, description="2–10")
    impact_levels: int | None = Field(default=None, description="2–10")
    acceptance_threshold: int | None = Field(
        default=None, description="Highest acceptable rating (likelihood × impact)"
    )


class NewAsset(Body):
    """An information asset with its owner and C/I/A classification."""

    name: str
    owner: str
    confidentiality: CIA
    integrity: CIA
    availability: CIA
    description: str = ""
    key: str | None = Field(default=None, description="e.g. A-012; the next free one if unset")


class AssetChange(Body):
    """New values for an asset; unset fields stay as they are."""

    name: str | None = None
    owner: str | None = None
    confidentiality: CIA | None = None
    integrity: CIA | None = None
    availability: CIA | None = None
    description: str | None = None


class NewRisk(Body):
    """A risk for the register, scored now if both likelihood and impact are given."""

    threat: str
    owner: str = Field(description="The risk owner, who accepts the residual risk")
    vulnerability: str = ""
    asset: str | None = Field(default=None, description="Asset key, e.g. A-001")
    key: str | None = Field(default=None, description="e.g. R-020; the next free one if unset")
    likelihood: Level | None = None
    impact: Level | None = None


class RiskChange(Body):
    """New values for a risk; unset fields stay. A new owner must accept again."""

    threat: str | None = None
    vulnerability: str | None = None
    owner: str | None = None
    asset: str | None = Field(default=None, description='Asset key; "" for none')


class Score(Body):
    """Likelihood × impact on the method's scales."""

    likelihood: Level
    impact: Level


class Treatment(Body):
    """The treatment decided for a risk, with the Annex A controls implementing it."""

    option: str = Field(description="modify, avoid, share or retain")
    controls: list[str] = Field(default=[], description="Annex A controls, e.g. 8.13")
    owner: str | None = Field(default=None, description="Who carries it out")
    due: date | None = None


@router.get("/method", openapi_extra=READ)
def get_method(lang: LangDep, read: ReadRegister) -> RiskMethodView:
    """The risk method: scales, acceptance level, and risks it leaves off-scale or above."""
    return service.show_method(read.app, ref=read.ref, lang=lang)


@router.put("/method", openapi_extra=CHANGE)
def set_method(lang: LangDep, change: ChangeRegister, body: MethodChange) -> RiskMethodView:
    """Set the likelihood and impact scales or the acceptance threshold."""
    with change.applying():
        return service.set_method(
            change.app,
            ref=change.ref,
            likelihood_levels=body.likelihood_levels,
            impact_levels=body.impact_levels,
            acceptance_threshold=body.acceptance_threshold,
            actor=change.actor,
            lang=lang,
        )


@router.get("/assets", openapi_extra=READ)
def list_assets(read: ReadRegister, paging: PageRequestDep) -> Page[AssetView]:
    """The information asset inventory with each asset's risks, by key."""
    views = service.list_assets(read.app, ref=read.ref)
    return paging.page(views, key=lambda v: (v.key,))


@router.post("/assets", status_code=status.HTTP_201_CREATED, openapi_extra=CHANGE)
def add_asset(change: ChangeRegister, body: NewAsset) -> AssetView:
    """Add an information asset."""
    with change.applying():
        return service.add_asset(
            change.app, ref=change.ref, actor=change.actor, **body.model_dump()
        )


@router.patch("/assets/{key}", openapi_extra=CHANGE)
def update_asset(change: ChangeRegister, key: str, body: AssetChange) -> AssetView:
    """Change an asset's name, owner, classification or description."""
    with change.applying():
        return service.update_asset(
            change.app, ref=change.ref, key=key, actor=change.actor, **body.model_dump()
        )


@router.get("", openapi_extra=READ)
def list_risks(
    lang: LangDep,
    read: ReadRegister,
    paging: PageRequestDep,
    flag: Annotated[str | None, Query(description="unscored, untreated, …")] = None,
    owner: Annotated[str | None, Query(description="Only this owner's risks")] = None,
    asset: Annotated[str | None, Query(description="Only the risks of this asset")] = None,
) -> Page[RiskView]:
    """The risks by key, with ratings, treatments, acceptance and what still flags them."""
    view = service.list_risks(
        read.app, ref=read.ref, flag=flag, owner=owner, asset=asset, lang=lang
    )
    return paging.page(view.risks, key=lambda v: (v.key,))


@router.get("/summary", openapi_extra=READ)
def get_summary(lang: LangDep, read: ReadRegister) -> RiskListView:
    """The whole register with its progress (e.g. `risks scored 12/14`), risks and assets."""
    return service.list_risks(read.app, ref=read.ref, lang=lang)


@router.get("/heatmap", openapi_extra=READ)
def get_heatmap(
    lang: LangDep,
    read: ReadRegister,
    residual: Annotated[bool, Query(description="Place risks by their residual score")] = False,
) -> HeatmapView:
    """The likelihood × impact matrix: risks per cell, with each cell's level."""
    return service.risk_heatmap(read.app, ref=read.ref, residual=residual, lang=lang)


@router.post("", status_code=status.HTTP_201_CREATED, openapi_extra=CHANGE)
def add_risk(lang: LangDep, change: ChangeRegister, body: NewRisk) -> RiskChangeView:
    """Add a risk (scored now if likelihood and impact are given)."""
    with change.applying():
        return service.add_risk(
            change.app, ref=change.ref, actor=change.actor, lang=lang, **body.model_dump()
        )


@router.patch("/{key}", openapi_extra=CHANGE)
def update_risk(
    lang: LangDep, change: ChangeRegister, key: str, body: RiskChange
) -> RiskChangeView:
    """Change a risk's threat, vulnerability, asset or owner."""
    with change.applying():
        return service.update_risk(
            change.app, ref=change.ref, key=key, actor=change.actor, lang=lang, **body.model_dump()
        )


@router.put("/{key}/score", openapi_extra=CHANGE)
def score_risk(lang: LangDep, change: ChangeRegister, key: str, body: Score) -> RiskChangeView:
    """Score (or re-score) a risk before treatment."""
    with change.applying():
        return service.score_risk(
            change.app, ref=change.ref, key=key, actor=change.actor, lang=lang, **body.model_dump()
        )


@router.put("/{key}/treatment", openapi_extra=CHANGE)
def treat_risk(lang: LangDep, change: ChangeRegister, key: str, body: Treatment) -> RiskChangeView:
    """Decide a risk's treatment and the controls that implement it."""
    with change.applying():
        return service.treat_risk(
            change.app,
            ref=change.ref,
            key=key,
            option=body.option,
            controls=body.controls,
            treatment_owner=body.owner,
            due=body.due,
            actor=change.actor,
            lang=lang,
        )


@router.put("/{key}/residual", openapi_extra=CHANGE)
def score_residual(lang: LangDep, change: ChangeRegister, key: str, body: Score) -> RiskChangeView:
    """Score what is left of a risk after its treatment."""
    with change.applying():
        return service.score_residual(
            change.app, ref=change.ref, key=key, actor=change.actor, lang=lang, **body.model_dump()
        )


@router.delete("/{key}/residual", openapi_extra=CHANGE)
def clear_residual(lang: LangDep, change: ChangeRegister, key: str) -> RiskChangeView:
    """Remove a risk's residual score."""
    with change.applying():
        return service.score_residual(
            change.app, ref=change.ref, key=key, actor=change.actor, lang=lang
        )


@router.post("/{key}/acceptance", openapi_extra=CHANGE)
def accept_risk(lang: LangDep, change: ChangeRegister, key: str) -> RiskChangeView:
    """As the risk owner, accept the residual risk at its current rating."""
    with change.applying():
        return service.accept_risk(
            change.app, ref=change.ref, key=key, actor=change.actor, lang=lang
        )


@router.post("/import", openapi_extra=CHANGE)
def import_register(
    change: ChangeRegister, upload: CsvUploadDep, kind: Kind = "risks"
) -> RiskImportView:
    """Add or change risks (or assets) from CSV as the export writes it; all rows or none."""
    with change.applying():
        return service.import_register_data(
            change.app,
            ref=change.ref,
            kind=kind,
            data=upload.data,
            name=upload.name,
            encoding=upload.encoding,
            actor=change.actor,
        )


@router.get("/export", response_class=Response, responses=DOWNLOADS, openapi_extra=READ)
def export_register(read: ReadRegister, kind: Kind = "risks") -> Response:
    """The risks (or assets) as CSV, UTF-8 with BOM so Excel reads Japanese."""
    file = download(service.export_register_data(read.app, ref=read.ref, kind=kind))
    set_etag(file, read.access.version)
    return file
