"""Deadlines over HTTP: the list, the iCalendar feed, and a client's reminder days.

The project is the demo's, walked to `certified` once per session (its deadlines exist then);
users of the installation's `default` organization get roles on its client `demo-corp`.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from isms_flow.bootstrap import App
from isms_flow.services import accounts, clients, deadlines
from tests.api.conftest import World
from tests.api.server import serving
from tests.integration.deadline_support import REF, certified, certified_template

__all__ = ["certified", "certified_template"]  # fixtures used below

CLIENT = "/clients/demo-corp"
PROJECT = f"{CLIENT}/projects/{REF.split('/')[1]}"
ADMIN, VIEWER, OUTSIDER = "admin@demo.example", "viewer@demo.example", "admin@kita.example.jp"


@pytest.fixture
def demo(certified: App) -> Iterator[World]:
    """The certified demo project served, with an admin and a viewer of its client."""
    accounts.add_organization(certified, key="kita", name="Kita Security", actor="root")
    clients.add_client(certified, key="gamma", name="Gamma", actor="root", organization="kita")
    tokens: dict[str, str] = {}
    for email, organization, client, role in (
        (ADMIN, "default", "demo-corp", "admin"),
        (VIEWER, "default", "demo-corp", "viewer"),
        (OUTSIDER, "kita", "gamma", "admin"),
    ):
        accounts.add_user(
            certified, email=email, organization=organization, name=role, actor="root"
        )
        accounts.grant_role(certified, email=email, client_key=client, role=role, actor="root")
        tokens[email] = accounts.create_token(certified, email=email, actor="root").token
    with serving(certified) as url:
        yield World(url=url, tokens=tokens)


def test_deadlines_come_soonest_first_a_page_at_a_time(demo: World, certified: App) -> None:
    expected = [d.key for d in deadlines.list_deadlines(certified, ref=REF).deadlines]
    assert len(expected) > 3
    with demo.client(VIEWER) as viewer:
        first = viewer.get(f"{PROJECT}/deadlines", params={"limit": 3})
        assert first.status_code == 200, first.text
        assert first.headers["Link"].endswith('rel="next"')
        rest = viewer.get(
            f"{PROJECT}/deadlines", params={"limit": 50, "cursor": first.json()["next_cursor"]}
        )
        everything = viewer.get(f"{PROJECT}/deadlines", params={"all": "true"}).json()["items"]
    keys = [d["key"] for d in first.json()["items"] + rest.json()["items"]]
    assert keys == expected
    assert rest.json()["next_cursor"] is None
    days = [d["days_left"] for d in first.json()["items"]]
    assert days == sorted(days)
    assert len(everything) >= len(expected)


def test_the_calendar_is_an_ics_file_with_one_event_per_open_deadline(demo: World) -> None:
    with demo.client(VIEWER) as viewer:
        listed = viewer.get(f"{PROJECT}/deadlines").json()["items"]
        feed = viewer.get(f"{PROJECT}/calendar.ics", params={"lang": "ja"})
    assert feed.status_code == 200
    assert feed.headers["Content-Type"].startswith("text/calendar")
    assert "demo-corp-isms-cert.ics" in feed.headers["Content-Disposition"]
    assert feed.text.startswith("BEGIN:VCALENDAR")
    assert feed.text.count("BEGIN:VEVENT") == len(listed)
    assert "期限" in feed.text


def test_reminder_days_are_read_by_a_viewer_and_set_by_an_admin(demo: World) -> None:
    with demo.client(VIEWER) as viewer:
        shown = viewer.get(f"{CLIENT}/reminders")
        assert shown.status_code == 200 and shown.json()["settings"] == {}
        assert viewer.put(f"{CLIENT}/reminders", json={"days": [60, 14]}).status_code == 403
    with demo.client(ADMIN) as admin:
        every = admin.put(f"{CLIENT}/reminders", json={"days": [3, 60, 14]})
        assert every.status_code == 200, every.text
        assert every.json()["settings"] == {"*": [60, 14, 3]}
        one = admin.put(f"{CLIENT}/reminders", json={"kind": "certificate_expiry", "days": [200]})
        kinds = {k["kind"]: (k["days"], k["source"]) for k in one.json()["kinds"]}
        assert kinds["certificate_expiry"] == ([200], "client")
        assert kinds["surveillance_audit"] == ([60, 14, 3], "client_default")
        cleared = admin.put(f"{CLIENT}/reminders", json={"days": None})
        assert cleared.json()["settings"] == {"certificate_expiry": [200]}


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"days": [5, 5]}, "listed twice"),
        ({"days": [-1]}, "whole number"),
        ({"kind": "no_such_deadline", "days": [7]}, "unknown deadline kind"),
        ({"kind": "certificate_expiry", "days": None}, "no reminder days of its own"),
    ],
)
def test_bad_reminder_days_are_refused_plainly(
    demo: World, body: dict[str, object], words: str
) -> None:
    with demo.client(ADMIN) as admin:
        refused = admin.put(f"{CLIENT}/reminders", json=body)
        assert refused.status_code == 400
        assert words in refused.json()["detail"]
        assert admin.get(f"{CLIENT}/reminders").json()["settings"] == {}


def test_another_organizations_deadlines_are_not_found(demo: World) -> None:
    with demo.client(OUTSIDER) as outsider:
        for path in (f"{PROJECT}/deadlines", f"{PROJECT}/calendar.ics", f"{CLIENT}/reminders"):
            response = outsider.get(path)
            assert response.status_code == 404, path
            assert isinstance(response.json()["detail"], str)
        assert outsider.put(f"{CLIENT}/reminders", json={"days": [1]}).status_code == 404


def test_without_a_token_deadlines_are_401(demo: World) -> None:
    with httpx.Client(base_url=demo.url) as anonymous:
        assert anonymous.get(f"{PROJECT}/deadlines").status_code == 401
