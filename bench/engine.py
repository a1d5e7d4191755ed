"""Engine benchmark: workflow loading, attaching 10,000 projects, persisted guarded advances.

Run: `.venv/bin/python bench/engine.py [--projects 10000] [--advances N] [--json]`
(`make bench` runs it with the defaults). Everything is measured in one run on this machine,
on SQLite files in one temporary folder, all with the same durability settings as the
application (WAL, synchronous=FULL), so the rows of the table can be compared with each other.

`--advances N` durable advances are timed per loop (guarded service, bare SQLAlchemy Core,
bare ORM, raw sqlite3), in `--rounds` interleaved rounds so that a busy neighbour or a slow disk
moment hits every loop alike; each loop also reports its CPU time per advance, which such noise
barely moves. Aims are reported as PASS/MISS beside the figures; nothing is asserted.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import platform
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy
import transitions
from rich.console import Console
from rich.table import Table
from sqlalchemy import Engine, bindparam, event, insert, select, update
from sqlalchemy.orm import Session, sessionmaker
from transitions import Machine

from isms_flow.bootstrap import App, bootstrap
from isms_flow.config import Settings, bundled_path
from isms_flow.logging import configure_logging
from isms_flow.services import clients, evidence, projects
from isms_flow.store.db import make_engine, make_session_factory
from isms_flow.store.events import (
    EVENT_FORMAT,
    _row_hash,  # the bench writes the same hash chain as append_event, in one batch
    canonical_json,
    verify_chain,
)
from isms_flow.store.models import ClientRow, EventRow, ProjectRow
from isms_flow.workflow.catalog import WorkflowCatalog
from isms_flow.workflow.loader import load_workflow_file
from isms_flow.workflow.machine import CompiledWorkflow, compile_workflow
from isms_flow.workflow.schema import WorkflowDefinition

ISO_NAME = "iso27001-2022"
ISO_FILE = bundled_path("workflows") / f"{ISO_NAME}.yaml"
RING_NAME = "bench-ring"
RING_STAGES = 4
CLIENT = "bench"
ACTOR = "bench"
MB = 1024 * 1024

AIM_ATTACH_SECONDS = 1.0
AIM_ATTACH_MB = 100.0
AIM_ADVANCES_PER_SECOND = 1000.0
AIM_GUARDED_VS_BARE = 0.5

err = Console(stderr=True)


# --------------------------------------------------------------------------- measuring


def rss_bytes() -> int | None:
    """Resident set size now (Linux); None elsewhere."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE")


@dataclass
class Cost:
    """Wall time of one build, RSS growth while the result is alive, tracemalloc peak."""

    seconds: float
    rss_delta: int | None
    peak: int | None = None

    @property
    def rss_mb(self) -> float | None:
        return None if self.rss_delta is None else self.rss_delta / MB

    @property
    def peak_mb(self) -> float | None:
        return None if self.peak is None else self.peak / MB


def timed_build(build: Callable[[], Any]) -> tuple[Cost, Any]:
    """Run `build` untraced: time and RSS growth with its result still alive."""
    gc.collect()
    before = rss_bytes()
    start = time.perf_counter()
    result = build()
    seconds = time.perf_counter() - start
    after = rss_bytes()
    delta = None if before is None or after is None else after - before
    return Cost(seconds, delta), result


def traced_peak(build: Callable[[], Any]) -> int:
    """Peak Python allocation (tracemalloc) while `build` runs, above what existed before."""
    gc.collect()
    tracemalloc.start()
    base, _ = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    result = build()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del result
    gc.collect()
    return peak - base


def median_seconds(run: Callable[[], Any], repeat: int) -> float:
    """Median wall time of `repeat` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def load_average() -> float:
    """1-minute load average: other work on the machine skews every figure."""
    try:
        return os.getloadavg()[0]
    except OSError:
        return float("nan")


def verdict(ok: bool) -> str:
    return "[green]PASS[/]" if ok else "[red]MISS[/]"


# --------------------------------------------------------------------------- fixtures


def ring_yaml(stages: int) -> str:
    """A workflow whose stages form a ring; leaving each needs one approved document."""
    lines = [
        "format: 1",
        f"name: {RING_NAME}",
        "version: 1",
        "title: {en: Benchmark ring, ja: ベンチマーク用の環}",
        "initial: s0",
        "roles:",
        "  approver: {en: Approver, ja: 承認者}",
        "evidence_kinds:",
        "  doc: {en: Approved document, ja: 承認済み文書}",
        "states:",
    ]
    for i in range(stages):
        lines += [
            f"  - name: s{i}",
            f"    title: {{en: Stage {i}, ja: 段階{i}}}",
            "    requires:",
            "      - evidence: doc",
            "        approved_by_role: approver",
        ]
    lines.append("transitions:")
    for i in range(stages):
        lines.append(
            f"  - {{trigger: advance, source: s{i}, dest: s{(i + 1) % stages}, "
            "title: {en: Advance, ja: 進む}}"
        )
    return "\n".join(lines) + "\n"


def ring_next(state: str) -> str:
    return f"s{(int(state[1:]) + 1) % RING_STAGES}"


def machine_config(definition: WorkflowDefinition) -> dict[str, Any]:
    """The same states and transitions `compile_workflow` gives its shared machine."""
    return {
        "states": [state.name for state in definition.states],
        "transitions": [
            {
                "trigger": t.trigger,
                "source": list(t.source),
                "dest": t.dest,
                "conditions": [_permitted],
            }
            for t in definition.transitions
        ],
        "initial": definition.initial,
        "auto_transitions": False,
        "send_event": True,
        "ignore_invalid_triggers": False,
    }


def _permitted(event_data: Any) -> bool:
    return bool(event_data.kwargs.get("permitted", False))


@dataclass(slots=True)
class ProjectModel:
    """A lightweight in-memory project: a key, its state and the shared compiled workflow."""

    key: str
    state: str
    workflow: CompiledWorkflow


@dataclass
class NaiveProject:
    """The naive design's model: `transitions` adds trigger and `is_*` methods to it."""

    key: str
    state: str = ""


@contextmanager
def statement_counter(engine: Engine) -> Iterator[list[str]]:
    """Collect every SQL statement sent to `engine` inside the block."""
    seen: list[str] = []

    def _count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", _count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", _count)


def checkpoint(engine: Engine) -> None:
    """Fold the WAL into the main file so it can be copied alone."""
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def durability_of(connection: Any) -> str:
    """journal_mode and synchronous as the connection reports them."""
    mode = connection.execute("PRAGMA journal_mode").fetchone()[0]
    sync = connection.execute("PRAGMA synchronous").fetchone()[0]
    names = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}
    return f"journal_mode={mode}, synchronous={names.get(sync, sync)}"


def make_app(folder: Path, workflows: Path) -> App:
    settings = Settings(  # every setting that matters is given: no ISMS_FLOW_* variable leaks in
        data_dir=folder,
        database_url="",
        vault_dir=None,
        actor=ACTOR,
        workflow_dirs=[bundled_path("workflows"), workflows],
        sqlite_synchronous="FULL",
    )
    return bootstrap(settings)


# --------------------------------------------------------------------------- (a) workflow


def bench_workflow(repeat: int) -> dict[str, float]:
    loaded = load_workflow_file(ISO_FILE)
    load = median_seconds(lambda: load_workflow_file(ISO_FILE), repeat)
    compile_ = median_seconds(lambda: compile_workflow(loaded.definition, loaded.digest), repeat)
    folders = [ISO_FILE.parent]
    cold = median_seconds(lambda: WorkflowCatalog(folders).get(ISO_NAME), repeat)
    catalog = WorkflowCatalog(folders)
    catalog.get(ISO_NAME)
    calls = 100_000
    cached = median_seconds(lambda: [catalog.get(ISO_NAME) for _ in range(calls)], 3) / calls
    definition = loaded.definition
    return {
        "states": len(definition.states),
        "transitions": len(definition.transitions),
        "load_validate_s": load,
        "compile_s": compile_,
        "catalog_get_cold_s": cold,
        "catalog_get_cached_s": cached,
        "repeat": repeat,
    }


# --------------------------------------------------------------------------- (b) attach


def bench_in_memory(n: int, naive_n: int, repeat: int) -> dict[str, Any]:
    catalog = WorkflowCatalog([ISO_FILE.parent])
    compiled = catalog.get(ISO_NAME)
    machine, version = compiled.machine, compiled.definition.version

    def attach() -> list[ProjectModel]:
        attached = []
        for i in range(n):
            workflow = catalog.get(ISO_NAME, version)  # what a service does: a cached lookup
            attached.append(ProjectModel(f"p{i}", workflow.definition.initial, workflow))
        return attached

    cost, models = timed_build(attach)  # first run: RSS growth with the models alive
    # Fire the first trigger once on every attached project, through the shared machine.
    start = time.perf_counter()
    for model in models:
        moved = model.workflow.fire(model.state, "advance", permitted=True)
        assert moved is not None
        model.state = moved
    fire_s = time.perf_counter() - start
    models_after = len(machine.models)
    del models
    cost.seconds = statistics.median(
        [cost.seconds] + [timed_build(attach)[0].seconds for _ in range(repeat - 1)]
    )
    cost.peak = traced_peak(attach)

    config = machine_config(compiled.definition)

    def naive() -> list[Machine]:
        return [Machine(model=NaiveProject(f"p{i}"), **config) for i in range(naive_n)]

    naive_cost, machines = timed_build(naive)
    del machines
    naive_cost.peak = traced_peak(naive)
    scale = n / naive_n
    naive_s, naive_peak = naive_cost.seconds * scale, (naive_cost.peak or 0) * scale
    return {
        "projects": n,
        "attach": cost,
        "machine_models_after": models_after,
        "fire_each_once_s": fire_s,
        "naive_measured": naive_n,
        "naive": naive_cost,
        "naive_extrapolated_s": naive_s,
        "naive_extrapolated_peak": naive_peak,
        "ratio_time": naive_s / cost.seconds,
        "ratio_memory": naive_peak / (cost.peak or 1),
    }


def create_batch(app: App, keys: list[str]) -> None:
    """Projects and their `project_created` events in ONE transaction, with ORM bulk INSERTs.

    The same rows `projects.create_project` writes, hash chain included (checked at the end of
    the run); the per-project "key already exists" SELECT is left to the unique constraint.
    """
    compiled = app.catalog.get(ISO_NAME)
    definition = compiled.definition
    now = datetime.now(UTC)
    title = {key: f"Project {key}" for key in keys}
    with app.uow() as uow:
        session = uow.session
        client = session.scalars(select(ClientRow).where(ClientRow.key == CLIENT)).one()
        seq, prev_hash = session.execute(
            select(EventRow.seq, EventRow.hash).order_by(EventRow.seq.desc()).limit(1)
        ).one()
        ids = session.scalars(
            insert(ProjectRow).returning(ProjectRow.id, sort_by_parameter_order=True),
            [
                {
                    "client_id": client.id,
                    "key": key,
                    "title": title[key],
                    "workflow_name": definition.name,
                    "workflow_version": definition.version,
                    "workflow_digest": compiled.digest,
                    "state": definition.initial,
                    "state_entered_at": now,
                    "scope_whole": None,
                    "scope_units": [],
                    "created_at": now,
                    "updated_at": now,
                    "version": 1,
                }
                for key in keys
            ],
        ).all()
        chained = []
        for key, project_id in zip(keys, ids, strict=True):
            seq += 1
            payload = canonical_json(
                {
                    "key": key,
                    "title": title[key],
                    "workflow": definition.name,
                    "workflow_version": definition.version,
                    "workflow_digest": compiled.digest,
                    "state": definition.initial,
                    "scope": {"whole_organization": None, "units": []},
                }
            )
            fields = {
                "seq": seq,
                "format": EVENT_FORMAT,
                "occurred_at": now,
                "client_id": client.id,
                "project_id": project_id,
                "actor": ACTOR,
                "type": "project_created",
                "payload": payload,
                "prev_hash": prev_hash,
            }
            prev_hash = _row_hash(**fields)
            chained.append({**fields, "hash": prev_hash})
        session.execute(insert(EventRow), chained)
        uow.commit()


def bench_persisted(app: App, scratch: App, n: int, service_n: int) -> dict[str, Any]:
    keys = [f"p{i:05d}" for i in range(n)]
    cost, _ = timed_build(lambda: create_batch(app, keys))
    # Memory of the same batch, traced, into a scratch database (tracing slows it down).
    cost.peak = traced_peak(lambda: create_batch(scratch, keys))
    service_keys = [f"svc{i:04d}" for i in range(service_n)]
    start = time.perf_counter()
    for key in service_keys:
        projects.create_project(
            app, client_key=CLIENT, key=key, title=f"Project {key}", actor=ACTOR
        )
    service_s = time.perf_counter() - start
    return {
        "projects": n,
        "batched": cost,
        "service_measured": service_n,
        "service_each_s": service_s / service_n,
        "service_extrapolated_s": service_s / service_n * n,
    }


# --------------------------------------------------------------------------- (c) advances


def prepare_ring(app: App, count: int, folder: Path) -> list[str]:
    """`count` projects on the ring workflow, each with one approved `doc` (via services)."""
    refs = []
    for i in range(count):
        key = f"ring{i:03d}"
        projects.create_project(
            app, client_key=CLIENT, key=key, title=f"Ring {i}", actor=ACTOR, workflow=RING_NAME
        )
        ref = f"{CLIENT}/{key}"
        file = folder / f"doc-{i}.txt"
        file.write_text(f"benchmark evidence {i}\n", encoding="utf-8")
        view = evidence.add_evidence(app, ref=ref, kind="doc", file=file, actor=ACTOR)
        evidence.approve_evidence(
            app, ref=ref, document_id=view.id, role="approver", actor="approver.person"
        )
        refs.append(ref)
    return refs


def guarded_loop(app: App, refs: list[str]) -> Callable[[int], None]:
    """`n` advances through the service: lookup, snapshot, guard, fire, flush, event, commit."""
    offset = [0]

    def run(n: int) -> None:
        for i in range(offset[0], offset[0] + n):
            projects.fire_trigger(app, ref=refs[i % len(refs)], trigger="advance", actor=ACTOR)
        offset[0] += n

    return run


@dataclass
class RingRow:
    id: int
    client_id: int
    state: str
    version: int


@dataclass
class Ring:
    """The ring projects of one database copy, as a bare loop tracks them in memory."""

    rows: list[RingRow]
    seq: int
    prev_hash: str
    done: int = 0

    def next(self) -> RingRow:
        row = self.rows[self.done % len(self.rows)]
        self.done += 1
        return row

    def record(self, source: str, row: RingRow, dest: str, now: datetime) -> dict[str, Any]:
        """The next `state_changed` event (a sha256 chain, without append_event's query)."""
        change = {"trigger": "advance", "from": source, "to": dest, "override": None}
        payload = canonical_json(change)
        self.seq += 1
        digest = hashlib.sha256(f"{self.seq}|{self.prev_hash}|{row.id}|{payload}".encode())
        fields = {
            "seq": self.seq,
            "format": EVENT_FORMAT,
            "occurred_at": now,
            "client_id": row.client_id,
            "project_id": row.id,
            "actor": ACTOR,
            "type": "state_changed",
            "payload": payload,
            "prev_hash": self.prev_hash,
            "hash": digest.hexdigest(),
        }
        self.prev_hash = fields["hash"]
        return fields


def read_ring(path: Path, keys: list[str]) -> Ring:
    with closing(sqlite3.connect(path)) as connection:
        marks = ",".join("?" * len(keys))
        rows = [
            RingRow(*row)
            for row in connection.execute(
                f"SELECT id, client_id, state, version FROM projects WHERE key IN ({marks}) "
                "ORDER BY id",
                keys,
            )
        ]
        seq, prev = connection.execute(
            "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1"
        ).fetchone()
    return Ring(rows, int(seq), str(prev))


def bare_sqlalchemy_loop(engine: Engine, ring: Ring) -> Callable[[int], None]:
    """UPDATE project (version-checked) + INSERT event + COMMIT per advance, SQLAlchemy Core.

    Statements are built once and executed with parameters: the cheapest SQLAlchemy way.
    """
    projects_t, events_t = ProjectRow.__table__, EventRow.__table__
    advance = (
        update(projects_t)
        .where(projects_t.c.id == bindparam("pid"), projects_t.c.version == bindparam("old"))
        .values(
            state=bindparam("dest"),
            state_entered_at=bindparam("now"),
            updated_at=bindparam("now"),
            version=bindparam("new"),
        )
    )
    record = insert(events_t)

    def run(n: int) -> None:
        for _ in range(n):
            row, now = ring.next(), datetime.now(UTC)
            dest = ring_next(row.state)
            params = {"pid": row.id, "old": row.version, "new": row.version + 1}
            with engine.begin() as connection:
                result = connection.execute(advance, {**params, "dest": dest, "now": now})
                if result.rowcount != 1:
                    raise RuntimeError("version check failed")
                connection.execute(record, ring.record(row.state, row, dest, now))
            row.state, row.version = dest, row.version + 1

    return run


def bare_orm_loop(factory: sessionmaker[Session], ring: Ring) -> Callable[[int], None]:
    """The ORM write path alone: Session.get, set the state, flush (version check), add an
    EventRow, commit. No lookup by reference, no evidence snapshot, no guard, no chain query."""

    def run(n: int) -> None:
        for _ in range(n):
            row, now = ring.next(), datetime.now(UTC)
            with factory() as session:
                project = session.get(ProjectRow, row.id)
                assert project is not None
                source = project.state
                project.state = ring_next(source)
                project.state_entered_at = project.updated_at = now
                session.flush()
                session.add(EventRow(**ring.record(source, row, project.state, now)))
                session.commit()

    return run


def sqlite_datetime(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


def raw_sqlite_loop(connection: sqlite3.Connection, ring: Ring) -> Callable[[int], None]:
    """The same UPDATE + INSERT + COMMIT with the sqlite3 module and hand-written SQL."""

    def run(n: int) -> None:
        for _ in range(n):
            row, now = ring.next(), datetime.now(UTC)
            stamp, dest = sqlite_datetime(now), ring_next(row.state)
            connection.execute("BEGIN")
            cursor = connection.execute(
                "UPDATE projects SET state=?, state_entered_at=?, updated_at=?, version=? "
                "WHERE id=? AND version=?",
                (dest, stamp, stamp, row.version + 1, row.id, row.version),
            )
            if cursor.rowcount != 1:
                connection.execute("ROLLBACK")
                raise RuntimeError("version check failed")
            fields = ring.record(row.state, row, dest, now)
            connection.execute(
                "INSERT INTO events (seq, format, occurred_at, client_id, project_id, actor, "
                "type, payload, prev_hash, hash) VALUES (:seq, :format, :occurred_at, "
                ":client_id, :project_id, :actor, :type, :payload, :prev_hash, :hash)",
                {**fields, "occurred_at": stamp},
            )
            connection.execute("COMMIT")
            row.state, row.version = dest, row.version + 1

    return run


def raw_connection(path: Path) -> sqlite3.Connection:
    """sqlite3 with the pragmas `isms_flow.store.db` sets (WAL, FULL, FKs, busy timeout)."""
    connection = sqlite3.connect(path, isolation_level=None, timeout=30)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA foreign_keys=ON")
    connection.execute("PRAGMA synchronous=FULL")
    connection.execute("PRAGMA busy_timeout=30000")
    return connection


def fsync_rate(folder: Path, n: int = 500) -> float:
    """Appends of 100 bytes, each followed by fsync: the disk's ceiling for durable commits."""
    path = folder / "fsync.probe"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        start = time.perf_counter()
        for _ in range(n):
            os.write(fd, b"x" * 100)
            os.fsync(fd)
        return n / (time.perf_counter() - start)
    finally:
        os.close(fd)
        path.unlink()


def in_memory_rates(compiled: CompiledWorkflow, n: int) -> dict[str, float]:
    config = machine_config(compiled.definition)
    config["transitions"] = [
        {k: v for k, v in t.items() if k != "conditions"} for t in config["transitions"]
    ]
    model = NaiveProject("bare")
    Machine(model=model, **config)
    trigger = model.advance  # type: ignore[attr-defined]
    start = time.perf_counter()
    for _ in range(n):
        trigger()
    bare = n / (time.perf_counter() - start)
    state = compiled.definition.initial
    start = time.perf_counter()
    for _ in range(n):
        state = compiled.fire(state, "advance", permitted=True) or state
    shared = n / (time.perf_counter() - start)
    return {"bare_transitions_per_s": bare, "compiled_fire_per_s": shared}


@dataclass
class Loop:
    """One contender: `run(n)` does n durable advances; rates and CPU per round."""

    name: str
    run: Callable[[int], None]
    durability: str
    rates: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def round(self, n: int) -> None:
        cpu, wall = time.process_time(), time.perf_counter()
        self.run(n)
        self.rates.append(n / (time.perf_counter() - wall))
        self.cpu.append((time.process_time() - cpu) / n)

    def summary(self) -> dict[str, Any]:
        return {
            "per_s": statistics.median(self.rates),
            "cpu_s_per_advance": statistics.median(self.cpu),
            "rounds_per_s": self.rates,
            "durability": self.durability,
        }


def bench_advances(app: App, folder: Path, refs: list[str], n: int, rounds: int) -> dict[str, Any]:
    keys = [ref.split("/")[1] for ref in refs]
    guarded = guarded_loop(app, refs)
    # Warm-up: one guarded advance per project; then every bare loop gets its own copy of the
    # database, so all start from the same rows, on files in the same folder.
    guarded(len(refs))
    checkpoint(app.engine)
    source = Path(app.engine.url.database or "")
    copies = {name: folder / f"{name}.db" for name in ("core", "orm", "raw")}
    for path in copies.values():
        shutil.copyfile(source, path)
    with statement_counter(app.engine) as statements:
        guarded(1)

    core_engine = make_engine(f"sqlite:///{copies['core']}", sqlite_synchronous="FULL")
    orm_engine = make_engine(f"sqlite:///{copies['orm']}", sqlite_synchronous="FULL")
    raw = raw_connection(copies["raw"])

    def durability(engine: Engine) -> str:
        with engine.connect() as connection:
            return durability_of(connection.connection.driver_connection)

    loops = {
        "guarded": Loop("guarded", guarded, durability(app.engine)),
        "bare_sqlalchemy": Loop(
            "bare_sqlalchemy",
            bare_sqlalchemy_loop(core_engine, read_ring(copies["core"], keys)),
            durability(core_engine),
        ),
        "bare_orm": Loop(
            "bare_orm",
            bare_orm_loop(make_session_factory(orm_engine), read_ring(copies["orm"], keys)),
            durability(orm_engine),
        ),
        "raw_sqlite3": Loop(
            "raw_sqlite3", raw_sqlite_loop(raw, read_ring(copies["raw"], keys)), durability_of(raw)
        ),
    }
    for loop in loops.values():
        loop.run(len(refs))  # warm-up
    # Rounds interleave the contenders (rotating the order), so that a busy neighbour on the
    # machine or a slow disk moment hits all of them alike.
    order = list(loops.values())
    for r in range(rounds):
        for loop in order[r % len(order) :] + order[: r % len(order)]:
            loop.round(n)
    core_engine.dispose()
    orm_engine.dispose()
    raw.close()

    compiled = app.catalog.get(RING_NAME)
    memory = in_memory_rates(compiled, max(50_000, n * 20))
    summary = {name: loop.summary() for name, loop in loops.items()}
    g = summary["guarded"]["per_s"]
    return {
        "advances_per_round": n,
        "rounds": rounds,
        "ring_projects": len(refs),
        "fsync_per_s": fsync_rate(folder),
        **summary,
        **memory,
        "guarded_vs_bare_sqlalchemy": g / summary["bare_sqlalchemy"]["per_s"],
        "guarded_vs_bare_orm": g / summary["bare_orm"]["per_s"],
        "guarded_vs_raw_sqlite3": g / summary["raw_sqlite3"]["per_s"],
        "statements_per_guarded_advance": len(statements),
        "statements": statements,
    }


# --------------------------------------------------------------------------- output


def fmt_s(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds * 1e6:.2f} µs"


def fmt_mb(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f} MB"


def render(results: dict[str, Any]) -> Table:
    wf, mem, db, adv = (results[k] for k in ("workflow", "in_memory", "persisted", "advances"))
    table = Table(title="isms-flow engine benchmark", title_justify="left", show_lines=False)
    table.add_column("measurement")
    table.add_column("value", justify="right")
    table.add_column("detail")
    table.add_column("aim")
    table.add_column("", justify="center")

    env = results["environment"]
    table.add_row(
        "environment",
        "",
        f"Python {env['python']}, SQLite {env['sqlite']}, transitions {env['transitions']}, "
        f"SQLAlchemy {env['sqlalchemy']}, {env['cpus']} CPUs, load average "
        f"{env['load_before']:.2f} before / {load_average():.2f} after; files in {env['folder']}",
        "",
        "",
    )
    table.add_section()
    reps = f"median of {wf['repeat']}; {wf['states']} states, {wf['transitions']} transitions"
    table.add_row("(a) load + validate iso27001-2022.yaml", fmt_s(wf["load_validate_s"]), reps)
    table.add_row("(a) compile_workflow", fmt_s(wf["compile_s"]), f"median of {wf['repeat']}")
    table.add_row(
        "(a) WorkflowCatalog.get, cold",
        fmt_s(wf["catalog_get_cold_s"]),
        "new catalog: scan folder, load, validate, compile",
    )
    table.add_row("(a) WorkflowCatalog.get, cached", fmt_s(wf["catalog_get_cached_s"]), "per call")
    table.add_section()
    n = mem["projects"]
    attach: Cost = mem["attach"]
    peak_ok = (attach.peak_mb or 0) < AIM_ATTACH_MB and (attach.rss_mb or 0) < AIM_ATTACH_MB
    table.add_row(
        f"(b) attach {n:,} projects in memory (shared machine)",
        fmt_s(attach.seconds),
        f"tracemalloc peak {fmt_mb(attach.peak_mb)}, RSS Δ {fmt_mb(attach.rss_mb)}; "
        f"catalog.get + slotted model per project",
        f"< {AIM_ATTACH_SECONDS:g} s, < {AIM_ATTACH_MB:g} MB",
        verdict(attach.seconds < AIM_ATTACH_SECONDS and peak_ok),
    )
    table.add_row(
        "(b) fire 'advance' once on each, shared machine",
        fmt_s(mem["fire_each_once_s"]),
        f"machine.models afterwards: {mem['machine_models_after']} (nothing retained)",
        "machine.models empty",
        verdict(mem["machine_models_after"] == 0),
    )
    naive: Cost = mem["naive"]
    naive_n = mem["naive_measured"]
    table.add_row(
        f"(b) naive: one Machine per project, {naive_n:,} measured",
        fmt_s(naive.seconds),
        f"tracemalloc peak {fmt_mb(naive.peak_mb)} "
        f"({(naive.peak or 0) / naive_n / 1024:.1f} KiB each), RSS Δ {fmt_mb(naive.rss_mb)}; "
        "auto_transitions=False",
    )
    if naive_n != n:
        table.add_row(
            f"(b) naive, extrapolated to {n:,}",
            fmt_s(mem["naive_extrapolated_s"]),
            f"tracemalloc peak ≈ {fmt_mb(mem['naive_extrapolated_peak'] / MB)} (linear)",
        )
    table.add_row(
        "(b) naive / shared",
        f"{mem['ratio_time']:.0f}× time",
        f"{mem['ratio_memory']:.0f}× tracemalloc peak",
    )
    batched: Cost = db["batched"]
    table.add_row(
        f"(b) persist {db['projects']:,} project rows, batched",
        fmt_s(batched.seconds),
        "ONE transaction: ORM bulk INSERT … RETURNING of projects + bulk INSERT of their "
        "hash-chained project_created events; "
        f"tracemalloc peak {fmt_mb(batched.peak_mb)} (traced run on a scratch DB), "
        f"RSS Δ {fmt_mb(batched.rss_mb)}",
        f"(same aim, for info) < {AIM_ATTACH_SECONDS:g} s, < {AIM_ATTACH_MB:g} MB",
        verdict(batched.seconds < AIM_ATTACH_SECONDS and (batched.peak_mb or 0) < AIM_ATTACH_MB),
    )
    table.add_row(
        f"(b) via services.create_project, {db['service_measured']} measured",
        fmt_s(db["service_each_s"]) + " each",
        f"one transaction + fsync per project; ≈ {fmt_s(db['service_extrapolated_s'])} "
        f"for {db['projects']:,}",
    )
    table.add_section()
    per_round = f"median of {adv['rounds']} interleaved rounds × {adv['advances_per_round']:,}"
    table.add_row(
        "(c) setting: files in the same temp folder",
        "",
        f"all four loops read back: {adv['guarded']['durability']}; "
        f"{adv['ring_projects']} projects advanced round-robin; {per_round}",
    )
    table.add_row(
        "(c) disk: 100-byte append + fsync", f"{adv['fsync_per_s']:,.0f}/s", "ceiling reference"
    )

    def cpu(name: str) -> str:
        return f"CPU {adv[name]['cpu_s_per_advance'] * 1e3:.2f} ms/advance"

    table.add_row(
        "(c) guarded advances, services.fire_trigger",
        f"{adv['guarded']['per_s']:,.0f}/s",
        f"{cpu('guarded')}; lookup + evidence snapshot + guard + fire + version-checked "
        f"flush + chained event + commit; {adv['statements_per_guarded_advance']} SQL "
        "statements",
        f"≥ {AIM_ADVANCES_PER_SECOND:,.0f}/s",
        verdict(adv["guarded"]["per_s"] >= AIM_ADVANCES_PER_SECOND),
    )
    table.add_row(
        "(c) bare SQLAlchemy Core: UPDATE + INSERT + COMMIT",
        f"{adv['bare_sqlalchemy']['per_s']:,.0f}/s",
        f"{cpu('bare_sqlalchemy')}; prebuilt statements, version-checked UPDATE",
    )
    table.add_row(
        "(c) bare SQLAlchemy ORM: get + set + flush + add + commit",
        f"{adv['bare_orm']['per_s']:,.0f}/s",
        f"{cpu('bare_orm')}; the ORM write path alone (version_id_col check)",
    )
    table.add_row(
        "(c) raw sqlite3: UPDATE + INSERT + COMMIT",
        f"{adv['raw_sqlite3']['per_s']:,.0f}/s",
        f"{cpu('raw_sqlite3')}; hand-written SQL",
    )
    table.add_row(
        "(c) bare transitions, in memory (model.advance())",
        f"{adv['bare_transitions_per_s']:,.0f}/s",
        "one model on its own machine, no condition",
    )
    table.add_row(
        "(c) CompiledWorkflow.fire, in memory",
        f"{adv['compiled_fire_per_s']:,.0f}/s",
        "shared model-less machine, throwaway token, permitted condition",
    )
    table.add_row(
        "(c) guarded / bare SQLAlchemy Core",
        f"{adv['guarded_vs_bare_sqlalchemy']:.2f}",
        "",
        f"≥ {AIM_GUARDED_VS_BARE:g}",
        verdict(adv["guarded_vs_bare_sqlalchemy"] >= AIM_GUARDED_VS_BARE),
    )
    table.add_row("(c) guarded / bare SQLAlchemy ORM", f"{adv['guarded_vs_bare_orm']:.2f}", "")
    table.add_row("(c) guarded / raw sqlite3", f"{adv['guarded_vs_raw_sqlite3']:.2f}", "")
    table.add_section()
    chain = results["chain"]
    table.add_row(
        "history chain verified",
        "intact" if chain["intact"] else "BROKEN",
        f"{chain['events']:,} events in {fmt_s(chain['seconds'])}",
    )
    table.add_row("total run time", fmt_s(results["total_s"]), "")
    return table


def to_json(value: Any) -> Any:
    if isinstance(value, Cost):
        return {"seconds": value.seconds, "rss_delta_bytes": value.rss_delta, "peak": value.peak}
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_json(v) for v in value]
    return value


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, default=10_000, help="projects to attach/persist")
    parser.add_argument(
        "--advances", type=int, default=2000, help="durable advances timed per loop (all rounds)"
    )
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds per loop")
    parser.add_argument("--naive", type=int, default=2000, help="per-project machines to build")
    parser.add_argument("--service-creates", type=int, default=100, help="create_project calls")
    parser.add_argument("--ring-projects", type=int, default=20, help="projects advanced")
    parser.add_argument("--repeat", type=int, default=5, help="repetitions for medians")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    configure_logging("warning")

    began = time.perf_counter()
    folder = Path(tempfile.mkdtemp(prefix="isms-flow-bench-"))
    workflows = folder / "workflows"
    workflows.mkdir()
    (workflows / f"{RING_NAME}.yaml").write_text(ring_yaml(RING_STAGES), encoding="utf-8")
    results: dict[str, Any] = {
        "environment": {
            "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version,
            "transitions": transitions.__version__,
            "sqlalchemy": sqlalchemy.__version__,
            "cpus": os.cpu_count(),
            "folder": str(folder),
            "load_before": load_average(),
        },
        "args": vars(args),
    }
    try:
        err.print("(a) workflow load, validate, compile…")
        results["workflow"] = bench_workflow(args.repeat)
        err.print(f"(b) {args.projects:,} projects in memory, naive {args.naive:,}…")
        results["in_memory"] = bench_in_memory(args.projects, args.naive, args.repeat)
        err.print(f"(b) {args.projects:,} projects persisted…")
        app = make_app(folder / "main", workflows)
        scratch = make_app(folder / "scratch", workflows)
        for each in (app, scratch):
            clients.add_client(each, key=CLIENT, name="Benchmark client", actor=ACTOR)
        results["persisted"] = bench_persisted(app, scratch, args.projects, args.service_creates)
        scratch.close()
        per_round = max(1, args.advances // args.rounds)
        err.print(f"(c) advances: 4 loops × {args.rounds} rounds × {per_round:,}…")
        refs = prepare_ring(app, args.ring_projects, folder)
        results["advances"] = bench_advances(app, folder, refs, per_round, args.rounds)
        start = time.perf_counter()
        with app.uow() as uow:
            report = verify_chain(uow.session)
        results["chain"] = {
            "intact": report.intact,
            "events": report.events,
            "problem": report.problem,
            "seconds": time.perf_counter() - start,
        }
        app.close()
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    results["total_s"] = time.perf_counter() - began
    if args.json:
        json.dump(to_json(results), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        Console(width=max(Console().width, 160)).print(render(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
