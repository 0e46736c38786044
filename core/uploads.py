"""Checking an uploaded file by what it contains, not by its name.

A file is accepted when its size is within the limit and its first bytes (and, for a spreadsheet,
its inner structure) show it is one of the kinds the caller allows; its name's extension must agree
(OWASP ASVS 5.0, V5.2). Everything refused says why, specifically.
"""

from dataclasses import dataclass

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from core.xlsx import XlsxRefused, check_xlsx, open_zip


@dataclass(frozen=True)
class FileKind:
    code: str
    content_type: str
    extensions: tuple[str, ...]


PDF = FileKind("pdf", "application/pdf", ("pdf",))
PNG = FileKind("png", "image/png", ("png",))
JPEG = FileKind("jpeg", "image/jpeg", ("jpg", "jpeg"))
XLSX = FileKind(
    "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ("xlsx",)
)
CSV = FileKind("csv", "text/csv", ("csv",))
KINDS = (PDF, PNG, JPEG, XLSX, CSV)


class UploadRefused(ValueError):
    """An upload that is too large, of a kind not allowed, or not what its name says."""


def _human_size(size: int) -> str:
    return str(filesizeformat(size))  # Django's, in the active language: "2.0 KB", "2,0 Ko"


def detect_kind(data: bytes) -> FileKind | None:
    """The kind of file ``data`` is, by its content; None when it is none we know."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"PK\x03\x04"):
        try:
            with open_zip(data) as archive:  # a directory too large to read is refused
                names = set(archive.namelist())
        except XlsxRefused:
            return None
        return XLSX if "[Content_Types].xml" in names and "xl/workbook.xml" in names else None
    if b"\x00" not in data:
        try:
            data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return None
        return CSV
    return None


def check_upload(uploaded, *, allowed: tuple[FileKind, ...], max_bytes: int) -> FileKind:
    """Return the kind of ``uploaded`` (a Django UploadedFile) or raise ``UploadRefused``."""
    if uploaded.size > max_bytes:
        raise UploadRefused(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": _human_size(uploaded.size), "limit": _human_size(max_bytes)}
        )
    if uploaded.size == 0:
        raise UploadRefused(_("The file is empty."))
    uploaded.seek(0)
    data = uploaded.read()
    uploaded.seek(0)
    kind = detect_kind(data)
    wanted = ", ".join(k.code.upper() for k in allowed)
    if kind not in allowed:
        raise UploadRefused(
            _("This file is not a %(wanted)s file: its content is %(found)s.")
            % {"wanted": wanted, "found": kind.code.upper() if kind else _("not a kind we accept")}
        )
    extension = uploaded.name.rsplit(".", 1)[-1].lower() if "." in uploaded.name else ""
    if extension not in kind.extensions:
        raise UploadRefused(
            _("The file is named “%(name)s” but its content is %(found)s.")
            % {"name": uploaded.name, "found": kind.code.upper()}
        )
    if kind is XLSX:  # a spreadsheet bomb is refused on the way in, whoever reads it later
        try:
            check_xlsx(data)
        except XlsxRefused as refused:
            raise UploadRefused(str(refused)) from None
    return kind
