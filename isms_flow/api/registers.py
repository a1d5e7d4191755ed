"""What the register routers share: access by role, uploads, downloads.

Register contents are evidence (docs/accounts.md): reading them needs `read_evidence`, so a
viewer who sees where a project stands does not see its risks or findings. Changing them
needs `change_project` and the project's ETag, like every other change to the project: each
register change moves the project's version (`services.changes.record_change`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, File, Form, Path, Response, UploadFile
from pydantic import BaseModel, ConfigDict

from isms_flow.accounts import Action
from isms_flow.api.context import ProjectChange, ProjectRead, project_change, project_read
from isms_flow.api.deps import AppDep, requires
from isms_flow.api.files import attachment
from isms_flow.errors import PayloadTooLarge
from isms_flow.services.register_files import CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE, ExportData

__all__ = [
    "CHANGE",
    "DOWNLOADS",
    "PROJECT_PATH",
    "READ",
    "Body",
    "ChangeRegister",
    "CsvUpload",
    "CsvUploadDep",
    "ReadRegister",
    "RowId",
    "download",
]

PROJECT_PATH = "/clients/{client}/projects/{project}"
READ = requires(Action.READ_EVIDENCE)
CHANGE = requires(Action.CHANGE_PROJECT)

ReadRegister = Annotated[ProjectRead, Depends(project_read(Action.READ_EVIDENCE))]
ChangeRegister = Annotated[ProjectChange, Depends(project_change(Action.CHANGE_PROJECT))]

# Row ids the database can hold: a larger number is refused as input, not by the driver.
RowId = Annotated[int, Path(ge=1, le=2**31 - 1)]

DOWNLOADS: dict[int | str, dict[str, Any]] = {
    200: {"content": {CSV_MEDIA_TYPE: {}, XLSX_MEDIA_TYPE: {}}, "description": "The file"}
}
"""OpenAPI `responses` of a download route."""


class Body(BaseModel):
    """A JSON request body; an unknown field is refused, so a misspelling never goes unseen."""

    model_config = ConfigDict(extra="forbid")


@dataclass(frozen=True)
class CsvUpload:
    """An uploaded CSV file: its bytes, the name the sender gave it, its text encoding."""

    data: bytes
    name: str
    encoding: str


def csv_upload(
    app: AppDep,
    file: Annotated[UploadFile, File(description="CSV with a header row")],
    encoding: Annotated[
        str, Form(max_length=40, description="Text encoding, e.g. utf-8-sig or cp932")
    ] = "utf-8-sig",
) -> CsvUpload:
    """The `file` part of a multipart request; PayloadTooLarge over `max_upload_bytes`.

    Routers taking uploads use `api.files.UploadLimitedRoute`, which refuses a body far over
    the limit while it streams in; this is the exact check on the file itself.
    """
    limit = app.settings.max_upload_bytes
    data = file.file.read(limit + 1)
    if len(data) > limit:
        raise PayloadTooLarge(
            f"the file is larger than the limit of {limit:,} bytes; nothing was imported"
        )
    return CsvUpload(data=data, name=file.filename or "upload.csv", encoding=encoding)


CsvUploadDep = Annotated[CsvUpload, Depends(csv_upload)]


def download(export: ExportData) -> Response:
    """An export as a file download with its media type and suggested name."""
    return Response(
        content=export.content,
        media_type=export.media_type,
        headers={"Content-Disposition": attachment(export.filename)},
    )
