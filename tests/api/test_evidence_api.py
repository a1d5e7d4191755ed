"""Evidence over HTTP: upload and download round trip, approvals, restore, roles and tenancy."""

from __future__ import annotations

import hashlib
from urllib.parse import quote

import httpx

from isms_flow.bootstrap import App
from tests.api.conftest import KITA_ADMIN, World, email_of
from tests.api.evidence_support import EVIDENCE, PDF, PROJECT, content_url, upload


def test_an_upload_is_served_back_byte_for_byte(admin: httpx.Client) -> None:
    listed = admin.get(EVIDENCE)
    assert listed.status_code == 200 and listed.json()["items"] == []
    stored = upload(admin, listed.headers["ETag"])
    assert stored.status_code == 201, stored.text
    view = stored.json()
    assert (view["kind"], view["version"], view["filename"]) == ("scope_statement", 1, "scope.pdf")
    assert view["media_type"] == "application/pdf"
    assert view["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert view["uploaded_by"] == email_of("admin")
    assert stored.headers["ETag"] == '"v2"'
    assert stored.headers["Location"] == content_url(view["id"], 1)

    served = admin.get(stored.headers["Location"])
    assert served.status_code == 200
    assert served.content == PDF
    assert hashlib.sha256(served.content).hexdigest() == view["sha256"]
    assert served.headers["ETag"] == f'"{view["sha256"]}"'
    assert served.headers["Content-Type"] == "application/pdf"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert served.headers["Content-Disposition"].startswith("attachment;")
    assert [item["id"] for item in admin.get(EVIDENCE).json()["items"]] == [view["id"]]


def test_a_japanese_file_name_comes_back_as_rfc_6266_utf8(admin: httpx.Client) -> None:
    name = "資産台帳 2026.csv"
    stored = upload(
        admin,
        '"v1"',
        name=name,
        content="資産,所有者\n".encode(),
        media_type="text/csv",
        kind="asset_inventory",
    )
    assert stored.status_code == 201, stored.text
    assert stored.json()["media_type"] == "text/csv"
    served = admin.get(stored.headers["Location"])
    disposition = served.headers["Content-Disposition"]
    assert f"filename*=UTF-8''{quote(name, safe='')}" in disposition
    assert 'filename="____ 2026.csv"' in disposition
    assert served.headers["Content-Type"] == "text/csv; charset=utf-8"


def test_the_content_decides_the_stored_type_not_the_declared_one(admin: httpx.Client) -> None:
    stored = upload(admin, '"v1"', media_type="application/octet-stream")
    assert stored.status_code == 201
    assert stored.json()["media_type"] == "application/pdf"


def test_approve_and_restore_take_if_match_and_move_the_etag(admin: httpx.Client) -> None:
    first = upload(admin, '"v1"').json()
    second = upload(admin, '"v2"', content=PDF + b"% revised\n")
    assert second.json()["version"] == 2
    document = first["id"]

    approved = admin.post(
        f"{EVIDENCE}/{document}/approvals",
        json={"role": "top_management", "note": "signed"},
        headers={"If-Match": '"v3"'},
    )
    assert approved.status_code == 201, approved.text
    assert approved.json()["approvals"][0]["by"] == email_of("admin")
    assert approved.headers["ETag"] == '"v4"'

    without = admin.post(f"{EVIDENCE}/{document}/restore", json={"version": 1})
    assert without.status_code == 428
    restored = admin.post(
        f"{EVIDENCE}/{document}/restore", json={"version": 1}, headers={"If-Match": '"v4"'}
    )
    assert restored.status_code == 200
    assert restored.json()["version"] == 1 and restored.json()["current"] is True
    every = admin.get(EVIDENCE, params={"all_versions": "true"}).json()["items"]
    assert [(v["version"], v["current"]) for v in every] == [(1, True), (2, False)]
    assert admin.get(content_url(document, 2)).content == PDF + b"% revised\n"


def test_an_unknown_role_or_version_is_refused_plainly(admin: httpx.Client) -> None:
    document = upload(admin, '"v1"').json()["id"]
    wrong_role = admin.post(
        f"{EVIDENCE}/{document}/approvals", json={"role": "janitor"}, headers={"If-Match": '"v2"'}
    )
    assert wrong_role.status_code == 400 and "janitor" in wrong_role.json()["detail"]
    assert admin.get(content_url(document, 7)).status_code == 404
    assert admin.get(content_url(document + 100, 1)).status_code == 404


def test_a_viewer_may_not_read_evidence(world: World, admin: httpx.Client) -> None:
    document = upload(admin, '"v1"').json()["id"]
    with world.client(email_of("viewer")) as viewer:
        assert viewer.get(PROJECT).status_code == 200
        listed = viewer.get(EVIDENCE)
        served = viewer.get(content_url(document, 1))
    assert listed.status_code == served.status_code == 403
    assert served.headers["content-type"].startswith("application/problem+json")
    assert PDF.decode() not in served.text


def test_an_auditor_downloads_but_may_not_upload(
    world: World, admin: httpx.Client, app: App
) -> None:
    document = upload(admin, '"v1"').json()["id"]
    with world.client(email_of("auditor")) as auditor:
        assert auditor.get(content_url(document, 1)).content == PDF
        refused = upload(auditor, '"v2"', content=PDF + b"% auditor's own\n")
    assert refused.status_code == 403
    assert refused.json()["type"] == "/problems/forbidden"
    assert len(admin.get(EVIDENCE, params={"all_versions": "true"}).json()["items"]) == 1


def test_a_foreign_clients_evidence_is_not_found(world: World, admin: httpx.Client) -> None:
    gamma = "/clients/gamma/projects/isms"
    with world.client(KITA_ADMIN) as kita:
        theirs = upload(kita, '"v1"', path=f"{gamma}/evidence").json()
    assert admin.get(f"{gamma}/evidence").status_code == 404
    assert admin.get(content_url(theirs["id"], 1, gamma)).status_code == 404
    # Their document number under our own project is no way in either.
    assert admin.get(content_url(theirs["id"], 1)).status_code == 404
    assert upload(admin, '"v2"', path=f"{gamma}/evidence").status_code == 404


def test_a_tampered_vault_file_is_an_integrity_failure_naming_no_path(
    admin: httpx.Client, app: App
) -> None:
    view = upload(admin, '"v1"').json()
    stored = app.vault.path_for(view["sha256"])
    stored.chmod(0o644)
    stored.write_bytes(PDF.replace(b"whole", b"small"))
    served = admin.get(content_url(view["id"], 1))
    assert served.status_code == 500
    problem = served.json()
    assert problem["type"] == "/problems/integrity-failure"
    assert str(app.vault.root) not in served.text and view["sha256"] not in served.text
