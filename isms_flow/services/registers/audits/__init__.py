"""Audits register (9.2 internal audit, certification body audits, 10.2 nonconformities).

The package is the register module of `services.registers`: it loads the snapshot part
"audits" and fills the register for the demo's audit requirements.
"""

from __future__ import annotations

from collections.abc import Mapping

from isms_flow.services.registers import BulkPartLoader, DemoFiller, PartLoader
from isms_flow.services.registers.audits.demo import (
    fill_certification_findings,
    fill_internal_audits,
    fill_stage1,
)
from isms_flow.services.registers.audits.findings import (
    accept_plan,
    add_finding,
    close_finding,
    list_findings,
    mark_corrected,
    update_finding,
    verify_finding,
)
from isms_flow.services.registers.audits.programme import (
    add_audit,
    audit_coverage,
    list_audits,
    update_audit,
)
from isms_flow.services.registers.audits.register import load_audits, load_audits_of

__all__ = [
    "DEMO_FILLERS",
    "SNAPSHOT_PARTS",
    "accept_plan",
    "add_audit",
    "add_finding",
    "audit_coverage",
    "close_finding",
    "list_audits",
    "list_findings",
    "mark_corrected",
    "update_audit",
    "update_finding",
    "verify_finding",
]

SNAPSHOT_PARTS: Mapping[str, PartLoader] = {"audits": load_audits}
SNAPSHOT_BULK_PARTS: Mapping[str, BulkPartLoader] = {"audits": load_audits_of}
DEMO_FILLERS: Mapping[str, DemoFiller] = {
    "internal_audit_coverage": fill_internal_audits,
    "auditor_independence": fill_internal_audits,
    "stage1_concerns": fill_stage1,
    "major_nonconformities": fill_certification_findings,
    "minor_nonconformities": fill_certification_findings,
}
