"""Portfolio benchmark: one consultant's page of `isms-flow portfolio` / `GET /portfolio` among
10,000 projects.

Run: `.venv/bin/python bench/portfolio.py [--projects 10000] [--clients 100] [--runs 40]
[--db URL] [--json]`. Figures come from one run on this machine; the aim (p95 under 150 ms for
a consultant who sees every project) is reported as PASS/MISS, nothing is asserted.

The database (a SQLite file by default; `--db` for PostgreSQL, in a schema of its own) holds
`--projects` projects spread over `--clients` clients, in every stage of the ISO workflow,
with three current evidence documents each and two open deadlines on seven projects in ten
(some already missed). Deadlines are marked computed, as the scheduler leaves them, so each
call's refresh finds nothing stale. On PostgreSQL the tables are analyzed after seeding, as
autovacuum would be. A user with the consultant role on every client is the
principal. Each scenario is timed `--runs` times after three warm-up calls: the full service
call (refresh check, count, page, blockers of the page), and the number of SQL statements.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from sqlalchemy import create_engine, event, insert, text

from isms_flow.accounts import Principal
from isms_flow.bootstrap import App, bootstrap
from isms_flow.clock import FrozenClock
from isms_flow.config import Settings
from isms_flow.logging import configure_logging
from isms_flow.schedule.deadlines import overdue_at
from isms_flow.services import accounts
from isms_flow.services.portfolio import PortfolioPage, list_portfolio
from isms_flow.store.models import (
    ClientRow,
    EvidenceDocumentRow,
    EvidenceVersionRow,
    ProjectRow,
)
from isms_flow.store.tables.accounts import RoleGrantRow
from isms_flow.store.tables.schedule import DeadlineRow, ScheduleStateRow

NOW = datetime(2026, 9, 1, 1, 0, tzinfo=UTC)
AIM_P95_MS = 150.0
CONSULTANT = "consultant@bench.example.jp"
KINDS = ("scope_statement", "asset_inventory", "information_security_policy")

console = Console()


def seed(app: App, projects: int, clients: int) -> None:
    """Clients, projects in every stage, evidence, computed deadlines, one consultant."""
    definition = app.catalog.get("iso27001-2022").definition
    compiled = app.catalog.get("iso27001-2022")
    stages = [state.name for state in definition.states]
    with app.uow() as uow:
        session = uow.session
        client_ids = session.scalars(
            insert(ClientRow).returning(ClientRow.id, sort_by_parameter_order=True),
            [
                {
                    "key": f"client-{n:03d}",
                    "name": f"Client {n}",
                    "timezone": "Asia/Tokyo",
                    "language": "ja",
                    "created_at": NOW,
                }
                for n in range(clients)
            ],
        ).all()
        project_rows = [
            {
                "client_id": client_ids[n % clients],
                "key": f"isms-{n:05d}",
                "title": f"ISMS {n}",
                "workflow_name": definition.name,
                "workflow_version": definition.version,
                "workflow_digest": compiled.digest,
                "state": stages[n % len(stages)],
                "state_entered_at": NOW - timedelta(days=n % 300),
                "state_visit": 1,
                "scope_whole": True,
                "scope_units": [],
                "created_at": NOW - timedelta(days=400),
                "updated_at": NOW,
                "version": 1,
            }
            for n in range(projects)
        ]
        project_ids = session.scalars(
            insert(ProjectRow).returning(ProjectRow.id, sort_by_parameter_order=True),
            project_rows,
        ).all()
        _evidence(session, project_ids)
        _deadlines(session, project_ids)
        uow.commit()
    accounts.add_user(app, email=CONSULTANT, organization="default", name="Bench", actor="bench")
    with app.uow() as uow:
        user_id = uow.session.execute(
            text("SELECT id FROM users WHERE email = :e"), {"e": CONSULTANT}
        ).scalar_one()
        uow.session.execute(
            insert(RoleGrantRow),
            [
                {
                    "user_id": user_id,
                    "client_id": cid,
                    "role": "consultant",
                    "granted_by": "bench",
                    "granted_at": NOW,
                }
                for cid in client_ids
            ],
        )
        uow.commit()
    if app.engine.dialect.name == "postgresql":
        # What autovacuum does within a minute of a bulk load: without statistics the planner
        # guesses a handful of deadline rows and joins them by nested loop.
        with app.engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))


def _evidence(session: Any, project_ids: list[int]) -> None:
    documents = session.scalars(
        insert(EvidenceDocumentRow).returning(EvidenceDocumentRow.id, sort_by_parameter_order=True),
        [
            {
                "project_id": pid,
                "kind": kind,
                "name": kind,
                "current_version": 1,
                "created_at": NOW,
            }
            for pid in project_ids
            for kind in KINDS
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
                "filename": "f.pdf",
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


def _deadlines(session: Any, project_ids: list[int]) -> None:
    rows = []
    for n, pid in enumerate(project_ids):
        if n % 10 >= 7:
            continue
        for offset in (n % 400 - 60, n % 400 + 90):  # some already missed
            due_on = NOW.date() + timedelta(days=offset)
            rows.append(
                {
                    "project_id": pid,
                    "key": f"evidence_validity:{offset}",
                    "kind": "evidence_validity",
                    "due_on": due_on,
                    "due_at": overdue_at(due_on, "Asia/Tokyo"),
                    "status": "open",
                    "on_overdue": "escalate",
                    "basis": {},
                    "computed_at": NOW,
                    "overdue_handled_at": None,
                }
            )
    session.execute(insert(DeadlineRow), rows)
    session.execute(
        insert(ScheduleStateRow),
        [
            {"project_id": pid, "computed_version": 1, "computed_at": NOW, "recheck_at": None}
            for pid in project_ids
        ],
    )


def measure(app: App, call: Callable[[], PortfolioPage], runs: int) -> dict[str, float]:
    """p50, p95 and max of `runs` timed calls (after three warm-up calls), in ms."""
    statements = 0

    def count(*_: object) -> None:
        nonlocal statements
        statements += 1

    for _ in range(3):
        page = call()
    event.listen(app.engine, "before_cursor_execute", count)
    call()
    event.remove(app.engine, "before_cursor_execute", count)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        page = call()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * len(times)) - 1)]
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(p95, 1),
        "max_ms": round(times[-1], 1),
        "statements": statements,
        "rows": len(page.rows),
        "total": page.total,
    }


def scenarios(app: App, principal: Principal) -> dict[str, Callable[[], PortfolioPage]]:
    """What is timed: the first page, the filters, and a page deep in the listing."""
    deep = None
    for _ in range(40):  # walk to page 41 once; a cursor is just a position
        deep = list_portfolio(app, principal=principal, cursor=deep).next_cursor
    return {
        "consultant, first page of 50": lambda: list_portfolio(app, principal=principal),
        "administrator (CLI), first page": lambda: list_portfolio(app, principal=None),
        "consultant, overdue only": lambda: list_portfolio(app, principal=principal, overdue=True),
        "consultant, one client": lambda: list_portfolio(
            app, principal=principal, client="client-042"
        ),
        "consultant, one stage": lambda: list_portfolio(
            app, principal=principal, stage="risk_assessment"
        ),
        "consultant, page 41": lambda: list_portfolio(app, principal=principal, cursor=deep),
        "consultant, page of 500": lambda: list_portfolio(app, principal=principal, limit=500),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--db", default="", help="a PostgreSQL URL (default: a SQLite file)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    configure_logging("warning")  # the seeding's info lines would bury the figures
    with tempfile.TemporaryDirectory(prefix="isms-flow-bench-") as folder:
        url, drop = _database(args.db)
        settings = Settings(data_dir=Path(folder), actor="bench", database_url=url)
        app = bootstrap(settings, clock=FrozenClock(NOW))
        try:
            started = time.perf_counter()
            seed(app, args.projects, args.clients)
            seeded = time.perf_counter() - started
            principal = accounts.user_principal(app, email=CONSULTANT)
            results = {
                name: measure(app, call, args.runs)
                for name, call in scenarios(app, principal).items()
            }
        finally:
            app.close()
            drop()
    aim = results["consultant, first page of 50"]["p95_ms"] <= AIM_P95_MS
    if args.json:
        print(json.dumps({"projects": args.projects, "seed_s": seeded, "results": results}))
        return
    table = Table(
        title=f"portfolio of {args.projects:,} projects ({'PostgreSQL' if url else 'SQLite'})"
    )
    for column in ("scenario", "p50 ms", "p95 ms", "max ms", "statements", "rows", "total"):
        table.add_column(column, justify="left" if column == "scenario" else "right")
    for name, figures in results.items():
        table.add_row(name, *(str(value) for value in figures.values()))
    console.print(table)
    verdict = "[green]PASS[/]" if aim else "[red]MISS[/]"
    console.print(f"aim: consultant's first page p95 ≤ {AIM_P95_MS:.0f} ms — {verdict}")


def _database(url: str) -> tuple[str, Callable[[], None]]:
    """A PostgreSQL schema of its own (dropped afterwards), or "" for the SQLite default."""
    if not url:
        return "", lambda: None
    schema = f"isms_flow_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))

    def drop() -> None:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options=-csearch_path%3D{schema}", drop


if __name__ == "__main__":
    main()
