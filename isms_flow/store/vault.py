"""Content-addressed evidence files: stored once under their SHA-256, never overwritten."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from isms_flow.errors import BadInput, IntegrityFailure

__all__ = ["StoredBlob", "Vault", "VaultProblem"]

_CHUNK = 1 << 20


@dataclass(frozen=True)
class StoredBlob:
    """A file now in the vault."""

    sha256: str
    size: int


@dataclass(frozen=True)
class VaultProblem:
    """A recorded file that is missing or whose bytes changed."""

    sha256: str
    problem: str  # "missing" or "changed"
    detail: str


class Vault:
    """A folder of files named by their SHA-256 (`ab/abcdef…`)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path_for(self, sha256: str) -> Path:
        """Where the file with this digest lives."""
        return self.root / sha256[:2] / sha256

    def put_file(self, source: Path) -> StoredBlob:
        """Copy `source` into the vault; a file already there is kept as it is."""
        _check_readable(source)
        try:
            with source.open("rb") as stream:
                return self.put_stream(stream)
        except PermissionError:
            raise BadInput(f"file {source} cannot be read (permission denied)") from None

    def measure(self, source: Path) -> StoredBlob:
        """The digest and size `put_file` would store, without storing anything."""
        _check_readable(source)
        try:
            sha256, size = self._hash(source), source.stat().st_size
        except PermissionError:
            raise BadInput(f"file {source} cannot be read (permission denied)") from None
        if size == 0:
            raise BadInput("the file is empty; evidence must have content")
        return StoredBlob(sha256, size)

    def checked_path(self, sha256: str, size: int) -> Path:
        """The stored file, re-hashed first; IntegrityFailure (naming no path) if it changed."""
        path = self.path_for(sha256)
        if not path.is_file():
            raise IntegrityFailure(f"evidence file {sha256[:12]}… is missing from the vault")
        if path.stat().st_size != size or self._hash(path) != sha256:
            raise IntegrityFailure(
                f"evidence file {sha256[:12]}… no longer matches its SHA-256; it is not served"
            )
        return path

    def put_stream(self, stream: BinaryIO) -> StoredBlob:
        """Store what `stream` yields; an empty stream is refused."""
        self.root.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        fd, temp_name = tempfile.mkstemp(prefix=".upload-", dir=self.root)
        temp = Path(temp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                while chunk := stream.read(_CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
                    size += len(chunk)
                out.flush()
                os.fsync(out.fileno())
            if size == 0:
                raise BadInput("the file is empty; evidence must have content")
            blob = StoredBlob(digest.hexdigest(), size)
            target = self.path_for(blob.sha256)
            if target.exists():
                return blob
            target.parent.mkdir(exist_ok=True)
            temp.chmod(0o444)  # evidence is never edited in place
            temp.replace(target)
            return blob
        finally:
            temp.unlink(missing_ok=True)

    def verify(self, recorded: Iterable[tuple[str, int]]) -> list[VaultProblem]:
        """Re-hash every recorded file; return each one missing or changed."""
        problems: list[VaultProblem] = []
        for sha256, size in sorted(set(recorded)):
            path = self.path_for(sha256)
            if not path.is_file():
                problems.append(VaultProblem(sha256, "missing", f"{path} does not exist"))
                continue
            actual = self._hash(path)
            if actual != sha256:
                problems.append(
                    VaultProblem(sha256, "changed", f"{path} now hashes to {actual[:12]}…")
                )
            elif path.stat().st_size != size:
                problems.append(VaultProblem(sha256, "changed", f"{path} size differs"))
        return problems

    @staticmethod
    def _hash(path: Path) -> str:
        digest = hashlib.sha256()
        with path.open("rb") as stream:
            while chunk := stream.read(_CHUNK):
                digest.update(chunk)
        return digest.hexdigest()


def _check_readable(source: Path) -> None:
    if not source.exists():
        raise BadInput(f"file {source} not found")
    if not source.is_file():
        raise BadInput(f"{source} is not a regular file")
