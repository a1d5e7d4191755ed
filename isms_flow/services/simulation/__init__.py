"""Simulating the scheduler: the real refresh and dispatch on a scratch copy of the database,
with a simulated clock that jumps from one due moment to the next, and channels that only
record. `isms-flow simulate` forecasts what would fire if nobody did anything."""

from __future__ import annotations

from isms_flow.services.simulation.forecast import simulate_schedule
from isms_flow.services.simulation.recording import RecordingChannel
from isms_flow.services.simulation.stepper import SIMULATION_WORKER, StepReport, run_until
from isms_flow.services.simulation.views import (
    ProjectOutcomeView,
    SimulatedNotificationView,
    SimulationView,
)

__all__ = [
    "SIMULATION_WORKER",
    "ProjectOutcomeView",
    "RecordingChannel",
    "SimulatedNotificationView",
    "SimulationView",
    "StepReport",
    "run_until",
    "simulate_schedule",
]
