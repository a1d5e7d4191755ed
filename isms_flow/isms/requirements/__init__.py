"""Requirement types that read the ISMS registers; each module registers its types.

Every module in this package is imported when the requirement registry is first used.
"""

__all__: list[str] = []
