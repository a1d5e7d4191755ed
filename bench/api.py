"""API benchmark: `GET /portfolio` and a guarded advance over HTTP, 10,000 projects, SQLite and
PostgreSQL side by side, and concurrent advances with 1 and 4 API worker processes.

Run: `.venv/bin/python bench/api.py [--projects 10000] [--clients 100] [--runs 200]
[--advances 200] [--threads 8] [--postgres URL] [--json]`. `make bench-api` runs it.

Each backend gets the same data (bench/portfolio.py's seed: projects in every stage, evidence,
open deadlines, one consultant with a role on every client), plus "ready" projects at the first
stage whose guard passes (scope set, scope statement approved by top management, asset
inventory, context analysis). The API runs as a real `isms-flow serve --no-scheduler`
subprocess on 127.0.0.1; requests come from this process over HTTP, one at a time for
latencies, from `--threads` threads for throughput. Every advance sends `If-Match` and must
answer 200. Figures are from one run on this machine; aims are reported PASS/MISS, never
asserted. PostgreSQL is skipped, and said so, when no server answers.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console
from rich.table import Table
from sqlalchemy import create_engine, insert, select, text, update

sys.path.insert(0, str(Path(__file__).resolve().parent))
from portfolio import CONSULTANT, NOW, seed

from isms_flow.bootstrap import App, bootstrap
from isms_flow.clock import FrozenClock
from isms_flow.config import Settings
from isms_flow.services import accounts
from isms_flow.store.models import (
    EvidenceApprovalRow,
    EvidenceDocumentRow,
    EvidenceVersionRow,
    ProjectRow,
)

AIM_PORTFOLIO_P95_MS = 150.0
AIM_ADVANCE_P95_MS = 20.0
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
ISMS_FLOW = Path(sys.executable).with_name("isms-flow")

console = Console(stderr=True)


# ---------------------------------------------------------------------------------------------
# Data


def make_ready(app: App, count: int) -> list[tuple[str, int]]:
    """Put `count` projects at the first stage with its guard met; their (ref, version)."""
    with app.uow() as uow:
        session = uow.session
        rows = session.execute(
            text(
                "SELECT p.id, c.key || '/' || p.key FROM projects p "
                "JOIN clients c ON c.id = p.client_id ORDER BY p.id LIMIT :n"
            ),
            {"n": count},
        ).all()
        ids = [row[0] for row in rows]
        session.execute(
            update(ProjectRow)
            .where(ProjectRow.id.in_(ids))
            .values(state="scoping", scope_whole=True, version=1)
            .execution_options(synchronize_session=False)
        )
        documents = session.scalars(
            insert(EvidenceDocumentRow).returning(
                EvidenceDocumentRow.id, sort_by_parameter_order=True
            ),
            [
                {
                    "project_id": pid,
                    "kind": "context_analysis",
                    "name": "context_analysis",
                    "current_version": 1,
                    "created_at": NOW,
                }
                for pid in ids
            ],
        ).all()
        session.execute(
            insert(EvidenceVersionRow),
            [
                {
                    "document_id": did,
                    "version": 1,
                    "sha256": f"{did:064x}",
                    "size": 1,
                    "filename": "context.pdf",
                    "media_type": "application/pdf",
                    "effective_date": NOW.date(),
                    "valid_until": None,
                    "note": "",
                    "uploaded_by": "bench",
                    "uploaded_at": NOW,
                }
                for did in documents
            ],
        )
        statements = session.scalars(
            select(EvidenceVersionRow.id)
            .join(EvidenceDocumentRow, EvidenceDocumentRow.id == EvidenceVersionRow.document_id)
            .where(
                EvidenceDocumentRow.project_id.in_(ids),
                EvidenceDocumentRow.kind == "scope_statement",
            )
        ).all()
        session.execute(
            insert(EvidenceApprovalRow),
            [
                {
                    "version_id": vid,
                    "approved_by": "ceo@bench.example.jp",
                    "role": "top_management",
                    "approved_at": NOW,
                    "note": "",
                }
                for vid in statements
            ],
        )
        uow.commit()
    return [(ref, 1) for _, ref in rows]


@dataclass
class Backend:
    """One database with the benchmark's data, and how a server process reaches it."""

    name: str
    url: str
    folder: Path
    token: str
    ready: list[tuple[str, int]]


def prepare(name: str, url: str, folder: Path, projects: int, clients: int, ready: int) -> Backend:
    """Seed a fresh database; a consultant token valid for a day."""
    settings = Settings(data_dir=folder, database_url=url, actor="bench")
    app = bootstrap(settings, clock=FrozenClock(NOW))
    try:
        seed(app, projects, clients)
        ready_refs = make_ready(app, ready)
        if app.engine.dialect.name == "postgresql":
            # Statistics for the rows just loaded, as autovacuum would gather within a minute.
            with app.engine.connect() as connection:
                connection.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))
        new = accounts.create_token(app, email=CONSULTANT, actor="bench", expires_in_days=365)
        token = new.token
    finally:
        app.close()
    return Backend(name, url or settings.effective_database_url, folder, token, ready_refs)


@contextmanager
def postgres_schema(server: str) -> Iterator[str | None]:
    """A URL of a fresh schema on `server` (dropped afterwards), or None if it does not answer."""
    admin = create_engine(server)
    try:
        with admin.begin() as connection:
            schema = f"isms_flow_bench_{uuid.uuid4().hex[:10]}"
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as error:
        console.print(f"[yellow]PostgreSQL skipped: {type(error).__name__}: {error}")
        admin.dispose()
        yield None
        return
    separator = "&" if "?" in server else "?"
    try:
        yield f"{server}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


# ---------------------------------------------------------------------------------------------
# The server


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def served(backend: Backend, workers: int) -> Iterator[str]:
    """`isms-flow serve` on the backend's database; yields the base URL."""
    port = free_port()
    env = {
        **os.environ,
        "ISMS_FLOW_DATA_DIR": str(backend.folder),
        "ISMS_FLOW_DATABASE_URL": backend.url,
        "ISMS_FLOW_LOG_LEVEL": "warning",
    }
    command = [str(ISMS_FLOW), "serve", "--no-scheduler", "--port", str(port)]
    command += ["--workers", str(workers)]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(url, process, workers)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()


def wait_until_answering(url: str, process: subprocess.Popen[str], workers: int) -> None:
    """Until /health answers (from every worker: a few extra answers in a row)."""
    deadline = time.monotonic() + 300
    answered = 0
    while answered < 3 * workers:
        if process.poll() is not None:
            raise RuntimeError(
                f"the server stopped: {process.stderr.read() if process.stderr else ''}"
            )
        if time.monotonic() > deadline:
            raise RuntimeError("the server did not answer within 300 s")
        try:
            answered += httpx.get(f"{url}/health", timeout=5).status_code == 200
        except httpx.HTTPError:
            time.sleep(0.2)
    time.sleep(1.0 if workers > 1 else 0.2)


# ---------------------------------------------------------------------------------------------
# Measuring


def percentiles(samples: list[float]) -> dict[str, float]:
    """p50, p95 and max in ms."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(p95 * 1000, 1),
        "max_ms": round(ordered[-1] * 1000, 1),
        "n": len(ordered),
    }


def timed(call: Callable[[], httpx.Response], expect: int = 200) -> float:
    """Seconds one request took; raises if it did not answer `expect`."""
    started = time.perf_counter()
    response = call()
    elapsed = time.perf_counter() - started
    if response.status_code != expect:
        raise RuntimeError(
            f"{response.request.url} → {response.status_code}: {response.text[:300]}"
        )
    return elapsed


def advance_call(http: httpx.Client, ref: str, version: int) -> Callable[[], httpx.Response]:
    """POST the advance of `ref`, based on `version`."""
    path = f"/clients/{ref.replace('/', '/projects/', 1)}/triggers/advance"
    return lambda: http.post(path, headers={"If-Match": f'"v{version}"'})


def sequential(backend: Backend, runs: int, advances: int) -> dict[str, Any]:
    """Latencies with one worker, one request at a time."""
    with (
        served(backend, 1) as url,
        httpx.Client(
            base_url=url, headers={"Authorization": f"Bearer {backend.token}"}, timeout=60
        ) as http,
    ):
        for _ in range(5):
            timed(lambda: http.get("/portfolio"))
        total = http.get("/portfolio").json()["total"]
        portfolio = [
            timed(lambda: http.get("/portfolio", params={"limit": 50})) for _ in range(runs)
        ]
        overdue = [
            timed(lambda: http.get("/portfolio", params={"overdue": True, "limit": 50}))
            for _ in range(runs // 2)
        ]
        status = [
            timed(lambda ref=ref: http.get(f"/clients/{ref.replace('/', '/projects/', 1)}/status"))
            for ref, _ in backend.ready[:50]
        ]
        chosen = backend.ready[:advances]
        del backend.ready[:advances]
        moves = [timed(advance_call(http, ref, version)) for ref, version in chosen]
    return {
        "visible_projects": total,
        "portfolio": percentiles(portfolio),
        "portfolio_overdue": percentiles(overdue),
        "status": percentiles(status),
        "advance": percentiles(moves),
    }


def concurrent(backend: Backend, workers: int, threads: int, count: int) -> dict[str, Any]:
    """Advances per second from `threads` callers against `workers` API processes."""
    work: queue.Queue[tuple[str, int]] = queue.Queue()
    for item in backend.ready[:count]:
        work.put(item)
    del backend.ready[:count]
    statuses: list[int] = []
    lock = threading.Lock()
    with served(backend, workers) as url:
        headers = {"Authorization": f"Bearer {backend.token}"}

        def caller() -> None:
            with httpx.Client(base_url=url, headers=headers, timeout=120) as http:
                while True:
                    try:
                        ref, version = work.get_nowait()
                    except queue.Empty:
                        return
                    response = advance_call(http, ref, version)()
                    with lock:
                        statuses.append(response.status_code)

        pool = [threading.Thread(target=caller) for _ in range(threads)]
        started = time.perf_counter()
        for thread in pool:
            thread.start()
        for thread in pool:
            thread.join()
        elapsed = time.perf_counter() - started
    ok = statuses.count(200)
    return {
        "workers": workers,
        "threads": threads,
        "advances": len(statuses),
        "ok": ok,
        "other_statuses": sorted({s for s in statuses if s != 200}),
        "seconds": round(elapsed, 2),
        "per_second": round(ok / elapsed, 1),
    }


# ---------------------------------------------------------------------------------------------
# Report


def verdict(value: float, aim: float) -> str:
    """PASS/MISS against an upper bound."""
    return "[green]PASS" if value < aim else "[red]MISS"


def report(results: dict[str, Any]) -> None:
    """The figures as tables, with ratios between what was measured side by side."""
    out = Console()
    latency = Table(title="Latency over HTTP, one request at a time (ms)")
    for column in ("backend", "visible", "request", "p50", "p95", "max", "n", "aim"):
        latency.add_column(
            column, justify="right" if column not in ("backend", "request") else "left"
        )
    aims = {"portfolio": AIM_PORTFOLIO_P95_MS, "advance": AIM_ADVANCE_P95_MS}
    for name, figures in results["backends"].items():
        for request in ("portfolio", "portfolio_overdue", "status", "advance"):
            f = figures["sequential"][request]
            aim = aims.get(request)
            latency.add_row(
                name,
                str(figures["sequential"]["visible_projects"]),
                request,
                f"{f['p50_ms']:.1f}",
                f"{f['p95_ms']:.1f}",
                f"{f['max_ms']:.1f}",
                str(f["n"]),
                f"p95<{aim:.0f} {verdict(f['p95_ms'], aim)}" if aim else "",
            )
    out.print(latency)
    throughput = Table(title="Concurrent guarded advances (If-Match, distinct projects)")
    for column in ("backend", "workers", "threads", "advances", "ok", "other", "s", "advances/s"):
        throughput.add_column(column, justify="right" if column != "backend" else "left")
    for name, figures in results["backends"].items():
        for run in figures["concurrent"]:
            throughput.add_row(
                name,
                str(run["workers"]),
                str(run["threads"]),
                str(run["advances"]),
                str(run["ok"]),
                ", ".join(map(str, run["other_statuses"])) or "-",
                f"{run['seconds']:.2f}",
                f"{run['per_second']:.1f}",
            )
    out.print(throughput)
    for line in ratios(results):
        out.print(line)


def ratios(results: dict[str, Any]) -> list[str]:
    """Ratios of figures measured in this run."""
    lines = []
    backends = results["backends"]
    for name, figures in backends.items():
        runs = {run["workers"]: run["per_second"] for run in figures["concurrent"]}
        if 1 in runs and 4 in runs and runs[1]:
            lines.append(f"{name}: 4 workers / 1 worker throughput = {runs[4] / runs[1]:.2f}")
    if "sqlite" in backends and "postgresql" in backends:
        for request in ("portfolio", "advance"):
            sq = backends["sqlite"]["sequential"][request]["p95_ms"]
            pg = backends["postgresql"]["sequential"][request]["p95_ms"]
            lines.append(f"{request} p95 PostgreSQL / SQLite = {pg / sq:.2f}")
    return lines


def measure(name: str, url: str, folder: Path, args: argparse.Namespace) -> dict[str, Any]:
    """Seed one backend, then its latencies and its throughput with 1 and 4 workers."""
    console.print(f"[bold]{name}[/]: seeding {args.projects:,} projects …")
    ready = args.advances + 2 * args.concurrent
    backend = prepare(name, url, folder, args.projects, args.clients, ready)
    console.print(f"[bold]{name}[/]: latencies …")
    figures: dict[str, Any] = {"sequential": sequential(backend, args.runs, args.advances)}
    figures["concurrent"] = []
    for workers in (1, 4):
        console.print(f"[bold]{name}[/]: {args.threads} callers, {workers} worker(s) …")
        figures["concurrent"].append(concurrent(backend, workers, args.threads, args.concurrent))
    return figures


def main() -> None:
    """Parse options, measure each backend, print the report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--advances", type=int, default=200)
    parser.add_argument("--concurrent", type=int, default=400, help="advances per throughput run")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument(
        "--postgres",
        default=os.environ.get("ISMS_FLOW_TEST_POSTGRES_URL", DEFAULT_POSTGRES),
        help="server URL; '' skips PostgreSQL",
    )
    parser.add_argument("--json", action="store_true", help="figures as JSON on stdout")
    args = parser.parse_args()
    results: dict[str, Any] = {
        "projects": args.projects,
        "clients": args.clients,
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg()[0],
        "backends": {},
    }
    with (
        tempfile.TemporaryDirectory(prefix="isms-flow-bench-api-") as scratch,
        postgres_schema(args.postgres) if args.postgres else _nothing() as pg_url,
    ):
        targets = [("sqlite", "")] + ([("postgresql", pg_url)] if pg_url else [])
        for name, url in targets:
            results["backends"][name] = measure(name, url, Path(scratch) / name, args)
    results["ratios"] = ratios(results)
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        report(results)


@contextmanager
def _nothing() -> Iterator[None]:
    yield None


if __name__ == "__main__":
    main()
