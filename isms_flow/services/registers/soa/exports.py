"""Exporting the SoA: XLSX or CSV, to a file (chosen by its suffix) or as bytes (a download).

A file is written next to its destination and then renamed into place, so a failed export
never leaves half a file where the previous one was.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from isms_flow.bootstrap import App
from isms_flow.errors import BadInput
from isms_flow.i18n import Language
from isms_flow.services.lookup import find_project
from isms_flow.services.register_files import CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE, ExportData
from isms_flow.services.registers.soa.sheets import csv_text, workbook
from isms_flow.services.registers.soa.show import soa_view
from isms_flow.services.registers.soa.views import SoaExportView, SoaView

__all__ = ["SoaFormat", "export_soa", "export_soa_data"]

SoaFormat = Literal["xlsx", "csv"]
_FORMATS: dict[str, SoaFormat] = {".xlsx": "xlsx", ".csv": "csv"}
_MEDIA_TYPES: dict[SoaFormat, str] = {"xlsx": XLSX_MEDIA_TYPE, "csv": CSV_MEDIA_TYPE}


def export_soa(app: App, *, ref: str, file: Path, lang: Language = "en") -> SoaExportView:
    """Write all 93 controls of the project's SoA to `file` (.xlsx or .csv), in `lang`."""
    kind = _FORMATS.get(file.suffix.lower())
    if kind is None:
        raise BadInput(f"{file.name}: export to a .xlsx or a .csv file")
    if not file.parent.is_dir():
        raise BadInput(f"{file.parent}: no such folder")
    view = _soa(app, ref, lang)
    content = _content(view, kind, lang)
    _write(file, lambda target: target.write_bytes(content))
    return SoaExportView(
        project=view.project,
        file=str(file),
        format=kind,
        language=lang,
        rows=len(view.entries),
        decided=view.decided,
        total=view.total,
    )


def export_soa_data(app: App, *, ref: str, format: SoaFormat, lang: Language = "en") -> ExportData:
    """All 93 controls of the project's SoA as XLSX or CSV bytes, in `lang`."""
    view = _soa(app, ref, lang)
    return ExportData(
        filename=f"{view.project.replace('/', '-')}-soa.{format}",
        media_type=_MEDIA_TYPES[format],
        content=_content(view, format, lang),
    )


def _soa(app: App, ref: str, lang: Language) -> SoaView:
    with app.uow() as uow:
        project = find_project(uow.session, ref)
        return soa_view(uow.session, project, app.clock.now(), lang)


def _content(view: SoaView, format: SoaFormat, lang: Language) -> bytes:
    if format == "csv":
        return csv_text(view, lang).encode("utf-8-sig")  # the BOM makes Excel read UTF-8
    buffer = io.BytesIO()
    workbook(view, lang).save(buffer)
    return buffer.getvalue()


def _write(file: Path, write: Callable[[Path], object]) -> None:
    handle, name = tempfile.mkstemp(prefix=f".{file.name}.", dir=file.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        write(temporary)
        temporary.chmod(0o644)  # mkstemp makes it private; an export is an ordinary file
        temporary.replace(file)
    except OSError as error:
        raise BadInput(f"{file}: cannot be written ({error.strerror})") from None
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
