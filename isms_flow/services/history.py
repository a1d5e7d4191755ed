"""Use cases for the history: a project's events, and verifying the whole chain."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from isms_flow.bootstrap import App
from isms_flow.errors import BadInput
from isms_flow.services.event_summaries import summarize
from isms_flow.services.lookup import find_project
from isms_flow.services.views import ChainView, EventView
from isms_flow.store.events import verify_chain
from isms_flow.store.models import EventRow

__all__ = ["project_history", "verify_history"]


def project_history(
    app: App, *, ref: str, limit: int | None = None, after_seq: int | None = None
) -> list[EventView]:
    """A project's events, oldest first (the newest `limit` when given).

    With `after_seq`, the oldest `limit` events after that sequence number instead: a page.
    """
    if limit is not None and limit < 1:
        raise BadInput("--limit must be at least 1")
    with app.uow() as uow:
        project = find_project(uow.session, ref)
        query = select(EventRow).where(EventRow.project_id == project.id)
        if after_seq is not None:
            query = query.where(EventRow.seq > after_seq).order_by(EventRow.seq)
            if limit is not None:
                query = query.limit(limit)
        elif limit is not None:
            query = query.order_by(EventRow.seq.desc()).limit(limit)
        rows = sorted(uow.session.scalars(query).all(), key=lambda row: row.seq)
        return [_event_view(row) for row in rows]


def verify_history(app: App, *, anchor: str | None = None) -> ChainView:
    """Re-hash the whole chain; with `anchor` (SEQ:HASH) also prove nothing was cut off."""
    anchor_seq, anchor_hash = _parse_anchor(anchor) if anchor else (None, None)
    with app.uow() as uow:
        report = verify_chain(uow.session)
        problem = report.problem
        if problem is None and anchor_seq is not None:
            row = uow.session.get(EventRow, anchor_seq)
            if row is None:
                problem = f"anchor event seq {anchor_seq} is missing: the history was truncated"
            elif row.hash != anchor_hash:
                problem = (
                    f"event seq {anchor_seq} does not match the anchor hash: history rewritten"
                )
        return ChainView(
            intact=problem is None, events=report.events, head=report.head, problem=problem
        )


def _parse_anchor(anchor: str) -> tuple[int, str]:
    seq, _, digest = anchor.partition(":")
    if not seq.isdigit() or len(digest) != 64:
        raise BadInput(f"anchor '{anchor}' must be SEQ:SHA256 as printed by `audit verify`")
    return int(seq), digest.lower()


def _event_view(row: EventRow) -> EventView:
    payload: dict[str, Any] = json.loads(row.payload)
    return EventView(
        seq=row.seq,
        occurred_at=row.occurred_at,
        actor=row.actor,
        type=row.type,
        summary=summarize(row.type, payload),
        payload=payload,
        hash=row.hash,
    )
