"""Use cases: the only way in. Each opens one unit of work and returns plain result models."""

__all__: list[str] = []
