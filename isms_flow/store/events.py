"""The append-only, hash-chained event log.

Each row stores the hash of the row before it (`prev_hash`) and its own `hash` over its
contents, so editing, deleting or inserting a row out of band breaks the chain at that row.
Rows are numbered `seq` = previous + 1; two concurrent writers collide on that primary key and
one fails, so the chain never forks.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from isms_flow.clock import ensure_utc
from isms_flow.store.models import Base, EventRow
from isms_flow.store.unit_of_work import conflicts_mapped

__all__ = [
    "EVENT_FORMAT",
    "GENESIS",
    "AppendedEvent",
    "ChainReport",
    "NewEvent",
    "append_event",
    "append_events",
    "canonical_json",
    "verify_chain",
]

EVENT_FORMAT = 1
"""Row format this version writes; a newer row is reported, never guessed at."""

GENESIS = "0" * 64
"""`prev_hash` of the first event."""


def canonical_json(value: Any) -> str:
    """One spelling per value: sorted keys, no spaces, UTF-8 kept."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _row_hash(
    *,
    seq: int,
    format: int,
    occurred_at: datetime,
    client_id: int | None,
    project_id: int | None,
    actor: str,
    type: str,
    payload: str,
    prev_hash: str,
) -> str:
    body = canonical_json(
        {
            "seq": seq,
            "format": format,
            "at": ensure_utc(occurred_at).isoformat(timespec="microseconds"),
            "client": client_id,
            "project": project_id,
            "actor": actor,
            "type": type,
            "payload": payload,
            "prev": prev_hash,
        }
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


_LAST_EVENT = select(EventRow.seq, EventRow.hash).order_by(EventRow.seq.desc()).limit(1)
_INSERT_EVENT = insert(Base.metadata.tables["events"])


@dataclass(frozen=True)
class AppendedEvent:
    """Where the new event sits in the chain."""

    seq: int
    hash: str


"""The head of the chain (built once: building a statement costs more than running it)."""


def append_event(
    session: Session,
    *,
    occurred_at: datetime,
    actor: str,
    type: str,
    payload: Mapping[str, Any],
    client_id: int | None = None,
    project_id: int | None = None,
) -> AppendedEvent:
    """Write the next event in the caller's transaction (committed with it)."""
    # Plain Core on the session's connection: the ORM layer adds nothing to one INSERT but cost.
    with conflicts_mapped():
        session.flush()  # pending ORM changes first, so a stale version fails before the event
    connection = session.connection()
    last = connection.execute(_LAST_EVENT).first()
    seq, prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS)
    # Microsecond precision is what every database keeps; hash exactly what is stored.
    occurred_at = ensure_utc(occurred_at)
    text = canonical_json(dict(payload))
    digest = _row_hash(
        seq=seq,
        format=EVENT_FORMAT,
        occurred_at=occurred_at,
        client_id=client_id,
        project_id=project_id,
        actor=actor,
        type=type,
        payload=text,
        prev_hash=prev_hash,
    )
    values = {
        "seq": seq,
        "format": EVENT_FORMAT,
        "occurred_at": occurred_at,
        "client_id": client_id,
        "project_id": project_id,
        "actor": actor,
        "type": type,
        "payload": text,
        "prev_hash": prev_hash,
        "hash": digest,
    }
    # A Core INSERT, written now: a writer that took the same `seq` collides on the key here.
    with conflicts_mapped():
        connection.execute(_INSERT_EVENT, values)
    return AppendedEvent(seq=seq, hash=digest)


@dataclass(frozen=True)
class NewEvent:
    """An event to append: the keywords of `append_event`."""

    occurred_at: datetime
    actor: str
    type: str
    payload: Mapping[str, Any]
    client_id: int | None = None
    project_id: int | None = None


def append_events(session: Session, events: Sequence[NewEvent]) -> list[AppendedEvent]:
    """Write several events in order in the caller's transaction: one read of the chain's
    head and one INSERT for all of them, whatever their number (a scheduler batch)."""
    if not events:
        return []
    with conflicts_mapped():
        session.flush()  # pending ORM changes first, so a stale version fails before the events
    connection = session.connection()
    last = connection.execute(_LAST_EVENT).first()
    seq, prev_hash = (last[0], last[1]) if last else (0, GENESIS)
    rows: list[dict[str, Any]] = []
    for event in events:
        seq += 1
        values: dict[str, Any] = {
            "seq": seq,
            "format": EVENT_FORMAT,
            "occurred_at": ensure_utc(event.occurred_at),
            "client_id": event.client_id,
            "project_id": event.project_id,
            "actor": event.actor,
            "type": event.type,
            "payload": canonical_json(dict(event.payload)),
            "prev_hash": prev_hash,
        }
        prev_hash = _row_hash(**values)
        rows.append({**values, "hash": prev_hash})
    # Colliding with another writer's `seq` fails the whole transaction, as for one event.
    with conflicts_mapped():
        connection.execute(_INSERT_EVENT, rows)
    return [AppendedEvent(seq=row["seq"], hash=row["hash"]) for row in rows]


@dataclass(frozen=True)
class ChainReport:
    """Result of verifying the chain: `problem` names the first bad row, if any."""

    events: int
    head: str
    problem: str | None = None

    @property
    def intact(self) -> bool:
        """True when every row checked out."""
        return self.problem is None


def verify_chain(session: Session, *, batch: int = 5000) -> ChainReport:
    """Walk the whole chain in order and stop at the first row that does not check out."""
    expected_seq, prev_hash, count = 1, GENESIS, 0
    for row in _rows(session, batch):
        problem = _check(row, expected_seq, prev_hash)
        if problem is not None:
            return ChainReport(events=count, head=prev_hash, problem=problem)
        expected_seq, prev_hash, count = row.seq + 1, row.hash, count + 1
    return ChainReport(events=count, head=prev_hash)


def _check(row: EventRow, expected_seq: int, prev_hash: str) -> str | None:
    where = f"event seq {row.seq} ({row.type} at {row.occurred_at.isoformat()})"
    if row.format > EVENT_FORMAT:
        return f"{where}: format {row.format} is newer than {EVENT_FORMAT}; upgrade isms-flow"
    if row.seq != expected_seq:
        if row.seq > expected_seq:
            missing = (
                f"{expected_seq}"
                if row.seq == expected_seq + 1
                else (f"{expected_seq}–{row.seq - 1}")
            )
            return f"{where}: event seq {missing} is missing (deleted)"
        return f"{where}: out of order, expected seq {expected_seq}"
    if row.prev_hash != prev_hash:
        return (
            f"{where}: does not link to event seq {row.seq - 1} "
            "(one of the two was edited and re-hashed, or inserted out of band)"
        )
    recomputed = _row_hash(
        seq=row.seq,
        format=row.format,
        occurred_at=row.occurred_at,
        client_id=row.client_id,
        project_id=row.project_id,
        actor=row.actor,
        type=row.type,
        payload=row.payload,
        prev_hash=row.prev_hash,
    )
    if recomputed != row.hash:
        return f"{where}: contents do not match its hash (edited out of band)"
    return None


def _rows(session: Session, batch: int) -> Iterator[EventRow]:
    last_seq = 0
    while True:
        rows = session.scalars(
            select(EventRow).where(EventRow.seq > last_seq).order_by(EventRow.seq).limit(batch)
        ).all()
        if not rows:
            return
        yield from rows
        last_seq = rows[-1].seq
        session.expunge_all()
