"""Showing the SoA: every control's line, the progress, and what still blocks the guard."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from isms_flow.bootstrap import App
from isms_flow.errors import BadInput
from isms_flow.i18n import Language
from isms_flow.isms.annex_a import ANNEX_A_EDITION, annex_a_controls, annex_a_themes
from isms_flow.isms.requirements.soa import soa_blocker
from isms_flow.isms.soa import SOA_STATUSES, Soa, soa_gaps
from isms_flow.services.lookup import find_project, project_ref
from isms_flow.services.registers.soa.register import (
    entry_of,
    entry_view,
    evidence_names,
    risk_controls,
    soa_rows,
)
from isms_flow.services.registers.soa.views import SoaView
from isms_flow.services.snapshots import evaluation_context
from isms_flow.store.models import ProjectRow

__all__ = ["parse_theme", "show_soa", "soa_view"]


def parse_theme(text: str) -> int:
    """A theme by number (5–8) or by name in either language ("physical", "物理的管理策")."""
    value = text.strip().lower()
    for theme in annex_a_themes():
        names = {str(theme.number), theme.title.en.lower(), theme.title.ja}
        if value in names or value == theme.title.ja.removesuffix("管理策"):
            return theme.number
    known = ", ".join(f"{t.number} ({t.title.en})" for t in annex_a_themes())
    raise BadInput(f"unknown Annex A theme '{text}' (known: {known})")


def show_soa(
    app: App,
    *,
    ref: str,
    undecided_only: bool = False,
    theme: str | None = None,
    lang: Language = "en",
) -> SoaView:
    """The SoA of a project: progress over all 93 controls, lines filtered as asked."""
    theme_number = parse_theme(theme) if theme is not None else None
    with app.uow() as uow:
        project = find_project(uow.session, ref)
        return soa_view(
            uow.session,
            project,
            app.clock.now(),
            lang,
            undecided_only=undecided_only,
            theme=theme_number,
        )


def soa_view(
    session: Session,
    project: ProjectRow,
    now: datetime,
    lang: Language,
    *,
    undecided_only: bool = False,
    theme: int | None = None,
) -> SoaView:
    """Build the view inside an open unit of work (also used by the exports)."""
    rows = soa_rows(session, project.id)
    chosen = risk_controls(session, project)
    soa = Soa({key: entry_of(row) for key, row in rows.items()})
    gaps = soa_gaps(soa, chosen or ())
    evidence = evidence_names(session, project.id)
    entries = [
        entry_view(
            control,
            rows.get(control.id),
            evidence=evidence,
            chosen=chosen or frozenset(),
            lang=lang,
        )
        for control in annex_a_controls()
        if (theme is None or control.theme_number == theme)
    ]
    if undecided_only:
        entries = [e for e in entries if e.verdict == "undecided"]
    filters = {"undecided": "yes"} if undecided_only else {}
    if theme is not None:
        filters["theme"] = str(theme)
    applicable = soa.ids_where(True)
    excluded = soa.ids_where(False)
    return SoaView(
        project=project_ref(project),
        client=project.client.name,
        timezone=project.client.timezone,
        edition=ANNEX_A_EDITION,
        as_of=evaluation_context(now, project.client.timezone).today,
        total=gaps.total,
        decided=gaps.decided,
        applicable=len(applicable),
        excluded=len(excluded),
        undecided=gaps.total - gaps.decided,
        statuses={s: sum(1 for c in applicable if soa.entry(c).status == s) for s in SOA_STATUSES},
        progress=_progress(gaps.decided, gaps.total, lang),
        complete=gaps.complete,
        problems=[] if gaps.complete else [soa_blocker(gaps).message.in_(lang)],
        risk_register_linked=chosen is not None,
        filters=filters,
        entries=entries,
    )


def _progress(decided: int, total: int, lang: Language) -> str:
    return (
        f"適用宣言書 {decided}/{total} 決定済み"
        if lang == "ja"
        else f"SoA {decided}/{total} decided"
    )
