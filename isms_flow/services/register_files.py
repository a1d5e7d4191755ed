"""Files the registers read and write: CSV imports from a path (CLI) or from bytes (HTTP
upload), and exports held in memory (HTTP download), with one set of messages for both."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from isms_flow.errors import BadInput

__all__ = [
    "CSV_MEDIA_TYPE",
    "XLSX_MEDIA_TYPE",
    "CsvInput",
    "ExportData",
    "decode_csv",
    "read_csv_file",
]

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_CLI_HINT = "give --encoding cp932 for a Shift_JIS file"
_UPLOAD_HINT = "send the encoding cp932 with a Shift_JIS file"
# A sent file name ends up in messages and history: keep it one short, plain line.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f]")
_NAME_LIMIT = 200


@dataclass(frozen=True)
class CsvInput:
    """A CSV file given to an import: its name (for messages and history), text, SHA-256."""

    name: str
    text: str
    sha256: str


@dataclass(frozen=True)
class ExportData:
    """An export held in memory: the file name to suggest, its media type, its bytes."""

    filename: str
    media_type: str
    content: bytes


def read_csv_file(file: Path, encoding: str) -> CsvInput:
    """The CSV file at `file`, decoded; BadInput naming the file if it cannot be read."""
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        raise BadInput(f"{file}: no such file") from None
    except OSError as error:
        raise BadInput(f"{file}: cannot be read ({error.strerror})") from None
    return decode_csv(data, file.name, encoding, hint=_CLI_HINT)


def decode_csv(data: bytes, name: str, encoding: str, *, hint: str = _UPLOAD_HINT) -> CsvInput:
    """Uploaded CSV bytes, decoded; `name` is what the sender called the file (path dropped)."""
    shown = _plain_name(name)
    try:
        text = data.decode(encoding)
    except LookupError:
        raise BadInput(f"unknown encoding '{encoding}' (e.g. utf-8-sig, cp932)") from None
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise BadInput(
            f"{shown}: line {line}: not {encoding} text (save it as CSV UTF-8, or {hint})"
        ) from None
    return CsvInput(name=shown, text=text, sha256=hashlib.sha256(data).hexdigest())


def _plain_name(name: str) -> str:
    base = PurePosixPath(name.replace("\\", "/")).name
    plain = _UNPRINTABLE.sub("", base).strip()[:_NAME_LIMIT]
    return plain or "upload.csv"
