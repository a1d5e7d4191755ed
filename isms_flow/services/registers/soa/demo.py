"""The demo's Statement of Applicability: a small SaaS developer, cloud-hosted on AWS, with a
leased floor in a Tokyo office building, deciding all 93 controls in one CSV import.

It excludes only what such a company can defend in front of an auditor (no server room, no
owned cabling, no outsourced development), links controls to the risks whose treatments chose
them and to the documents already uploaded, and keeps every risk-chosen control applicable.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from isms_flow.bootstrap import App
from isms_flow.i18n import Language
from isms_flow.isms.annex_a import Control, annex_a_controls
from isms_flow.services import evidence
from isms_flow.services.demo import DemoStep
from isms_flow.services.lookup import find_project
from isms_flow.services.registers.soa.decisions import init_soa
from isms_flow.services.registers.soa.imports import import_soa
from isms_flow.services.registers.soa.register import risk_controls
from isms_flow.services.registers.soa.show import show_soa
from isms_flow.store.tables.risks import RiskRow

if TYPE_CHECKING:
    from isms_flow.workflow.requirements import Requirement

__all__ = ["fill_soa"]

_DECIDER = "sato.isms"
_PLAN = "risk treatment plan 2026"

_EXCLUDED: Mapping[str, str] = {
    "7.4": "No secure area of our own to monitor: production runs on AWS (Tokyo region, "
    "covered by AWS's ISO/IEC 27001 certificate) and the leased office floor holds no servers; "
    "the building's 24-hour entry control covers the office.",
    "7.6": "No secure areas are defined: there is no server room or data centre, and no "
    "information processing facility sits in the office.",
    "7.11": "No on-premises servers or network equipment: power and air conditioning of the "
    "leased floor are the landlord's, and production relies on AWS data centres.",
    "7.12": "No owned cabling: the office uses the building's managed network and a leased "
    "fibre line; production traffic never crosses office cabling.",
    "8.30": "No development is outsourced: all software is designed, built and tested by "
    "employees of the development division (procurement records 2025–2026).",
}

# (status, justification) of controls whose reason is worth saying specifically.
_SPECIFIC: Mapping[str, tuple[str, str]] = {
    "5.1": (
        "implemented",
        "The information security policy approved by the CEO is the base of the ISMS (clause 5.2).",
    ),
    "5.7": (
        "partial",
        "SRE reads JPCERT/CC alerts and AWS Security Hub findings; a monthly "
        "threat intelligence review starts in Q2 2026.",
    ),
    "5.9": (
        "implemented",
        "The information asset inventory is the starting point of the risk assessment.",
    ),
    "5.23": (
        "partial",
        "Production runs on AWS and daily work on Google Workspace, GitHub and "
        "Slack; AWS and GitHub are reviewed, the other reviews are due by 2026-06.",
    ),
    "5.30": (
        "partial",
        "Service continuity relies on AWS multi-AZ; the first restore test of "
        "the ICT continuity plan is scheduled for 2026-06.",
    ),
    "5.31": (
        "implemented",
        "APPI (個人情報保護法) and customer contracts set requirements "
        "identified in the context analysis.",
    ),
    "6.7": (
        "implemented",
        "Most staff work from home part of the week: remote working rules, "
        "managed laptops and zero-trust access apply.",
    ),
    "7.7": (
        "implemented",
        "Shared office building with visitors, and home offices: clear desk "
        "and clear screen rules.",
    ),
    "7.9": (
        "implemented",
        "Laptops leave the office daily (remote work, customer visits): full-"
        "disk encryption and MDM with remote wipe.",
    ),
    "7.10": (
        "implemented",
        "USB storage is blocked by MDM; the few allowed media (offline "
        "backups of signing keys) are encrypted and logged.",
    ),
    "8.11": (
        "planned",
        "Staging is loaded with production-like data; masking of personal data "
        "in staging is planned for 2026-06 in the " + _PLAN + ".",
    ),
    "8.12": (
        "partial",
        "Google Workspace DLP rules are live; endpoint DLP on laptops is being rolled out.",
    ),
    "8.13": (
        "implemented",
        "Production databases are backed up with AWS Backup across regions; "
        "restores are tested monthly.",
    ),
    "8.16": (
        "partial",
        "GuardDuty and CloudTrail alerts page the on-call SRE; monitoring of SaaS "
        "admin logs is being added.",
    ),
    "8.25": (
        "implemented",
        "Software development is the core business: secure development life "
        "cycle with threat modelling for new features.",
    ),
    "8.28": (
        "implemented",
        "Secure coding standard, mandatory code review and SAST in CI for every repository.",
    ),
}

_BY_THEME: Mapping[int, str] = {
    5: "An organizational control every team in the scope follows; required by the ISMS "
    "policy and the " + _PLAN + ".",
    6: "Applies to every person in the scope, from hiring to leaving; required by the "
    + _PLAN
    + ".",
    7: "The Tokyo office and staff laptops hold customer data; required by the " + _PLAN + ".",
    8: "The SaaS platform on AWS and developer laptops process customer data; required by the "
    + _PLAN
    + ".",
}

# Documents uploaded in earlier stages that show a control in place.
_EVIDENCE_OF: Mapping[str, tuple[str, ...]] = {
    "information_security_policy": ("5.1",),
    "asset_inventory": ("5.9",),
    "context_analysis": ("5.31",),
    "isms_procedures": ("5.15", "5.18", "5.24", "5.26", "5.37", "8.2", "8.5"),
}


def fill_soa(
    app: App, ref: str, requirement: Requirement, folder: Path, lang: Language
) -> Iterator[DemoStep]:
    """Initialise the SoA and decide all 93 controls from a CSV, as a consultant would."""
    started = init_soa(app, ref=ref, actor=_DECIDER)
    if started.saved:
        yield DemoStep("evidence", f"SoA initialised: {len(started.controls)} Annex A controls")
    chosen, risks_of = _risk_links(app, ref)
    documents = _documents(app, ref, lang)
    path = folder / "statement-of-applicability.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(
            ["control_id", "applicable", "justification", "status", "risk_keys", "evidence_ids"]
        )
        for control in annex_a_controls():
            writer.writerow(_row(control, chosen, risks_of, documents))
    done = import_soa(app, ref=ref, file=path, actor=_DECIDER)
    soa = show_soa(app, ref=ref, lang=lang)
    statuses = ", ".join(f"{count} {status}" for status, count in soa.statuses.items() if count)
    text = (
        f"SoA imported from {done.file}: {done.decided}/{done.total} controls decided — "
        f"{soa.applicable} applicable ({statuses}), {soa.excluded} excluded: "
        + ", ".join(e.control for e in soa.entries if e.verdict == "excluded")
    )
    if chosen:
        text += f"; the {len(chosen)} controls chosen in risk treatments are all applicable"
    yield DemoStep("evidence", text)


def _row(
    control: Control,
    chosen: frozenset[str],
    risks_of: Mapping[str, list[str]],
    documents: Mapping[str, list[int]],
) -> list[str]:
    """One CSV row: the exclusion if defensible and no risk chose the control, else applicable."""
    links = [
        ";".join(risks_of.get(control.id, ())),
        ";".join(str(i) for i in documents.get(control.id, ())),
    ]
    if control.id in _EXCLUDED and control.id not in chosen:
        return [control.id, "no", _EXCLUDED[control.id], "", *links]
    status, reason = _SPECIFIC.get(control.id, ("implemented", _BY_THEME[control.theme_number]))
    return [control.id, "yes", reason, status, *links]


def _risk_links(app: App, ref: str) -> tuple[frozenset[str], dict[str, list[str]]]:
    """Controls chosen in risk treatments, and the risks each treats (from the risk table)."""
    with app.uow() as uow:
        project = find_project(uow.session, ref)
        chosen = risk_controls(uow.session, project) or frozenset()
        risks_of: dict[str, list[str]] = {}
        rows = uow.session.execute(
            select(RiskRow.key, RiskRow.controls).where(RiskRow.project_id == project.id)
        )
        for key, controls in rows:
            for control in controls or ():
                risks_of.setdefault(str(control).removeprefix("A."), []).append(key)
    # A control linked to a risk treats it, so it is applicable even if no loader said so.
    return chosen | frozenset(risks_of), risks_of


def _documents(app: App, ref: str, lang: Language) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for document in evidence.list_evidence(app, ref=ref, lang=lang):
        for control in _EVIDENCE_OF.get(document.kind, ()):
            found.setdefault(control, []).append(document.id)
    return found
