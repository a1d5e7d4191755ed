"""The portfolio: every project a caller may see, soonest deadline first, filtered and paged.

Two organizations (accounts_support.make_tenants): nakano owns acme and beta, kita owns gamma.
Deadlines come from evidence that lapses (the workflow's `evidence_validity` rule):

    gamma/isms  2026-04-10   (kita's: nakano never sees it)
    acme/ops    2026-04-20
    beta/web    2026-05-01
    acme/dev    2026-06-01
    acme/isms, beta/isms     no deadline: last, by reference

boss@nakano is admin of acme and viewer of beta; boss@kita is admin of gamma.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import event

from isms_flow.bootstrap import App
from isms_flow.clock import FrozenClock
from isms_flow.errors import BadInput, NotFound
from isms_flow.services import accounts, clients, evidence, projects
from isms_flow.services.portfolio import PortfolioPage, list_portfolio
from tests.integration.accounts_support import (
    ADMIN,
    BACKENDS,
    KITA_ADMIN,
    app_on,
    make_tenants,
    principal_of,
)
from tests.integration.support import MakeFile, execute, satisfy_scoping

LAPSES = {
    "gamma/isms": date(2026, 4, 10),
    "acme/ops": date(2026, 4, 20),
    "beta/web": date(2026, 5, 1),
    "acme/dev": date(2026, 6, 1),
}
EVERY = ["gamma/isms", "acme/ops", "beta/web", "acme/dev", "acme/isms", "beta/isms"]
NAKANO = ["acme/ops", "beta/web", "acme/dev", "acme/isms", "beta/isms"]


@pytest.fixture
def app(
    request: pytest.FixtureRequest, tmp_path: Path, clock: FrozenClock, migrated_template: Path
) -> Iterator[App]:
    """The application on SQLite, or on each backend where a test says `ON_EVERY_BACKEND`
    (PostgreSQL when configured): every test on both would spend a minute on migrations."""
    backend = getattr(request, "param", "sqlite")
    with app_on(backend, tmp_path, clock, migrated_template) as application:
        yield application


ON_EVERY_BACKEND = pytest.mark.parametrize("app", BACKENDS, indirect=True)


@pytest.fixture
def portfolio(app: App, make_file: MakeFile) -> App:
    """The six projects of the module docstring."""
    make_tenants(app)
    accounts.grant_role(app, email=ADMIN, client_key="beta", role="viewer", actor="root")
    for ref in ("acme/ops", "acme/dev", "beta/web"):
        client, key = ref.split("/")
        projects.create_project(app, client_key=client, key=key, title=key.upper(), actor="root")
    for ref, day in LAPSES.items():
        evidence.add_evidence(
            app,
            ref=ref,
            kind="asset_inventory",
            file=make_file(f"{ref.replace('/', '-')}.xlsx", ref),
            actor="root",
            valid_until=day,
        )
    return app


def _refs(page: PortfolioPage) -> list[str]:
    return [row.project for row in page.rows]


def _walk(call: Callable[[str | None], PortfolioPage]) -> list[str]:
    """Every ref, following next_cursor from the first page to the last."""
    seen: list[str] = []
    cursor: str | None = None
    for _ in range(100):
        page = call(cursor)
        seen += _refs(page)
        cursor = page.next_cursor
        if cursor is None:
            return seen
    raise AssertionError("the cursor never ran out")


@ON_EVERY_BACKEND
def test_the_administrator_sees_every_project_soonest_deadline_first(portfolio: App) -> None:
    page = list_portfolio(portfolio, principal=None)
    assert _refs(page) == EVERY
    assert page.total == 6 and page.next_cursor is None
    ops = page.rows[1]
    assert ops.client == "acme" and ops.client_name == "Acme" and ops.title == "OPS"
    assert (ops.stage, ops.stage_title) == ("scoping", "Define the ISMS scope")
    assert ops.next_deadline is not None
    assert ops.next_deadline.kind == "evidence_validity"
    assert ops.next_deadline.title == "Evidence to renew before it lapses"
    assert ops.next_deadline.due_on == date(2026, 4, 20)
    assert ops.days_left == 19  # START is 2026-04-01 in Tokyo
    assert ops.overdue is False and ops.days_in_stage == 0
    last = page.rows[-1]
    assert last.next_deadline is None and last.days_left is None and last.overdue is False


def test_labels_follow_the_language(portfolio: App) -> None:
    row = list_portfolio(portfolio, principal=None, lang="ja").rows[0]
    assert row.stage_title == "ISMSの適用範囲を決める"
    assert row.next_deadline is not None
    assert row.next_deadline.title == "有効期限前に更新する証跡"


@ON_EVERY_BACKEND
def test_a_user_sees_only_the_clients_they_hold_a_role_on(portfolio: App) -> None:
    nakano = list_portfolio(portfolio, principal=principal_of(portfolio, ADMIN))
    assert _refs(nakano) == NAKANO and nakano.total == 5
    kita = list_portfolio(portfolio, principal=principal_of(portfolio, KITA_ADMIN))
    assert _refs(kita) == ["gamma/isms"] and kita.total == 1
    accounts.add_user(
        portfolio, email="new@nakano.example.jp", organization="nakano", name="New", actor="root"
    )
    nobody = list_portfolio(portfolio, principal=principal_of(portfolio, "new@nakano.example.jp"))
    assert nobody.rows == [] and nobody.total == 0 and nobody.next_cursor is None


def test_a_revoked_role_hides_the_client_at_once(portfolio: App) -> None:
    principal = principal_of(portfolio, ADMIN)
    accounts.revoke_role(portfolio, email=ADMIN, client_key="beta", actor="root")
    assert _refs(list_portfolio(portfolio, principal=principal)) == [
        "acme/ops",
        "acme/dev",
        "acme/isms",
    ]


def test_a_client_filter_naming_a_foreign_client_is_not_found_like_a_missing_one(
    portfolio: App,
) -> None:
    principal = principal_of(portfolio, ADMIN)
    acme = list_portfolio(portfolio, principal=principal, client="acme")
    assert _refs(acme) == ["acme/ops", "acme/dev", "acme/isms"] and acme.total == 3
    with pytest.raises(NotFound) as foreign:
        list_portfolio(portfolio, principal=principal, client="gamma")
    with pytest.raises(NotFound) as missing:
        list_portfolio(portfolio, principal=principal, client="zeta")
    assert str(foreign.value) == "client gamma not found"
    assert str(missing.value) == "client zeta not found"
    assert _refs(list_portfolio(portfolio, principal=None, client="gamma")) == ["gamma/isms"]
    with pytest.raises(NotFound, match="client zeta not found"):
        list_portfolio(portfolio, principal=None, client="zeta")


def test_the_stage_filter_keeps_projects_in_that_stage(
    portfolio: App, make_file: MakeFile, clock: FrozenClock
) -> None:
    satisfy_scoping(portfolio, "acme/dev", make_file)
    clock.advance(timedelta(days=3))
    projects.fire_trigger(portfolio, ref="acme/dev", trigger="advance", actor="root")
    clock.advance(timedelta(days=4))
    policy = list_portfolio(portfolio, principal=None, stage="policy")
    assert _refs(policy) == ["acme/dev"] and policy.total == 1
    assert policy.rows[0].days_in_stage == 4
    assert policy.rows[0].stage_title == "Set the information security policy"
    scoping = list_portfolio(portfolio, principal=None, stage="scoping")
    assert "acme/dev" not in _refs(scoping) and scoping.total == 5
    assert scoping.rows[0].days_in_stage == 7
    with pytest.raises(BadInput, match="unknown stage 'polcy'"):
        list_portfolio(portfolio, principal=None, stage="polcy")


@ON_EVERY_BACKEND
def test_the_overdue_flag_turns_on_once_the_clock_passes_a_deadline(
    portfolio: App, clock: FrozenClock
) -> None:
    principal = principal_of(portfolio, ADMIN)
    assert list_portfolio(portfolio, principal=principal, overdue=True).rows == []
    clock.advance(timedelta(days=19))  # 2026-04-20 09:30 in Tokyo: due today, not yet missed
    assert list_portfolio(portfolio, principal=principal, overdue=True).total == 0
    clock.advance(timedelta(days=1))
    late = list_portfolio(portfolio, principal=principal, overdue=True)
    assert _refs(late) == ["acme/ops"] and late.total == 1
    assert late.rows[0].overdue is True and late.rows[0].days_left == -1
    on_time = list_portfolio(portfolio, principal=principal, overdue=False)
    assert _refs(on_time) == NAKANO[1:] and on_time.total == 4
    assert not any(row.overdue for row in on_time.rows)
    everything = list_portfolio(portfolio, principal=None, overdue=True)
    assert _refs(everything) == ["gamma/isms", "acme/ops"]


@pytest.mark.parametrize("limit", [1, 2, 4, 5])
def test_walking_the_pages_shows_every_project_exactly_once_in_order(
    portfolio: App, limit: int
) -> None:
    walked = _walk(
        lambda cursor: list_portfolio(portfolio, principal=None, cursor=cursor, limit=limit)
    )
    assert walked == EVERY
    first = list_portfolio(portfolio, principal=None, limit=limit)
    assert len(first.rows) == limit and first.total == 6


@ON_EVERY_BACKEND
def test_pages_of_a_principal_and_a_filter_stay_within_them(portfolio: App) -> None:
    principal = principal_of(portfolio, ADMIN)

    def page(cursor: str | None) -> PortfolioPage:
        return list_portfolio(portfolio, principal=principal, client="acme", cursor=cursor, limit=1)

    assert _walk(page) == ["acme/ops", "acme/dev", "acme/isms"]


def test_a_cursor_keeps_its_place_when_an_earlier_project_is_added(
    portfolio: App, make_file: MakeFile
) -> None:
    first = list_portfolio(portfolio, principal=None, limit=2)
    assert _refs(first) == ["gamma/isms", "acme/ops"]
    projects.create_project(portfolio, client_key="acme", key="aaa", title="AAA", actor="root")
    rest = _walk(
        lambda cursor: list_portfolio(portfolio, principal=None, cursor=cursor or first.next_cursor)
    )
    assert rest == ["beta/web", "acme/dev", "acme/aaa", "acme/isms", "beta/isms"]


@pytest.mark.parametrize(
    "cursor",
    [
        "not a cursor",
        "",
        "eyJ2IjoyfQ",  # {"v":2}: another format
        "eyJ2IjoxLCJkIjpudWxsfQ",  # {"v":1,"d":null}: fields missing
        "e30",  # {}
        "W10",  # []
        "x" * 2000,
    ],
)
def test_a_malformed_cursor_is_bad_input(portfolio: App, cursor: str) -> None:
    with pytest.raises(BadInput, match="start again without a cursor"):
        list_portfolio(portfolio, principal=None, cursor=cursor)


@pytest.mark.parametrize("limit", [0, -1, 501])
def test_a_limit_out_of_range_is_bad_input(portfolio: App, limit: int) -> None:
    with pytest.raises(BadInput, match="limit must be between 1 and 500"):
        list_portfolio(portfolio, principal=None, limit=limit)


# Every kind of stage: evidence only, each register, side paths only (expired) and final.
STAGES = [
    "scoping",
    "certification_body_selection",
    "risk_assessment",
    "staff_training",
    "internal_audit",
    "management_review",
    "certified",
    "suspended",
    "expired",
    "withdrawn",
]


def _move(app: App, ref: str, state: str) -> None:
    """Put a project in `state` out of band: how it got there does not matter to its guard."""
    client, key = ref.split("/")
    execute(
        app,
        "UPDATE projects SET state = :state, version = version + 1 WHERE key = :key"
        " AND client_id = (SELECT id FROM clients WHERE key = :client)",
        state=state,
        key=key,
        client=client,
    )


def _many(app: App, count: int) -> list[str]:
    """Client omega of nakano (boss@ is its admin) with `count` projects p00, p01, …, cycling
    through STAGES, so any ten consecutive ones are in every kind of stage."""
    clients.add_client(app, key="omega", name="Omega", actor="root", organization="nakano")
    accounts.grant_role(app, email=ADMIN, client_key="omega", role="admin", actor="root")
    refs = []
    for index in range(count):
        key = f"p{index:02d}"
        projects.create_project(app, client_key="omega", key=key, title=key, actor="root")
        _move(app, f"omega/{key}", STAGES[index % len(STAGES)])
        refs.append(f"omega/{key}")
    return refs


def test_blockers_are_what_project_status_lists_for_the_forward_trigger(portfolio: App) -> None:
    _many(portfolio, len(STAGES))
    page = list_portfolio(portfolio, principal=None, client="omega", limit=500)
    assert {row.stage for row in page.rows} == set(STAGES)
    for row in page.rows:
        status = projects.project_status(portfolio, ref=row.project)
        if row.stage in ("expired", "withdrawn"):  # left only by side paths; final
            assert (row.forward_trigger, row.blockers) == (None, None), row.project
            continue
        assert row.forward_trigger is not None and row.blockers is not None, row.project
        [trigger] = [t for t in status.triggers if t.trigger == row.forward_trigger]
        assert row.blockers == len(trigger.blockers) > 0, row.project


@ON_EVERY_BACKEND
def test_a_page_costs_the_same_statements_whatever_its_size(portfolio: App) -> None:
    _many(portfolio, 60)
    principal = principal_of(portfolio, ADMIN)
    list_portfolio(portfolio, principal=None)  # deadlines of the new projects computed once
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(portfolio.engine, "before_cursor_execute", count)
    try:
        costs = {}
        for who, limit in ((None, 10), (None, 50), (principal, 10), (principal, 50)):
            statements.clear()
            page = list_portfolio(portfolio, principal=who, client="omega", limit=limit)
            assert len(page.rows) == limit
            costs[(who is None, limit)] = len(statements)
    finally:
        event.remove(portfolio.engine, "before_cursor_execute", count)
    assert costs[(True, 10)] == costs[(True, 50)]
    assert costs[(False, 10)] == costs[(False, 50)]
    assert costs[(True, 50)] < 50  # one query per project would be more
