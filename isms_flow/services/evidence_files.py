"""Evidence files crossing the boundary: an upload checked before it is stored, a stored version
read back after its hash is checked."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import select

from isms_flow.bootstrap import App
from isms_flow.errors import BadInput, NotFound, PayloadTooLarge
from isms_flow.evidence_types import accepted_media_type, safe_filename
from isms_flow.i18n import Language
from isms_flow.services.evidence import add_evidence
from isms_flow.services.lookup import find_project, project_ref
from isms_flow.services.views import EvidenceView
from isms_flow.store.models import EvidenceDocumentRow, EvidenceVersionRow

__all__ = ["StoredFile", "evidence_content", "upload_evidence"]

_CHUNK = 1 << 20


@dataclass(frozen=True)
class StoredFile:
    """One stored evidence version, its bytes verified; `path` is for serving, never showing."""

    path: Path
    filename: str
    media_type: str
    sha256: str
    size: int


def upload_evidence(
    app: App,
    *,
    ref: str,
    kind: str,
    content: BinaryIO,
    filename: str,
    declared_type: str | None,
    actor: str,
    name: str | None = None,
    effective_date: date | None = None,
    valid_until: date | None = None,
    note: str = "",
    lang: Language = "en",
) -> EvidenceView:
    """Check an uploaded file (name, size, type) and store it as the next version of a document.

    The bytes are copied in chunks to a private temporary file and refused as soon as they pass
    `max_upload_bytes`; the stored media type is the one the content shows. Whatever is
    refused, nothing is stored: no vault file, no row, no event.
    """
    plain_name = safe_filename(filename)
    with tempfile.TemporaryDirectory(prefix="isms-flow-upload-") as folder:
        copy = Path(folder) / "upload"
        _copy_within_limit(content, copy, app.settings.max_upload_bytes)
        with copy.open("rb") as stream:
            media_type = accepted_media_type(stream, filename=plain_name, declared=declared_type)
        return add_evidence(
            app,
            ref=ref,
            kind=kind,
            file=copy,
            actor=actor,
            name=name,
            effective_date=effective_date,
            valid_until=valid_until,
            note=note,
            lang=lang,
            filename=plain_name,
            media_type=media_type,
        )


def evidence_content(app: App, *, ref: str, document_id: int, version: int) -> StoredFile:
    """A version's stored file, re-hashed first (IntegrityFailure if it no longer matches)."""
    with app.uow() as uow:
        session = uow.session
        project = find_project(session, ref)
        document = session.get(EvidenceDocumentRow, document_id)
        if document is None or document.project_id != project.id:
            raise NotFound("evidence", f"#{document_id} of project {project_ref(project)}")
        row = session.scalars(
            select(EvidenceVersionRow).where(
                EvidenceVersionRow.document_id == document.id,
                EvidenceVersionRow.version == version,
            )
        ).first()
        if row is None:
            raise NotFound("version", f"v{version} of evidence #{document.id} '{document.name}'")
        filename, media_type, sha256, size = row.filename, row.media_type, row.sha256, row.size
    # Hashed outside the transaction: a large file must not hold a database connection.
    path = app.vault.checked_path(sha256, size)
    return StoredFile(path, filename, media_type, sha256, size)


def _copy_within_limit(source: BinaryIO, target: Path, limit: int) -> None:
    """Copy `source` to `target` in chunks; PayloadTooLarge once past `limit`, BadInput if empty."""
    size = 0
    with target.open("xb") as out:
        while chunk := source.read(_CHUNK):
            size += len(chunk)
            if size > limit:
                raise PayloadTooLarge(
                    f"the file is larger than the limit of {_size(limit)}; nothing was stored"
                )
            out.write(chunk)
    if size == 0:
        raise BadInput("the file is empty; evidence must have content")


def _size(count: int) -> str:
    if count >= 1 << 20 and count % (1 << 20) == 0:
        return f"{count >> 20} MiB"
    return f"{count:,} bytes"
