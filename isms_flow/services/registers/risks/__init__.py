"""Risk register (6.1.2, 6.1.3, 8.2): method, assets, risks, treatments, acceptances, CSV.

The package is the register module of `services.registers`: it loads the snapshot parts
"risks" (the pure `isms.risk.RiskRegister`) and "risk_controls" (Annex A ids chosen in risk
treatments, read by the SoA), and fills the register for the demo's risk requirements.
"""

from __future__ import annotations

from collections.abc import Mapping

from isms_flow.services.registers import BulkPartLoader, DemoFiller, PartLoader
from isms_flow.services.registers.risks.acceptance import accept_risk
from isms_flow.services.registers.risks.assessment import (
    add_risk,
    score_residual,
    score_risk,
    treat_risk,
    update_risk,
)
from isms_flow.services.registers.risks.assets import (
    add_asset,
    list_assets,
    set_method,
    show_method,
    update_asset,
)
from isms_flow.services.registers.risks.demo import fill_risks
from isms_flow.services.registers.risks.files import (
    export_register,
    export_register_data,
    import_register,
    import_register_data,
)
from isms_flow.services.registers.risks.listing import list_risks, risk_heatmap
from isms_flow.services.registers.risks.register import (
    load_risk_controls,
    load_risk_controls_of,
    load_risks,
    load_risks_of,
)

__all__ = [
    "DEMO_FILLERS",
    "SNAPSHOT_BULK_PARTS",
    "SNAPSHOT_PARTS",
    "accept_risk",
    "add_asset",
    "add_risk",
    "export_register",
    "export_register_data",
    "import_register",
    "import_register_data",
    "list_assets",
    "list_risks",
    "risk_heatmap",
    "score_residual",
    "score_risk",
    "set_method",
    "show_method",
    "treat_risk",
    "update_asset",
    "update_risk",
]

SNAPSHOT_PARTS: Mapping[str, PartLoader] = {
    "risks": load_risks,
    "risk_controls": load_risk_controls,
}
SNAPSHOT_BULK_PARTS: Mapping[str, BulkPartLoader] = {
    "risks": load_risks_of,
    "risk_controls": load_risk_controls_of,
}
DEMO_FILLERS: Mapping[str, DemoFiller] = dict.fromkeys(
    ("risks_scored", "risks_treated", "residual_risks_accepted", "treatments_planned"), fill_risks
)
