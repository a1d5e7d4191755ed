"""`isms-flow audits …` as a user drives it: record, raise, accept, verify, --json, ja, refusals."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tests.e2e.conftest import Cli

# The real clock runs here: keep every date well inside the last 12 months of Tokyo's today.
TODAY = datetime.now(ZoneInfo("Asia/Tokyo")).date()
LAST_MONTH = (TODAY - timedelta(days=30)).isoformat()
DUE = (TODAY + timedelta(days=30)).isoformat()


def record_audit(cli: Cli, ref: str, *extra: str) -> dict[str, object]:
    """An internal audit of Development by QA's auditor, last month, as JSON."""
    result = cli.call(
        "audits", "add", ref, "--kind", "internal", "--start", LAST_MONTH,
        "--auditor", "山田 直樹", "--auditor-department", "Quality Assurance",
        "--area", "Development", "--clauses", "4-10", "--controls", "A.5.1-A.5.37,A.8.8",
        "--json", *extra,
    )  # fmt: skip
    return result.ok().json()  # type: ignore[no-any-return]


def raise_minor(cli: Cli, ref: str, audit: str) -> str:
    """A minor nonconformity with a full plan owned by suzuki.it; returns its key."""
    result = cli.call(
        "audits", "finding-add", ref, audit, "--grade", "minor", "--clause", "8.1",
        "--control", "A.8.8", "--description", "Patches 45 days late on 3 build servers.",
        "--root-cause", "Not in the patching group.", "--correction", "Patched.",
        "--corrective-action", "Joined the patching group.", "--owner", "suzuki.it",
        "--due", DUE, "--json",
    )  # fmt: skip
    return str(result.ok().json()["key"])


def test_an_audit_and_its_finding_walk_to_closed_through_the_command_line(
    cli: Cli, acme: str
) -> None:
    audit = record_audit(cli, acme)
    assert (audit["key"], audit["kind_title"], audit["performed"]) == (
        "IA-" + LAST_MONTH[:4] + "-1",
        "Internal audit",
        True,
    )
    assert audit["clauses"] == ["4", "5", "6", "7", "8", "9", "10"]
    key = raise_minor(cli, acme, str(audit["key"]))
    assert key == "F-001"

    accepted = cli.call("audits", "accept-plan", acme, key, actor="sato.isms").ok()
    assert accepted.out.strip() == "✓ F-001: corrective action plan accepted by sato.isms"
    cli.call("audits", "correct", acme, key, actor="suzuki.it").ok()
    verified = cli.call(
        "audits", "verify", acme, key, "--effectiveness", "Patch age report green for 6 weeks.",
        "--json", actor="yamada.audit",
    ).ok().json()  # fmt: skip
    assert (verified["status"], verified["verified_by"]) == ("verified", "yamada.audit")
    cli.call("audits", "close", acme, key).ok()
    [listed] = cli.call("audits", "findings", acme, "--json").ok().json()
    assert (listed["key"], listed["status"], listed["grade"]) == ("F-001", "closed", "minor")
    assert cli.call("audits", "findings", acme, "--open", "--json").ok().json() == []


def test_the_owner_verifying_their_own_action_exits_2_and_changes_nothing(
    cli: Cli, acme: str
) -> None:
    key = raise_minor(cli, acme, str(record_audit(cli, acme)["key"]))
    cli.call("audits", "accept-plan", acme, key, "--by", "jqa.lead-auditor").ok()
    cli.call("audits", "correct", acme, key).ok()
    events = cli.events()
    refused = cli.call(
        "audits", "verify", acme, key, "--effectiveness", "I checked it myself.",
        actor="suzuki.it",
    ).fails(2)  # fmt: skip
    assert refused.err.strip() == (
        "error: suzuki.it owns F-001: the effectiveness of a corrective action must be verified "
        "by someone other than its owner"
    )
    assert cli.events() == events
    [finding] = cli.call("audits", "findings", acme, "--json").ok().json()
    assert finding["status"] == "corrected"


def test_bad_input_exits_2_with_one_line_and_saves_nothing(cli: Cli, acme: str) -> None:
    events = cli.events()
    bad_date = cli.call(
        "audits", "add", acme, "--kind", "internal", "--start", "2026-02-30", "--auditor", "Y"
    ).fails(2)  # fmt: skip
    assert bad_date.err.strip() == "error: --start '2026-02-30' is not a date (use YYYY-MM-DD)"
    unknown = cli.call(
        "audits", "add", acme, "--kind", "internal", "--start", LAST_MONTH, "--auditor", "Y",
        "--auditor-department", "QA", "--area", "Dev", "--controls", "A.5.38", "--json",
    ).fails(2)  # fmt: skip
    assert unknown.json()["error"]["type"] == "NotFound"
    assert unknown.json()["error"]["message"].startswith("Annex A control 'A.5.38' not found")
    missing = cli.call("audits", "close", acme, "F-404").fails(2)
    assert missing.err.strip() == (
        "error: finding F-404 not found: see `isms-flow audits findings PROJECT`"
    )
    assert cli.events() == events
    assert cli.call("audits", "list", acme, "--json").ok().json() == []


def test_findings_and_coverage_read_in_japanese(cli: Cli, acme: str) -> None:
    audit = record_audit(cli, acme)
    raise_minor(cli, acme, str(audit["key"]))
    table = cli.call("audits", "findings", acme, "--lang", "ja").ok().out
    assert "軽微な不適合" in table and "未対応" in table and "箇条" in table
    coverage = cli.call("audits", "coverage", acme, "--lang", "ja").ok().out
    assert "組織の状況" in coverage and "技術的管理策" in coverage and "1/34" in coverage
    data = cli.call("audits", "coverage", acme, "--json").ok().json()
    assert (data["have"], data["need"], data["complete"]) == (7 + 38, 7 + 93, False)
    assert data["missing_clauses"] == [] and data["audits"] == [audit["key"]]
    assert [t["covered"] for t in data["themes"]] == [37, 0, 0, 1]


def test_an_auditor_of_their_own_department_is_warned_by_the_real_command(
    cli: Cli, acme: str
) -> None:
    result = cli.run(
        "audits", "add", acme, "--kind", "internal", "--start", LAST_MONTH,
        "--auditor", "Sato", "--auditor-department", "Development", "--area", "development",
    ).ok()  # fmt: skip
    assert "not independent: Sato of Development audits their own department" in result.out
    listing = cli.run("audits", "list", acme).ok().out
    assert "not independent" in listing and "IA-" in listing
