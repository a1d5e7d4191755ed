"""GET /portfolio: what the caller may see, filters, pages, and the errors of bad input."""

from __future__ import annotations

import httpx

from isms_flow.services import projects
from tests.api.conftest import KITA_ADMIN, World, email_of


def test_a_user_sees_only_the_projects_of_clients_they_hold_a_role_on(world: World) -> None:
    with world.client(email_of("viewer")) as nakano, world.client(KITA_ADMIN) as kita:
        mine = nakano.get("/portfolio").json()
        theirs = kita.get("/portfolio").json()
    assert [row["project"] for row in mine["rows"]] == ["acme/isms"]
    assert [row["project"] for row in theirs["rows"]] == ["gamma/isms"]
    row = mine["rows"][0]
    assert row["stage"] == "scoping" and row["blockers"] > 0 and row["overdue"] is False


def test_pages_cover_every_project_once_with_a_link_to_the_next(world: World, app) -> None:  # type: ignore[no-untyped-def]
    for n in range(5):
        projects.create_project(app, client_key="acme", key=f"p{n}", title="P", actor="root")
    seen: list[str] = []
    with world.client(email_of("consultant")) as http:
        response = http.get("/portfolio", params={"limit": 2})
        while True:
            page = response.json()
            assert page["total"] == 6
            seen += [row["project"] for row in page["rows"]]
            if not page["next_cursor"]:
                assert "Link" not in response.headers
                break
            assert 'rel="next"' in response.headers["Link"]
            response = http.get("/portfolio", params={"limit": 2, "cursor": page["next_cursor"]})
    assert sorted(seen) == sorted({*seen}) and len(seen) == 6


def test_a_foreign_client_filter_is_404_and_a_forged_cursor_is_400(admin: httpx.Client) -> None:
    foreign = admin.get("/portfolio", params={"client": "gamma"})
    missing = admin.get("/portfolio", params={"client": "nowhere"})
    assert foreign.status_code == missing.status_code == 404
    forged = admin.get("/portfolio", params={"cursor": "not-a-cursor"})
    assert forged.status_code == 400
    assert forged.headers["content-type"].startswith("application/problem+json")
    assert admin.get("/portfolio", params={"stage": "no_such_stage"}).status_code == 400
