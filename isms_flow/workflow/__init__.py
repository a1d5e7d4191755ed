"""Workflows as data: schema, loading, requirement evaluation and the compiled state machine.

This package is the pure core: it imports no database, CLI or scheduler code.
"""

__all__: list[str] = []
