"""Use cases of the risk method and the information assets, one change each.

Changing the method re-scores nothing: risks scored outside the new scales, and risks now above
the threshold, are named in the result and blocked by the guards until someone re-judges them.
"""

from __future__ import annotations

from dataclasses import replace

import structlog

from isms_flow.bootstrap import App
from isms_flow.errors import BadInput
from isms_flow.i18n import Language
from isms_flow.isms.risk import Asset, RiskMethod, check_cia, normalize_key
from isms_flow.services.changes import record_change
from isms_flow.services.lookup import find_project, project_ref
from isms_flow.services.registers.risks.register import (
    RiskTables,
    asset_view,
    check_text,
    level_bands,
    next_key,
)
from isms_flow.services.registers.risks.views import AssetView, RiskMethodView
from isms_flow.services.retry import VersionPin, retry_on_conflict
from isms_flow.services.snapshots import bound_project
from isms_flow.store.tables.risks import AssetRow, RiskMethodRow

__all__ = ["add_asset", "list_assets", "set_method", "show_method", "update_asset"]

_log = structlog.get_logger(__name__)


def show_method(app: App, *, ref: str, lang: Language = "en") -> RiskMethodView:
    """The project's risk method (the default 5 × 5 until one is set)."""
    with app.uow() as uow:
        project = find_project(uow.session, ref)
        tables = RiskTables.read(uow.session, project.id)
        return _method_view(project_ref(project), tables, tables.method, lang, saved=False)


def set_method(
    app: App,
    *,
    ref: str,
    actor: str,
    likelihood_levels: int | None = None,
    impact_levels: int | None = None,
    acceptance_threshold: int | None = None,
    lang: Language = "en",
) -> RiskMethodView:
    """Set the scales and the acceptance threshold (a value not given stays as it is).

    Existing scores are kept as they are, whatever the new scales.
    """
    if likelihood_levels is None and impact_levels is None and acceptance_threshold is None:
        raise BadInput("say what to set: --likelihood, --impact and/or --threshold")
    now = app.clock.now()

    def attempt(pin: VersionPin) -> RiskMethodView:
        with app.uow() as uow:
            project = find_project(uow.session, ref)
            tables = RiskTables.read(uow.session, project.id)
            before = tables.method
            method = RiskMethod(
                before.likelihood_levels if likelihood_levels is None else likelihood_levels,
                before.impact_levels if impact_levels is None else impact_levels,
                before.acceptance_threshold
                if acceptance_threshold is None
                else acceptance_threshold,
            )
            if tables.method_row is not None and before == method:
                return _method_view(project_ref(project), tables, method, lang, saved=False)
            row = tables.method_row or RiskMethodRow(project_id=project.id)
            row.likelihood_levels, row.impact_levels = (
                method.likelihood_levels,
                method.impact_levels,
            )
            row.acceptance_threshold = method.acceptance_threshold
            row.updated_by, row.updated_at = actor, now
            uow.session.add(row)
            tables.method_row = row
            view = _method_view(project_ref(project), tables, method, lang, saved=True)
            payload = {
                "from": _method_payload(before),
                "to": _method_payload(method),
                "off_scale": view.off_scale,
                "above_threshold": len(view.above_threshold),
            }
            record_change(
                uow, project, now=now, actor=actor, type="risk_method_set", payload=payload
            )
            uow.commit()
            with bound_project(project, actor):
                _log.info("risk_method_set", method=method.describe())
            return view

    return retry_on_conflict(attempt)


def add_asset(
    app: App,
    *,
    ref: str,
    name: str,
    owner: str,
    confidentiality: int,
    integrity: int,
    availability: int,
    actor: str,
    description: str = "",
    key: str | None = None,
) -> AssetView:
    """Add an information asset (key: the next free A-nnn unless given)."""
    asset = _checked(
        Asset(
            key=normalize_key(key, "asset") if key else "",
            name=name,
            owner=owner,
            confidentiality=confidentiality,
            integrity=integrity,
            availability=availability,
            description=description,
        )
    )
    now = app.clock.now()

    def attempt(pin: VersionPin) -> AssetView:
        with app.uow() as uow:
            project = find_project(uow.session, ref)
            tables = RiskTables.read(uow.session, project.id)
            new_key = asset.key or next_key(tables.assets, "A")
            if new_key in tables.assets:
                raise BadInput(
                    f"asset {new_key} already exists in {project_ref(project)}: "
                    f"'{tables.assets[new_key].name}' (change it with `isms-flow risks "
                    "asset-update`)"
                )
            row = AssetRow(project_id=project.id, key=new_key)
            _write(row, asset)
            uow.session.add(row)
            payload = {"key": new_key, **_asset_payload(asset)}
            record_change(uow, project, now=now, actor=actor, type="asset_added", payload=payload)
            uow.commit()
            return asset_view(replace(asset, key=new_key), ())

    return retry_on_conflict(attempt)


def update_asset(
    app: App,
    *,
    ref: str,
    key: str,
    actor: str,
    name: str | None = None,
    owner: str | None = None,
    confidentiality: int | None = None,
    integrity: int | None = None,
    availability: int | None = None,
    description: str | None = None,
) -> AssetView:
    """Change the given fields of an asset; BadInput when nothing would change."""
    asset_key = normalize_key(key, "asset")
    now = app.clock.now()

    def attempt(pin: VersionPin) -> AssetView:
        with app.uow() as uow:
            project = find_project(uow.session, ref)
            tables = RiskTables.read(uow.session, project.id)
            row = tables.asset(asset_key, project_ref(project))
            register = tables.register()
            before = register.asset(asset_key)
            assert before is not None  # the row exists
            after = _checked(
                Asset(
                    key=before.key,
                    name=before.name if name is None else name,
                    owner=before.owner if owner is None else owner,
                    confidentiality=_or(confidentiality, before.confidentiality),
                    integrity=_or(integrity, before.integrity),
                    availability=_or(availability, before.availability),
                    description=before.description if description is None else description,
                )
            )
            if after == before:
                raise BadInput(f"asset {asset_key} already has these values; nothing changed")
            _write(row, after)
            changed = {
                f: getattr(after, f)
                for f in _ASSET_FIELDS
                if getattr(before, f) != getattr(after, f)
            }
            payload = {"key": asset_key, "changed": changed}
            record_change(uow, project, now=now, actor=actor, type="asset_updated", payload=payload)
            uow.commit()
            return asset_view(after, register.risks)

    return retry_on_conflict(attempt)


def list_assets(app: App, *, ref: str) -> list[AssetView]:
    """The project's assets in key order, each with the keys of its risks."""
    with app.uow() as uow:
        project = find_project(uow.session, ref)
        register = RiskTables.read(uow.session, project.id).register()
        return [asset_view(asset, register.risks) for asset in register.assets]


_ASSET_FIELDS = ("name", "owner", "confidentiality", "integrity", "availability", "description")


def _or(value: int | None, default: int) -> int:
    return default if value is None else value


def _checked(asset: Asset) -> Asset:
    return Asset(
        key=asset.key,
        name=check_text("name", asset.name),
        owner=check_text("owner", asset.owner),
        confidentiality=check_cia("confidentiality", asset.confidentiality),
        integrity=check_cia("integrity", asset.integrity),
        availability=check_cia("availability", asset.availability),
        description=asset.description.strip(),
    )


def _write(row: AssetRow, asset: Asset) -> None:
    row.name, row.owner, row.description = asset.name, asset.owner, asset.description
    row.confidentiality, row.integrity = asset.confidentiality, asset.integrity
    row.availability = asset.availability


def _asset_payload(asset: Asset) -> dict[str, object]:
    return {
        "name": asset.name,
        "owner": asset.owner,
        "confidentiality": asset.confidentiality,
        "integrity": asset.integrity,
        "availability": asset.availability,
    }


def _method_payload(method: RiskMethod) -> dict[str, int]:
    return {
        "likelihood_levels": method.likelihood_levels,
        "impact_levels": method.impact_levels,
        "acceptance_threshold": method.acceptance_threshold,
    }


def _method_view(
    ref: str, tables: RiskTables, method: RiskMethod, lang: Language, *, saved: bool
) -> RiskMethodView:
    risks = tables.register().risks
    row = tables.method_row
    return RiskMethodView(
        project=ref,
        likelihood_levels=method.likelihood_levels,
        impact_levels=method.impact_levels,
        acceptance_threshold=method.acceptance_threshold,
        max_rating=method.max_rating,
        description=method.describe(),
        bands=level_bands(method, lang),
        default=row is None,
        updated_by=row.updated_by if row is not None else None,
        updated_at=row.updated_at if row is not None else None,
        off_scale=[
            r.key
            for r in risks
            if any(s is not None and not method.fits(s) for s in (r.inherent, r.residual))
        ],
        above_threshold=[r.key for r in risks if r.needs_treatment(method)],
        saved=saved,
    )
