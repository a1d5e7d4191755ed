"""The Statement of Applicability and the training register over HTTP: decisions, progress,
XLSX/CSV downloads, CSV uploads, the roster, completions and coverage."""

from __future__ import annotations

import io
from datetime import date

import httpx
from openpyxl import load_workbook

from isms_flow.bootstrap import App
from isms_flow.services.registers import training
from tests.api.conftest import World, email_of

PROJECT = "/clients/acme/projects/isms"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_controls_are_decided_and_the_soa_shows_its_progress(admin: httpx.Client) -> None:
    init = admin.post(f"{PROJECT}/soa/init", headers={"If-Match": '"v1"'})
    assert init.status_code == 200 and len(init.json()["controls"]) == 93
    decision = {
        "controls": ["7.1-7.4"],
        "applicable": False,
        "justification": "Production runs on AWS; no secure area of our own",
    }
    decided = admin.post(
        f"{PROJECT}/soa/decisions", json=decision, headers={"If-Match": init.headers["ETag"]}
    )
    assert decided.json()["controls"] == ["7.1", "7.2", "7.3", "7.4"]
    soa = admin.get(f"{PROJECT}/soa", params={"theme": "physical", "lang": "ja"}).json()
    assert (soa["decided"], soa["total"], soa["complete"]) == (4, 93, False)
    assert [e["verdict"] for e in soa["entries"][:5]] == ["excluded"] * 4 + ["undecided"]
    assert soa["progress"] == "適用宣言書 4/93 決定済み" and soa["problems"]
    undecided = admin.get(f"{PROJECT}/soa", params={"undecided": True}).json()["entries"]
    assert len(undecided) == 89


def test_the_soa_downloads_as_xlsx_and_a_csv_upload_decides_controls(
    admin: httpx.Client,
) -> None:
    csv = "control_id,applicable,justification,status,risk_keys,evidence_ids\n"
    csv += "5.1,yes,Approved by the CEO,implemented,,\n7.4,no,No secure area of our own,,,\n"
    imported = admin.post(
        f"{PROJECT}/soa/import",
        files={"file": ("soa.csv", csv.encode(), "text/csv")},
        headers={"If-Match": '"v1"'},
    )
    assert imported.status_code == 200, imported.text
    assert (imported.json()["changed"], imported.json()["decided"]) == (["5.1", "7.4"], 2)
    sheet = admin.get(f"{PROJECT}/soa/export", params={"lang": "ja"})
    assert sheet.headers["content-type"] == XLSX
    assert 'filename="acme-isms-soa.xlsx"' in sheet.headers["content-disposition"]
    rows = list(load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True))
    assert any(row[1] == "5.1" and "Approved by the CEO" in row for row in rows)
    text = admin.get(f"{PROJECT}/soa/export", params={"format": "csv"})
    assert text.headers["content-type"] == "text/csv; charset=utf-8"
    assert "No secure area of our own" in text.content.decode("utf-8-sig")
    bad_format = admin.get(f"{PROJECT}/soa/export", params={"format": "pdf"})
    assert bad_format.status_code == 422


def test_a_bad_soa_upload_saves_nothing(admin: httpx.Client) -> None:
    csv = "control_id,applicable,justification\n5.1,yes,\n5.99,no,Not ours\n"
    refused = admin.post(
        f"{PROJECT}/soa/import",
        files={"file": ("soa.csv", csv.encode(), "text/csv")},
        headers={"If-Match": '"v1"'},
    )
    assert refused.status_code == 400
    assert refused.json()["detail"].startswith("soa.csv: 2 bad rows, nothing was imported")
    assert admin.get(f"{PROJECT}/soa").json()["decided"] == 0


def test_the_roster_courses_and_completions_give_the_coverage(admin: httpx.Client) -> None:
    person = {
        "employee_id": "E1001",
        "name": "佐藤 花子",
        "department": "Development",
        "role": "Engineer",
        "joined": "2024-04-01",
    }
    tag = admin.post(f"{PROJECT}/training/staff", json=person, headers={"If-Match": '"v1"'})
    roster = "employee_id,name,department,role,joined\nE1002,鈴木 健,QA,Tester,2025-10-01\n"
    imported = admin.post(
        f"{PROJECT}/training/staff/import",
        files={"file": ("roster.csv", roster.encode("utf-8-sig"), "text/csv")},
        headers={"If-Match": tag.headers["ETag"]},
    )
    assert imported.json()["added"] == 1
    course = {"key": "awareness", "title": "Security awareness", "validity_months": 12}
    added = admin.post(
        f"{PROJECT}/training/courses", json=course, headers={"If-Match": imported.headers["ETag"]}
    )
    completion = {"employee_id": "E1001", "course": "awareness", "completed_on": "2026-02-01"}
    done = admin.post(
        f"{PROJECT}/training/completions",
        json=completion,
        headers={"If-Match": added.headers["ETag"]},
    )
    assert done.status_code == 201 and done.json()["valid_until"] == "2027-02-01"
    status = admin.get(f"{PROJECT}/training/status").json()
    assert (status["in_scope"], status["covered"], status["percent"]) == (2, 1, 50)
    assert [m["employee_id"] for m in status["missing"]] == ["E1002"]
    staff = admin.get(f"{PROJECT}/training/staff").json()["items"]
    assert [(p["department"], p["employee_id"]) for p in staff] == [
        ("Development", "E1001"),
        ("QA", "E1002"),
    ]


def test_a_leaving_is_recorded_and_completions_page_newest_first(app: App, world: World) -> None:
    training.add_staff(
        app, ref="acme/isms", employee_id="E1", name="Sato", department="Dev", role="Eng",
        joined=date(2024, 4, 1), actor="hr",
    )  # fmt: skip
    training.add_course(app, ref="acme/isms", key="awareness", title="Awareness", actor="hr")
    for day in (date(2025, 4, 1), date(2025, 10, 1), date(2026, 3, 1)):
        training.record_completion(
            app, ref="acme/isms", employee_id="E1", course="awareness", completed_on=day, actor="hr"
        )
    with world.client(email_of("project_manager")) as http:
        tag = http.get(f"{PROJECT}/training/staff").headers["ETag"]
        left = http.patch(
            f"{PROJECT}/training/staff/E1",
            json={"left_on": "2026-03-31"},
            headers={"If-Match": tag},
        )
        assert left.status_code == 200 and left.json()["left_on"] == "2026-03-31"
        first = http.get(f"{PROJECT}/training/completions", params={"limit": 2}).json()
        rest = http.get(
            f"{PROJECT}/training/completions", params={"limit": 2, "cursor": first["next_cursor"]}
        ).json()
        clash = http.patch(
            f"{PROJECT}/training/staff/E1",
            json={"left_on": "2026-04-30", "clear_left": True},
            headers={"If-Match": left.headers["ETag"]},
        )
    days = [c["completed_on"] for c in first["items"] + rest["items"]]
    assert days == ["2026-03-01", "2025-10-01", "2025-04-01"] and rest["next_cursor"] is None
    assert clash.status_code == 400 and "not both" in clash.json()["detail"]
