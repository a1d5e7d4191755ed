"""The risk register over HTTP: a risk from threat to the owner's acceptance, paging, and the
CSV import (multipart upload) and export (download)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from isms_flow.bootstrap import App
from isms_flow.config import Settings
from isms_flow.services.registers import risks as service
from tests.api.conftest import World, email_of

PROJECT = "/clients/acme/projects/isms"
OWNER = email_of("project_manager")
ASSETS = "key,name,owner,confidentiality,integrity,availability,description\n"
ASSETS += "A-001,顧客データベース,suzuki,3,3,3,RDS\n"
UPLOAD_LIMIT = 64 * 1024


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """The test installation, with a small upload limit to pass."""
    return Settings(data_dir=tmp_path / "data", actor="tester", max_upload_bytes=UPLOAD_LIMIT)


def changed(response: httpx.Response) -> str:
    """The ETag of a successful change."""
    assert response.status_code in (200, 201), response.text
    return response.headers["ETag"]


def test_a_risk_is_scored_treated_and_accepted_by_its_owner(world: World) -> None:
    with world.client(email_of("consultant")) as consultant, world.client(OWNER) as owner:
        tag = consultant.get(f"{PROJECT}/risks").headers["ETag"]
        new = {"threat": "Ransomware", "owner": OWNER, "likelihood": 4, "impact": 5}
        added = consultant.post(f"{PROJECT}/risks", json=new, headers={"If-Match": tag})
        tag = changed(added)
        assert added.json()["risk"]["key"] == "R-001" and added.json()["risk"]["rating"] == 20
        treatment = {"option": "modify", "controls": ["8.13"], "owner": "it", "due": "2026-06-30"}
        tag = changed(
            consultant.put(
                f"{PROJECT}/risks/R-001/treatment", json=treatment, headers={"If-Match": tag}
            )
        )
        residual = consultant.put(
            f"{PROJECT}/risks/R-001/residual",
            json={"likelihood": 3, "impact": 3},
            headers={"If-Match": tag},
        )
        tag = changed(residual)
        not_owner = consultant.post(f"{PROJECT}/risks/R-001/acceptance", headers={"If-Match": tag})
        assert not_owner.status_code == 403
        assert OWNER in not_owner.json()["detail"]
        accepted = owner.post(f"{PROJECT}/risks/R-001/acceptance", headers={"If-Match": tag})
        changed(accepted)
        risk = owner.get(f"{PROJECT}/risks").json()["items"][0]
    assert (risk["residual_rating"], risk["accepted_by"], risk["acceptance"]) == (
        9,
        OWNER,
        "current",
    )
    assert risk["controls"] == ["8.13"] and risk["flags"] == []


def test_the_register_reads_as_summary_heatmap_and_filtered_pages(
    app: App, admin: httpx.Client
) -> None:
    for threat, likelihood in (("Flood", 1), ("Theft", 3), ("Phishing", 5)):
        service.add_risk(
            app,
            ref="acme/isms",
            threat=threat,
            owner="sato",
            likelihood=likelihood,
            impact=2,
            actor="sato",
        )
    service.add_risk(app, ref="acme/isms", threat="Unscored", owner="tanaka", actor="sato")
    first = admin.get(f"{PROJECT}/risks", params={"limit": 3})
    assert [r["threat"] for r in first.json()["items"]] == ["Flood", "Theft", "Phishing"]
    assert 'rel="next"' in first.headers["Link"]
    rest = admin.get(f"{PROJECT}/risks", params={"limit": 3, "cursor": first.json()["next_cursor"]})
    assert [r["key"] for r in rest.json()["items"]] == ["R-004"]
    assert rest.json()["next_cursor"] is None
    unscored = admin.get(f"{PROJECT}/risks", params={"flag": "unscored"}).json()["items"]
    assert [r["threat"] for r in unscored] == ["Unscored"]
    summary = admin.get(f"{PROJECT}/risks/summary", params={"lang": "ja"}).json()
    assert (summary["total"], summary["scored"]) == (4, 3)
    assert summary["progress"][0] == "評価済みリスク 3/4"
    heatmap = admin.get(f"{PROJECT}/risks/heatmap").json()
    assert heatmap["placed"] == 3 and heatmap["unplaced"] == ["R-004"]
    unknown = admin.get(f"{PROJECT}/risks", params={"flag": "purple"})
    assert unknown.status_code == 400 and "unknown flag 'purple'" in unknown.json()["detail"]


def test_assets_and_the_method_change_over_http(admin: httpx.Client) -> None:
    asset = {
        "name": "File server",
        "owner": "suzuki",
        "confidentiality": 3,
        "integrity": 2,
        "availability": 2,
    }
    added = admin.post(f"{PROJECT}/risks/assets", json=asset, headers={"If-Match": '"v1"'})
    assert added.status_code == 201 and added.json()["key"] == "A-001"
    patched = admin.patch(
        f"{PROJECT}/risks/assets/A-001", json={"owner": "sato"}, headers={"If-Match": '"v2"'}
    )
    assert patched.json()["owner"] == "sato" and patched.json()["cia"] == added.json()["cia"]
    method = admin.put(
        f"{PROJECT}/risks/method",
        json={"likelihood_levels": 3, "impact_levels": 3, "acceptance_threshold": 4},
        headers={"If-Match": patched.headers["ETag"]},
    )
    assert method.json()["max_rating"] == 9 and method.headers["ETag"] == '"v4"'
    assert admin.get(f"{PROJECT}/risks/method").json()["default"] is False
    assert [a["owner"] for a in admin.get(f"{PROJECT}/risks/assets").json()["items"]] == ["sato"]


def test_a_csv_upload_is_imported_and_the_export_downloads_it_back(admin: httpx.Client) -> None:
    risks = "key,asset,threat,vulnerability,owner,likelihood,impact\n"
    risks += "R-001,A-001,不正アクセス,No MFA,suzuki,4,5\n"
    assets = admin.post(
        f"{PROJECT}/risks/import",
        params={"kind": "assets"},
        files={"file": ("assets.csv", ASSETS.encode("utf-8-sig"), "text/csv")},
        headers={"If-Match": '"v1"'},
    )
    assert assets.json()["added"] == ["A-001"]
    imported = admin.post(
        f"{PROJECT}/risks/import",
        files={"file": ("risks.csv", risks.encode("cp932"), "text/csv")},
        data={"encoding": "cp932"},
        headers={"If-Match": assets.headers["ETag"]},
    )
    assert imported.status_code == 200, imported.text
    assert (imported.json()["file"], imported.json()["added"]) == ("risks.csv", ["R-001"])
    export = admin.get(f"{PROJECT}/risks/export")
    assert export.headers["content-type"] == "text/csv; charset=utf-8"
    assert 'filename="acme-isms-risks.csv"' in export.headers["content-disposition"]
    assert export.content.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for Japanese
    assert "R-001,A-001,不正アクセス,No MFA,suzuki,4,5" in export.content.decode("utf-8-sig")


def test_a_bad_upload_names_its_rows_and_saves_nothing(admin: httpx.Client) -> None:
    bad = ASSETS + "A-002,Laptops,suzuki,7,2,2,\n,,suzuki,1,1,1,\n"
    refused = admin.post(
        f"{PROJECT}/risks/import",
        params={"kind": "assets"},
        files={"file": ("C:\\Users\\sato\\assets.csv", bad.encode(), "text/csv")},
        headers={"If-Match": '"v1"'},
    )
    assert refused.status_code == 400
    detail = refused.json()["detail"]
    assert detail.startswith("assets.csv: 2 bad rows, nothing was imported")
    assert "line 3" in detail and "line 4" in detail and "Users" not in detail
    not_text = admin.post(
        f"{PROJECT}/risks/import",
        files={"file": ("risks.csv", "key,threat\nR-1,不正\n".encode("cp932"), "text/csv")},
        headers={"If-Match": '"v1"'},
    )
    assert not_text.status_code == 400 and "line 2: not utf-8-sig text" in not_text.json()["detail"]
    for size in (UPLOAD_LIMIT + 1, 20 * UPLOAD_LIMIT):  # just over; far over, cut off early
        too_large = admin.post(
            f"{PROJECT}/risks/import",
            files={"file": ("risks.csv", b"x" * size, "text/csv")},
            headers={"If-Match": '"v1"'},
        )
        assert too_large.status_code == 413
        assert too_large.json()["type"] == "/problems/payload-too-large"
    assert admin.get(f"{PROJECT}/risks/assets").json()["items"] == []
    assert admin.get(f"{PROJECT}/risks").headers["ETag"] == '"v1"'
