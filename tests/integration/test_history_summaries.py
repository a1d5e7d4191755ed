"""Every event the product writes reads as a sentence in `project history`, not a bare type."""

from __future__ import annotations

from isms_flow.bootstrap import App
from isms_flow.services import history
from isms_flow.services.demo import run_demo
from isms_flow.services.event_summaries import summarize


def test_every_demo_event_has_its_own_summary(app: App) -> None:
    steps = list(run_demo(app))
    ref = next(step.ref for step in steps if step.ref)
    events = history.project_history(app, ref=ref)
    kinds = {event.type for event in events}
    # The demo walks every register, so its history holds every kind of register event.
    assert {
        "soa_imported",
        "risks_imported",
        "risk_accepted",
        "audit_added",
        "finding_closed",
    } <= kinds
    assert {"management_review_recorded", "cb_quote_selected", "certificate_recorded"} <= kinds
    for event in events:
        assert event.summary != event.type
        assert not event.summary.startswith(f"{event.type}:"), event.summary


def test_register_summaries_name_the_items() -> None:
    assert (
        summarize(
            "risk_residual_scored",
            {
                "key": "R-007",
                "residual": {
                    "from": {"likelihood": 4, "impact": 4, "rating": 16},
                    "to": {"likelihood": 2, "impact": 3, "rating": 6},
                },
            },
        )
        == "risk R-007 re-scored: residual 4×4=16 → 2×3=6"
    )
    assert (
        summarize("finding_closed", {"finding": "F-002", "audit": "IA-1", "grade": "major"})
        == "finding F-002 (major) closed"
    )


def test_an_unknown_or_older_event_still_shows_its_fields() -> None:
    assert summarize("from_the_future", {"key": "X-1", "count": 3}) == (
        "from_the_future: key=X-1, count=3"
    )
    # A known type missing a field falls back instead of failing the whole history.
    assert summarize("finding_closed", {"finding": "F-1"}) == "finding_closed: finding=F-1"
