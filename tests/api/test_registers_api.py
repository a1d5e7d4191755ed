"""The ISMS registers over HTTP, register by register: who may read and change them, ETags and
If-Match, tenancy, and bad input answered as problem+json with nothing saved."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.api.conftest import KITA_ADMIN, World, email_of

PROJECT = "/clients/acme/projects/isms"


@dataclass(frozen=True)
class Register:
    """One register: a read of its contents, a change to it, and how to see the change."""

    name: str
    read: str
    change: str
    body: dict[str, Any]
    bad_body: dict[str, Any]
    bad_detail: str
    """Words the 400 problem names."""

    def count(self, http: httpx.Client) -> int:
        """How many entries the register shows now."""
        body = http.get(f"{PROJECT}{self.read}").json()
        if "items" in body:
            return len(body["items"])
        if "decided" in body:
            return int(body["decided"])
        return 0 if body.get("current") is None else 1 + len(body["earlier"])


REGISTERS = [
    Register(
        "risks",
        "/risks",
        "/risks",
        {"threat": "Ransomware encrypts the file server", "owner": "suzuki@nakano.example.jp"},
        {"threat": "Laptop lost", "owner": "suzuki", "likelihood": 9, "impact": 1},
        "likelihood",
    ),
    Register(
        "soa",
        "/soa",
        "/soa/decisions",
        {
            "controls": ["5.1"],
            "applicable": True,
            "justification": "Policies are required by our customers",
            "status": "implemented",
        },
        {"controls": ["5.1"], "applicable": True, "justification": " ", "status": "planned"},
        "justification",
    ),
    Register(
        "training",
        "/training/courses",
        "/training/courses",
        {"key": "awareness", "title": "Security awareness", "title_ja": "セキュリティ意識向上"},
        {"key": "Not A Key!", "title": "Awareness"},
        "course key",
    ),
    Register(
        "audits",
        "/audits",
        "/audits",
        {
            "kind": "internal",
            "started_on": "2026-03-10",
            "auditor": "Yamada",
            "auditor_department": "Internal audit",
            "areas": ["Sales"],
            "clauses": ["4-10"],
        },
        {"kind": "inspection", "started_on": "2026-03-10", "auditor": "Yamada"},
        "audit kind",
    ),
    Register(
        "reviews",
        "/reviews",
        "/reviews",
        {
            "held_on": "2026-03-20",
            "attendees": [{"name": "Tanaka Makoto", "role": "CEO", "top_management": True}],
            "inputs": {"a": "All actions of the last review are done"},
            "decisions": [{"text": "Buy an EDR", "kind": "improvement", "owner": "Sato"}],
        },
        {"held_on": "2026-03-20", "attendees": []},
        "attendees",
    ),
    Register(
        "quotes",
        "/quotes",
        "/quotes",
        {"body": "JQA", "accreditation": "ISMS-AC", "audit_days": "8.5", "cost": "1650000"},
        {"body": "JQA", "accreditation": "ISMS-AC", "audit_days": "-2", "cost": "1650000"},
        "audit days",
    ),
    Register(
        "certificate",
        "/certificate",
        "/certificate",
        {"number": "IS 123456", "issued_on": "2026-03-01", "body": "JQA", "scope": "Whole"},
        {"number": "   ", "issued_on": "2026-03-01", "body": "JQA", "scope": "Whole"},
        "certificate number",
    ),
]
BY_NAME = pytest.mark.parametrize("register", REGISTERS, ids=[r.name for r in REGISTERS])


def etag(http: httpx.Client) -> str:
    """The project's ETag as a register read shows it."""
    return http.get(f"{PROJECT}/risks/method").headers["ETag"]


@BY_NAME
def test_a_change_with_the_etag_read_is_saved_and_moves_the_etag(
    admin: httpx.Client, register: Register
) -> None:
    read = admin.get(f"{PROJECT}{register.read}")
    assert read.status_code == 200 and read.headers["ETag"] == '"v1"'
    changed = admin.post(
        f"{PROJECT}{register.change}", json=register.body, headers={"If-Match": '"v1"'}
    )
    assert changed.status_code in (200, 201), changed.text
    assert changed.headers["ETag"] == '"v2"'
    assert register.count(admin) == 1
    assert admin.get(f"{PROJECT}{register.read}").headers["ETag"] == '"v2"'


@BY_NAME
def test_a_change_on_a_stale_etag_is_412_and_saves_nothing(
    admin: httpx.Client, register: Register
) -> None:
    stale = etag(admin)
    moved = admin.put(f"{PROJECT}/scope", json={"whole": True}, headers={"If-Match": stale})
    assert moved.status_code == 200
    refused = admin.post(
        f"{PROJECT}{register.change}", json=register.body, headers={"If-Match": stale}
    )
    assert refused.status_code == 412
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["current_etag"] == moved.headers["ETag"]
    assert register.count(admin) == 0
    assert etag(admin) == moved.headers["ETag"]


@BY_NAME
def test_refused_changes_answer_a_problem_and_save_nothing(
    admin: httpx.Client, register: Register
) -> None:
    url = f"{PROJECT}{register.change}"
    fresh = {"If-Match": '"v1"'}
    no_if_match = admin.post(url, json=register.body)
    unknown_field = admin.post(url, json={**register.body, "colour": "red"}, headers=fresh)
    bad = admin.post(url, json=register.bad_body, headers=fresh)
    assert no_if_match.status_code == 428
    assert unknown_field.status_code == 422
    assert "colour" in unknown_field.json()["detail"]
    assert bad.status_code == 400, bad.text
    assert register.bad_detail in bad.json()["detail"]
    for response in (no_if_match, unknown_field, bad):
        assert response.headers["content-type"].startswith("application/problem+json")
    assert register.count(admin) == 0
    assert etag(admin) == '"v1"'


@BY_NAME
def test_auditors_read_viewers_do_not_and_other_organizations_see_nothing(
    world: World, register: Register
) -> None:
    read, change = f"{PROJECT}{register.read}", f"{PROJECT}{register.change}"
    with world.client(email_of("auditor")) as auditor:
        assert auditor.get(read).status_code == 200
        refused = auditor.post(change, json=register.body, headers={"If-Match": '"v1"'})
        assert refused.status_code == 403
        assert refused.json()["type"] == "/problems/forbidden"
        assert register.count(auditor) == 0
    with world.client(email_of("viewer")) as viewer:
        assert viewer.get(PROJECT).status_code == 200  # where the project stands: yes
        hidden = viewer.get(read)
        assert hidden.status_code == 403  # what its registers hold: no
        assert hidden.headers["content-type"].startswith("application/problem+json")
    with world.client(KITA_ADMIN) as kita:
        foreign = kita.get(read)
        missing = kita.get(f"/clients/nowhere/projects/isms{register.read}")
        foreign_change = kita.post(change, json=register.body, headers={"If-Match": "*"})
    assert foreign.status_code == missing.status_code == foreign_change.status_code == 404
    assert foreign.json()["detail"].replace("acme", "X") == missing.json()["detail"].replace(
        "nowhere", "X"
    )


@pytest.mark.parametrize("path", ["/risks/export", "/soa/export?format=csv"])
def test_exports_follow_the_same_rules_as_reads(world: World, path: str) -> None:
    with world.client(email_of("auditor")) as auditor:
        assert auditor.get(f"{PROJECT}{path}").status_code == 200
    with world.client(email_of("viewer")) as viewer:
        assert viewer.get(f"{PROJECT}{path}").status_code == 403
    with world.client(KITA_ADMIN) as kita:
        assert kita.get(f"{PROJECT}{path}").status_code == 404
