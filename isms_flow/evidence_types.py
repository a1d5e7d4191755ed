"""What an uploaded evidence file may be: a plain file name, and a type read from its content.

Pure: no framework, no database. The name a browser sends is metadata only (the vault stores
by SHA-256), so anything path-like is refused rather than cleaned up. The stored media type is
the one the content shows (magic numbers, Office package parts, UTF-8 text); a declared type or
a file-name extension that says otherwise, an executable, or anything else is refused — it is
easier to explain a refusal than a document that turns out to be something else.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
import zipfile
from typing import BinaryIO

from isms_flow.errors import BadInput, UnsupportedMediaType

__all__ = ["ACCEPTED", "MAX_NAME_BYTES", "accepted_media_type", "safe_filename"]

MAX_NAME_BYTES = 255
"""The longest file name most file systems take; longer ones are refused."""

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
_ODF = "application/vnd.oasis.opendocument."
_OLE_TYPES = {
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".ppt": "application/vnd.ms-powerpoint",
}
ACCEPTED = (
    "PDF, PNG, JPEG, GIF, WebP, TIFF, Office documents (docx, xlsx, pptx, odt, ods, odp, "
    "doc, xls, ppt) and UTF-8 text (txt, csv, md, json, xml, yaml)"
)
"""What `accepted_media_type` accepts, in words for messages."""

_HEAD = 4096
_CHUNK = 1 << 16
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)
_EXECUTABLES: tuple[tuple[bytes, str], ...] = (
    (b"\x7fELF", "an ELF executable"),
    (b"\xfe\xed\xfa\xce", "a Mach-O executable"),
    (b"\xfe\xed\xfa\xcf", "a Mach-O executable"),
    (b"\xce\xfa\xed\xfe", "a Mach-O executable"),
    (b"\xcf\xfa\xed\xfe", "a Mach-O executable"),
    (b"\xca\xfe\xba\xbe", "a Mach-O universal binary or Java class"),
    (b"\x00asm", "a WebAssembly module"),
    (b"#!", "a script with an interpreter line (#!)"),
)
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_TEXT_EXTENSIONS = {
    ".txt": "text/plain",
    ".text": "text/plain",
    ".log": "text/plain",
    ".csv": "text/csv",
    ".tsv": "text/tab-separated-values",
    ".md": "text/markdown",
    ".markdown": "text/markdown",
    ".json": "application/json",
    ".xml": "application/xml",
    ".yaml": "application/yaml",
    ".yml": "application/yaml",
}
_BINARY_EXTENSIONS = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
    ".docx": DOCX,
    ".xlsx": XLSX,
    ".pptx": PPTX,
    ".odt": _ODF + "text",
    ".ods": _ODF + "spreadsheet",
    ".odp": _ODF + "presentation",
    **_OLE_TYPES,
}
# Names a desktop would run or render when opened, whatever their content.
_PROGRAMS = {".exe", ".com", ".dll", ".scr", ".msi", ".jar", ".app"}
_SCRIPTS = {".bat", ".cmd", ".ps1", ".vbs", ".vbe", ".js", ".jse", ".wsf", ".hta", ".sh"}
_PAGES = {".html", ".htm", ".xhtml", ".svg"}
_MACROS = {".docm", ".xlsm", ".pptm"}
_REFUSED_EXTENSIONS = frozenset(_PROGRAMS | _SCRIPTS | _PAGES | _MACROS)
# What browsers and tools send for these contents besides the exact type.
_ALIASES = {
    "image/jpg": "image/jpeg",
    "image/pjpeg": "image/jpeg",
    "image/x-png": "image/png",
    "application/x-pdf": "application/pdf",
}
_NO_CLAIM = frozenset(
    {"", "application/octet-stream", "binary/octet-stream", "application/unknown"}
)
_TEXT_CLAIMS = frozenset(
    {"application/csv", "application/x-csv", "application/vnd.ms-excel", "application/x-yaml"}
)
_ZIP_CLAIMS = frozenset({"application/zip", "application/x-zip-compressed"})
# C0 and C1 controls and DEL, but tab, line feed, form feed and carriage return.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def safe_filename(name: str) -> str:
    """The uploaded file's name as metadata; BadInput for anything path-like or invisible."""
    text = unicodedata.normalize("NFC", name).strip()
    shown = repr(text if len(text) <= 80 else text[:77] + "...")
    if not text:
        raise BadInput("the uploaded file has no name; send it with one, e.g. scope.pdf")
    if "/" in text or "\\" in text:
        raise BadInput(f"file name {shown} contains a path separator; send the plain file name")
    if ".." in text or text == ".":
        raise BadInput(f"file name {shown} contains '..'; send the plain file name")
    if any(unicodedata.category(char) in ("Cc", "Cf") for char in text):
        raise BadInput(f"file name {shown} contains control or invisible formatting characters")
    if len(text.encode()) > MAX_NAME_BYTES:
        raise BadInput(f"file name {shown} is longer than {MAX_NAME_BYTES} bytes")
    return text


def accepted_media_type(stream: BinaryIO, *, filename: str, declared: str | None) -> str:
    """The media type to store for the content of `stream` (seekable), or UnsupportedMediaType.

    `declared` is the type the sender gave (e.g. the multipart part's Content-Type); it and the
    extension of `filename` must agree with the content when they name a type at all.
    """
    extension = _extension(filename)
    if extension in _REFUSED_EXTENSIONS:
        raise UnsupportedMediaType(
            f"{filename}: '{extension}' files are not accepted as evidence (accepted: {ACCEPTED})"
        )
    stream.seek(0)
    head = stream.read(_HEAD)
    sniffed = _sniff(stream, head, filename, extension)
    claimed = _normalized(declared)
    if claimed not in _NO_CLAIM and not _agrees(claimed, sniffed):
        raise UnsupportedMediaType(
            f"{filename} was sent as {claimed} but its content is {sniffed}; nothing was stored"
        )
    by_name = _BINARY_EXTENSIONS.get(extension) or _TEXT_EXTENSIONS.get(extension)
    if by_name is not None and not _agrees(by_name, sniffed):
        raise UnsupportedMediaType(
            f"{filename}: the name says {by_name} but the content is {sniffed}; nothing was stored"
        )
    return sniffed


def _sniff(stream: BinaryIO, head: bytes, filename: str, extension: str) -> str:
    for magic, what in _EXECUTABLES:
        if head.startswith(magic):
            raise UnsupportedMediaType(f"{filename} is {what}; executables are not evidence")
    if head.startswith(b"MZ") and b"\x00" in head[:64]:
        raise UnsupportedMediaType(
            f"{filename} is a Windows executable; executables are not evidence"
        )
    for magic, media_type in _SIGNATURES:
        if head.startswith(magic):
            return media_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(_ZIP):
        return _office_package(stream, filename)
    if head.startswith(_OLE):
        if extension in _OLE_TYPES:
            return _OLE_TYPES[extension]
        raise UnsupportedMediaType(
            f"{filename} is an OLE compound file; only .doc, .xls and .ppt ones are accepted"
        )
    if _is_utf8_text(stream):
        return _TEXT_EXTENSIONS.get(extension, "text/plain")
    raise UnsupportedMediaType(f"{filename}: the content is of no accepted type ({ACCEPTED})")


def _office_package(stream: BinaryIO, filename: str) -> str:
    """The type of a ZIP that is an Office document; other archives are refused."""
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            if any(name.rsplit("/", 1)[-1].lower() == "vbaproject.bin" for name in names):
                raise UnsupportedMediaType(
                    f"{filename} contains macros; save it without them (docx, xlsx, pptx)"
                )
            if "[Content_Types].xml" in names:
                for part, media_type in (
                    ("word/document.xml", DOCX),
                    ("xl/workbook.xml", XLSX),
                    ("ppt/presentation.xml", PPTX),
                ):
                    if part in names:
                        return media_type
            if "mimetype" in names:
                declared = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                if declared in {_ODF + "text", _ODF + "spreadsheet", _ODF + "presentation"}:
                    return declared
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, ValueError):
        raise UnsupportedMediaType(f"{filename} looks like a ZIP archive but is damaged") from None
    raise UnsupportedMediaType(
        f"{filename} is a ZIP archive; archives are accepted only as Office documents "
        "(docx, xlsx, pptx, odt, ods, odp)"
    )


def _is_utf8_text(stream: BinaryIO) -> bool:
    """Every byte is UTF-8 text without control characters other than tab and line breaks."""
    stream.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="strict")
    try:
        while chunk := stream.read(_CHUNK):
            if not _printable(decoder.decode(chunk)):
                return False
        return _printable(decoder.decode(b"", final=True))
    except UnicodeDecodeError:
        return False


def _printable(text: str) -> bool:
    return _CONTROLS.search(text) is None


def _agrees(claimed: str, sniffed: str) -> bool:
    if _ALIASES.get(claimed, claimed) == sniffed:
        return True
    if _is_text(sniffed):
        return _is_text(claimed) or claimed in _TEXT_CLAIMS
    if sniffed in (DOCX, XLSX, PPTX) or sniffed.startswith(_ODF):
        return claimed in _ZIP_CLAIMS
    return False


def _is_text(media_type: str) -> bool:
    return media_type.startswith("text/") or media_type in _TEXT_EXTENSIONS.values()


def _normalized(declared: str | None) -> str:
    return (declared or "").split(";", 1)[0].strip().lower()


def _extension(filename: str) -> str:
    stem, dot, suffix = filename.rpartition(".")
    return f".{suffix.lower()}" if dot and stem else ""
