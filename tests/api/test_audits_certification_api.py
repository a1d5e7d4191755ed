"""Audits, findings, management reviews, certification body quotes and the certificate over
HTTP, walked the way a consultant and an auditor would, each change on the ETag before it."""

from __future__ import annotations

import httpx

from tests.api.conftest import World, email_of

PROJECT = "/clients/acme/projects/isms"
OWNER = email_of("project_manager")


class Walk:
    """A client that sends each change with the ETag of the response before it."""

    def __init__(self, http: httpx.Client) -> None:
        self.http = http
        self.tag = http.get(f"{PROJECT}/audits").headers["ETag"]

    def send(self, method: str, path: str, body: object = None) -> httpx.Response:
        """The change; its ETag is the one the next change sends."""
        response = self.http.request(
            method, f"{PROJECT}{path}", json=body, headers={"If-Match": self.tag}
        )
        assert response.status_code in (200, 201), response.text
        self.tag = response.headers["ETag"]
        return response


def test_a_nonconformity_walks_from_raised_to_closed(world: World) -> None:
    with world.client(email_of("consultant")) as consultant, world.client(OWNER) as owner:
        walk = Walk(consultant)
        audit = {
            "kind": "internal",
            "started_on": "2026-03-10",
            "auditor": "Yamada",
            "auditor_department": "Quality Assurance",
            "areas": ["Development"],
            "clauses": ["4-10"],
            "controls": ["A.5.1-A.5.37"],
        }
        key = walk.send("POST", "/audits", audit).json()["key"]
        finding = {
            "grade": "minor",
            "clause": "8.1",
            "description": "Patches 45 days late on 3 build servers",
            "root_cause": "Not in the patching group",
            "correction": "Patched",
            "corrective_action": "Joined the patching group",
            "owner": OWNER,
            "due": "2026-05-01",
        }
        raised = walk.send("POST", f"/audits/{key}/findings", finding).json()
        assert (raised["key"], raised["status"]) == ("F-001", "open")
        walk.send("POST", "/findings/F-001/plan-acceptance", {})
        walk.send("POST", "/findings/F-001/correction")
        own_check = owner.post(
            f"{PROJECT}/findings/F-001/verification",
            json={"effectiveness": "I checked it myself"},
            headers={"If-Match": walk.tag},
        )
        assert own_check.status_code == 403 and "other than its owner" in own_check.json()["detail"]
        verified = walk.send("POST", "/findings/F-001/verification", {"effectiveness": "Green"})
        assert verified.json()["verified_by"] == email_of("consultant")
        walk.send("POST", "/findings/F-001/closure")
        closed = consultant.get(f"{PROJECT}/findings").json()["items"]
        still_open = consultant.get(f"{PROJECT}/findings", params={"open": True}).json()
        audits = consultant.get(f"{PROJECT}/audits", params={"kind": "internal"}).json()["items"]
    assert [(f["key"], f["status"]) for f in closed] == [("F-001", "closed")]
    assert still_open["items"] == []
    assert [(a["key"], a["findings"], a["open_findings"]) for a in audits] == [(key, 1, 0)]


def test_audits_change_and_report_their_coverage(admin: httpx.Client) -> None:
    walk = Walk(admin)
    planned = {
        "kind": "internal",
        "started_on": "2026-05-10",
        "auditor": "Yamada",
        "auditor_department": "QA",
        "areas": ["Sales"],
    }
    key = walk.send("POST", "/audits", planned).json()["key"]
    before = admin.get(f"{PROJECT}/audits/coverage").json()
    done = {
        "started_on": "2026-03-02",
        "ended_on": "2026-03-03",
        "clauses": ["4-10"],
        "controls": ["all"],
    }
    updated = walk.send("PATCH", f"/audits/{key}", done).json()
    after = admin.get(f"{PROJECT}/audits/coverage", params={"months": 12}).json()
    assert before["audits"] == [] and updated["performed"] is True
    assert after["audits"] == [key] and after["missing_clauses"] == []
    unchanged = admin.patch(
        f"{PROJECT}/audits/{key}", json={"started_on": "2026-03-02"}, headers={"If-Match": walk.tag}
    )
    assert unchanged.status_code == 400 and "nothing to change" in unchanged.json()["detail"]
    too_long = admin.get(f"{PROJECT}/audits/coverage", params={"months": 48})
    assert too_long.status_code == 422


def test_a_management_review_is_recorded_listed_and_shown(admin: httpx.Client) -> None:
    walk = Walk(admin)
    review = {
        "held_on": "2026-03-20",
        "attendees": [
            {"name": "田中 誠", "role": "CEO", "top_management": True},
            {"name": "Sato", "role": "ISMS manager"},
        ],
        "inputs": {"a": "All actions of the last review are done", "9.3.2 f": "R-004 treated"},
        "decisions": [
            {"text": "Buy an EDR", "kind": "improvement", "owner": "Sato", "due": "2026-06-30"}
        ],
    }
    recorded = walk.send("POST", "/reviews", review).json()
    assert recorded["top_management_present"] is True
    assert recorded["missing_inputs"] == ["b", "c", "d", "e", "g"]
    assert recorded["recorded_by"] == email_of("admin")
    listed = admin.get(f"{PROJECT}/reviews").json()["items"]
    shown = admin.get(f"{PROJECT}/reviews/{recorded['id']}", params={"lang": "ja"}).json()
    assert [r["id"] for r in listed] == [recorded["id"]]
    assert shown["inputs"][0]["label"] == "前回のマネジメントレビューからの処置の状況"
    missing = admin.get(f"{PROJECT}/reviews/4242")
    assert missing.status_code == 404 and "#4242" in missing.json()["detail"]
    assert admin.get(f"{PROJECT}/reviews/0").status_code == 422


def test_quotes_are_compared_one_is_selected_and_the_certificate_takes_its_body(
    admin: httpx.Client,
) -> None:
    walk = Walk(admin)
    jqa = {"body": "JQA", "accreditation": "isms-ac", "audit_days": "8.5", "cost": "1650000"}
    bsi = {"body": "BSI", "accreditation": "UKAS", "audit_days": 7, "cost": 1400000}
    first = walk.send("POST", "/quotes", jqa).json()
    walk.send("POST", "/quotes", bsi)
    assert (first["accreditation"], first["audit_days"], first["price"]) == (
        "ISMS-AC",
        "8.5",
        "JPY 1,650,000",
    )
    comparison = admin.get(f"{PROJECT}/quotes/comparison", params={"headcount": 60}).json()
    assert comparison["headcount_source"] == "given" and len(comparison["rows"]) == 2
    selected = walk.send(
        "POST", f"/quotes/{first['id']}/selection", {"reason": "Best price per day"}
    ).json()
    assert selected["selected"]["id"] == first["id"] and selected["unselected"] == []
    certificate = {"number": "IS 654321", "issued_on": "2026-03-25", "scope": "Development"}
    recorded = walk.send("POST", "/certificate", certificate).json()
    assert (recorded["body"], recorded["expires_on"]) == ("JQA", "2029-03-25")
    status = admin.get(f"{PROJECT}/certificate").json()
    assert status["current"]["number"] == "IS 654321" and status["earlier"] == []
    assert (
        admin.post(
            f"{PROJECT}/quotes/99/selection", json={"reason": "x"}, headers={"If-Match": walk.tag}
        ).status_code
        == 404
    )
