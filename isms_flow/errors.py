"""The one error hierarchy: every error builds its own one-line message.

Adapters map these classes to exit codes (CLI) or HTTP statuses (API) in one place each;
nothing else decides how an error is shown.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "AuthenticationFailed",
    "BadInput",
    "ConflictError",
    "GuardBlocked",
    "IntegrityFailure",
    "InvalidTrigger",
    "IsmsFlowError",
    "NotFound",
    "PayloadTooLarge",
    "PermissionDenied",
    "PreconditionFailed",
    "PreconditionRequired",
    "UnsupportedMediaType",
    "WorkflowDefinitionError",
]


class IsmsFlowError(Exception):
    """Base of every error a user may see; `str(error)` is the message."""


class BadInput(IsmsFlowError):
    """A value given by the user is not acceptable."""


class NotFound(IsmsFlowError):
    """A named thing (client, project, evidence, workflow) does not exist."""

    def __init__(self, what: str, key: object, *, hint: str = "") -> None:
        self.what = what
        self.key = key
        message = f"{what} {key!s} not found"
        super().__init__(f"{message}: {hint}" if hint else message)


class WorkflowDefinitionError(IsmsFlowError):
    """A workflow file is broken; each problem is one line `file:line:col: path: reason`."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


class InvalidTrigger(IsmsFlowError):
    """The trigger does not exist for the project's current stage."""

    def __init__(self, trigger: str, state: str, valid: Sequence[str]) -> None:
        self.trigger = trigger
        self.state = state
        self.valid = list(valid)
        choices = ", ".join(self.valid) or "none: this stage is final"
        super().__init__(f"'{trigger}' is not possible from stage '{state}' (possible: {choices})")


class GuardBlocked(IsmsFlowError):
    """Requirements of the stage are unmet; nothing was changed."""

    def __init__(self, trigger: str, state: str, reasons: Sequence[str]) -> None:
        self.trigger = trigger
        self.state = state
        self.reasons = list(reasons)
        lines = "\n".join(f"  - {reason}" for reason in self.reasons)
        super().__init__(f"'{trigger}' from '{state}' is blocked; nothing was changed:\n{lines}")


class ConflictError(IsmsFlowError):
    """Someone else changed the same thing first; nothing of this change was written."""


class PermissionDenied(IsmsFlowError):
    """The actor may not do this (e.g. approve their own override)."""


class IntegrityFailure(IsmsFlowError):
    """Stored history or evidence no longer matches what was recorded."""


class AuthenticationFailed(IsmsFlowError):
    """A presented credential (an API token) is not accepted.

    One message for every reason (unknown, expired, revoked, malformed): telling them apart
    would help someone guessing tokens, and never helps the holder of a real one.
    """

    def __init__(self) -> None:
        super().__init__("invalid or expired token")


class PreconditionFailed(IsmsFlowError):
    """A change named the version it was based on, and the object has moved since."""

    def __init__(self, what: str, expected: int, current: int) -> None:
        self.expected = expected
        self.current = current
        super().__init__(
            f"{what} is at version {current}, not {expected} as the change expected; "
            "nothing was saved — reload it and decide again"
        )


class PreconditionRequired(IsmsFlowError):
    """A change did not say which version it was based on (HTTP: no If-Match)."""


class PayloadTooLarge(BadInput):
    """An uploaded file or request body is over the configured limit."""


class UnsupportedMediaType(BadInput):
    """An uploaded file's content is of a type that is not accepted."""
