"""What an uploaded evidence file may be: plain names only, a type its content proves."""

from __future__ import annotations

import io
import zipfile

import pytest

from isms_flow.errors import BadInput, UnsupportedMediaType
from isms_flow.evidence_types import DOCX, PPTX, XLSX, accepted_media_type, safe_filename

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(20)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(20)
GIF = b"GIF89a\x01\x00\x01\x00" + bytes(10)
ELF = b"\x7fELF\x02\x01\x01" + bytes(64)
PE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + bytes(64)
MACH_O = b"\xcf\xfa\xed\xfe\x07\x00\x00\x01" + bytes(32)


def package(entries: dict[str, bytes]) -> bytes:
    """A ZIP file holding `entries`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def office(main_part: str, *extra: str) -> bytes:
    """A minimal OOXML package with `main_part` (and `extra` parts)."""
    parts = {"[Content_Types].xml": b"<Types/>", main_part: b"<x/>"}
    parts.update({name: b"\x00" for name in extra})
    return package(parts)


def media_type(data: bytes, filename: str = "evidence", declared: str | None = None) -> str:
    """What `accepted_media_type` makes of `data`."""
    return accepted_media_type(io.BytesIO(data), filename=filename, declared=declared)


@pytest.mark.parametrize("name", ["scope.pdf", "適用範囲 v2.docx", "report (final).xlsx", ".notes"])
def test_a_plain_file_name_is_kept(name: str) -> None:
    assert safe_filename(f"  {name} ") == name


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("../../etc/passwd", "path separator"),
        ("a/b.pdf", "path separator"),
        ("..\\x.pdf", "path separator"),
        ("C:\\Users\\x.pdf", "path separator"),
        ("..", "'..'"),
        ("x\x00.pdf", "control"),
        ("a\nb.pdf", "control"),
        ("invoice\u202efdp.exe", "invisible"),
        ("", "no name"),
        ("   ", "no name"),
        ("x" * 256 + ".pdf", "longer than 255 bytes"),
    ],
)
def test_a_path_like_or_invisible_file_name_is_refused(name: str, reason: str) -> None:
    with pytest.raises(BadInput, match=reason):
        safe_filename(name)


@pytest.mark.parametrize(
    ("data", "filename", "expected"),
    [
        (PDF, "scope.pdf", "application/pdf"),
        (PNG, "diagram.png", "image/png"),
        (JPEG, "photo.jpg", "image/jpeg"),
        (GIF, "chart.gif", "image/gif"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "photo.webp", "image/webp"),
        (office("word/document.xml"), "policy.docx", DOCX),
        (office("xl/workbook.xml"), "assets.xlsx", XLSX),
        (office("ppt/presentation.xml"), "review.pptx", PPTX),
        (
            package({"mimetype": b"application/vnd.oasis.opendocument.text"}),
            "policy.odt",
            "application/vnd.oasis.opendocument.text",
        ),
        (b"asset,owner\nlaptop,IT\n", "assets.csv", "text/csv"),
        (b"# Scope\n\nThe whole company.\n", "scope.md", "text/markdown"),
        ("\ufeff資産,所有者\nノートPC,情報システム部\n".encode(), "資産.csv", "text/csv"),
        (b"MZ Holdings: contract summary\r\n", "summary", "text/plain"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64), "old.xls", "application/vnd.ms-excel"),
    ],
)
def test_the_content_decides_the_stored_type(data: bytes, filename: str, expected: str) -> None:
    assert media_type(data, filename) == expected


@pytest.mark.parametrize(
    ("data", "declared"),
    [
        (PDF, "application/pdf"),
        (PDF, "application/octet-stream"),
        (PDF, None),
        (JPEG, "image/jpg"),
        (b"a,b\n1,2\n", "application/vnd.ms-excel"),
        (b"a,b\n1,2\n", "text/plain; charset=utf-8"),
        (office("word/document.xml"), "application/zip"),
    ],
)
def test_a_declared_type_that_agrees_with_the_content_is_accepted(
    data: bytes, declared: str | None
) -> None:
    assert media_type(data, declared=declared)


@pytest.mark.parametrize(
    ("data", "filename", "declared", "reason"),
    [
        (ELF, "scope.pdf", "application/pdf", "ELF executable"),
        (PE, "setup.pdf", None, "Windows executable"),
        (MACH_O, "tool", None, "Mach-O"),
        (b"#!/bin/sh\nrm -rf /\n", "notes.txt", "text/plain", "interpreter line"),
        (PNG, "scope.pdf", None, "name says application/pdf"),
        (PNG, "scan", "application/pdf", "sent as application/pdf but its content is image/png"),
        (b"plain words", "notes.txt", "image/png", "sent as image/png"),
        (b"echo hi\r\n", "run.bat", None, "'.bat' files are not accepted"),
        (b"<svg onload='x()'/>", "logo.svg", None, "'.svg' files are not accepted"),
        (package({"a.txt": b"x"}), "bundle.zip", None, "archives are accepted only as Office"),
        (office("word/document.xml", "word/vbaProject.bin"), "x.docx", None, "macros"),
        (b"PK\x03\x04 not really", "x.docx", None, "damaged"),
        (b"caf\xe9 latin-1\n", "notes.txt", None, "no accepted type"),
        (b"text\x00with a NUL", "notes.txt", None, "no accepted type"),
        (bytes(range(256)), "blob", None, "no accepted type"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64), "setup", None, "OLE compound"),
    ],
)
def test_executables_contradictions_and_unknown_content_are_refused(
    data: bytes, filename: str, declared: str | None, reason: str
) -> None:
    with pytest.raises(UnsupportedMediaType, match=reason):
        media_type(data, filename, declared)
