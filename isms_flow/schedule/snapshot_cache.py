"""What the messages of a project read, kept between ticks: its current evidence and the
register parts its stages' requirements read, by project id and project version.

Any change to a project bumps its version (evidence, registers and stage changes all do), so
what was read at one version stays true for it; only the day the requirements are judged on
moves, and they are evaluated again for each day (pure and cheap).
"""

from __future__ import annotations

from collections import OrderedDict

__all__ = ["MISSING", "PieceKey", "SnapshotCache"]

PieceKey = tuple[int, int, str]  # project id, project version, register part ("" = evidence)
MISSING = object()
"""What `SnapshotCache.get` returns for a piece it does not keep."""


class SnapshotCache:
    """What the requirements of a project's stages read — its current evidence and each
    register part — by project id and project version, kept across ticks.

    Any change to a project bumps its version, so what was read at one version stays true for
    it. When the scheduler itself moves a project (a fired escalation changes nothing but the
    stage), `carry` keeps the pieces for the new version. Bounded: once `size` project versions
    are kept, the least recently used go first.
    """

    def __init__(self, size: int = 2048) -> None:
        self.size = size
        self._kept: OrderedDict[tuple[int, int], dict[str, object]] = OrderedDict()

    def get(self, key: PieceKey) -> object:
        """The piece kept for (project id, version, part), or `MISSING`."""
        project_id, version, part = key
        pieces = self._kept.get((project_id, version))
        if pieces is None:
            return MISSING
        self._kept.move_to_end((project_id, version))
        return pieces.get(part, MISSING)

    def put(self, key: PieceKey, piece: object) -> None:
        """Keep `piece` for (project id, version, part)."""
        project_id, version, part = key
        self._pieces(project_id, version)[part] = piece

    def carry(self, project_id: int, from_version: int, to_version: int) -> None:
        """Keep what was read at `from_version` for `to_version` too: only the stage moved."""
        pieces = self._kept.get((project_id, from_version))
        if pieces is not None:
            self._pieces(project_id, to_version).update(pieces)

    def _pieces(self, project_id: int, version: int) -> dict[str, object]:
        key = (project_id, version)
        pieces = self._kept.get(key)
        if pieces is None:
            pieces = self._kept[key] = {}
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)
        self._kept.move_to_end(key)
        return pieces
