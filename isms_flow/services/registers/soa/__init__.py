"""Statement of Applicability register (6.1.3 d): decide, show, export and import the SoA.

The package is the register module of `services.registers`: it loads the snapshot parts "soa"
(the pure `isms.soa.Soa`) and "soa_applicable" (ids marked applicable, read by other
registers), and fills the register for the demo's `soa_complete` requirement.
"""

from __future__ import annotations

from collections.abc import Mapping

from isms_flow.services.registers import BulkPartLoader, DemoFiller, PartLoader
from isms_flow.services.registers.soa.decisions import decide_controls, init_soa
from isms_flow.services.registers.soa.demo import fill_soa
from isms_flow.services.registers.soa.exports import SoaFormat, export_soa, export_soa_data
from isms_flow.services.registers.soa.imports import import_soa, import_soa_data
from isms_flow.services.registers.soa.register import (
    load_soa,
    load_soa_applicable,
    load_soa_applicable_of,
    load_soa_of,
)
from isms_flow.services.registers.soa.show import show_soa

__all__ = [
    "DEMO_FILLERS",
    "SNAPSHOT_PARTS",
    "SoaFormat",
    "decide_controls",
    "export_soa",
    "export_soa_data",
    "import_soa",
    "import_soa_data",
    "init_soa",
    "show_soa",
]

SNAPSHOT_PARTS: Mapping[str, PartLoader] = {"soa": load_soa, "soa_applicable": load_soa_applicable}
SNAPSHOT_BULK_PARTS: Mapping[str, BulkPartLoader] = {
    "soa": load_soa_of,
    "soa_applicable": load_soa_applicable_of,
}
DEMO_FILLERS: Mapping[str, DemoFiller] = {"soa_complete": fill_soa}
