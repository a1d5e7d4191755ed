"""Training register (7.2/7.3): roster, courses, completions, CSV imports and coverage.

The package is the register module of `services.registers`: it loads the snapshot part
"training" and fills the register for the demo's `training_coverage` requirement.
"""

from __future__ import annotations

from collections.abc import Mapping

from isms_flow.services.registers import BulkPartLoader, DemoFiller, PartLoader
from isms_flow.services.registers.training.demo import fill_training
from isms_flow.services.registers.training.imports import (
    import_completions,
    import_completions_data,
    import_staff,
    import_staff_data,
)
from isms_flow.services.registers.training.register import load_training, load_training_of
from isms_flow.services.registers.training.roster import (
    add_course,
    add_staff,
    list_completions,
    list_courses,
    list_staff,
    record_completion,
    update_staff,
)
from isms_flow.services.registers.training.status import training_status

__all__ = [
    "DEMO_FILLERS",
    "SNAPSHOT_PARTS",
    "add_course",
    "add_staff",
    "import_completions",
    "import_completions_data",
    "import_staff",
    "import_staff_data",
    "list_completions",
    "list_courses",
    "list_staff",
    "record_completion",
    "training_status",
    "update_staff",
]

SNAPSHOT_PARTS: Mapping[str, PartLoader] = {"training": load_training}
SNAPSHOT_BULK_PARTS: Mapping[str, BulkPartLoader] = {"training": load_training_of}
DEMO_FILLERS: Mapping[str, DemoFiller] = {"training_coverage": fill_training}
