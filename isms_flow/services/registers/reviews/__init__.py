"""Management reviews (9.3): meetings, the 9.3.2 inputs they considered, their decisions.

The package is the register module of `services.registers`: it loads the snapshot part
"reviews" and fills the register for the demo's `management_review` requirement.
"""

from __future__ import annotations

from collections.abc import Mapping

from isms_flow.services.registers import BulkPartLoader, DemoFiller, PartLoader
from isms_flow.services.registers.reviews.demo import fill_review
from isms_flow.services.registers.reviews.register import (
    list_reviews,
    load_reviews,
    load_reviews_of,
    record_review,
    show_review,
)

__all__ = ["DEMO_FILLERS", "SNAPSHOT_PARTS", "list_reviews", "record_review", "show_review"]

SNAPSHOT_PARTS: Mapping[str, PartLoader] = {"reviews": load_reviews}
SNAPSHOT_BULK_PARTS: Mapping[str, BulkPartLoader] = {"reviews": load_reviews_of}
DEMO_FILLERS: Mapping[str, DemoFiller] = {"management_review": fill_review}
