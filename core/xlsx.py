"""Opening an XLSX file without letting it take the machine's memory (a "zip bomb").

An XLSX file is a zip of XML parts, and a small file can unpack to gigabytes: a 1 MiB upload
holding one 1 GiB cell once took 2.29 GB of memory before it was refused. ``check_xlsx`` reads
every part once, a chunk at a time, before any spreadsheet library sees the file, and refuses it
when:

- its zip directory passes ``MAX_DIRECTORY_BYTES`` or lists more than ``MAX_PARTS`` parts (the
  directory is read whole by ``zipfile``, so it is measured from the end record first), or it is
  a ZIP64 archive (whose second end record ``zipfile`` would trust instead);
- the parts' declared sizes, or the bytes they really unpack to (counted while reading, so a
  header that lies does not help), add up to more than ``MAX_UNPACKED_BYTES``;
- a part unpacks to another size than it declares, or cannot be unpacked;
- in an XML part, a run of bytes between two ``<``/``>`` (a cell's text, or a tag) passes
  ``MAX_TEXT_RUN_BYTES``: room for Excel's own limit of 32,767 characters in a cell, each written
  as a character reference of up to ten bytes;
- its XML parts hold more than ``MAX_SHARED_STRINGS`` shared strings (openpyxl keeps them all
  in memory, some 110 bytes each however short);
- an XML part declares a DTD or an entity (no XLSX part has one; it is how an XML bomb starts).

Checking holds one chunk in memory at a time; what a library then builds from the file is bounded
by ``MAX_UNPACKED_BYTES`` (tests/core/test_xlsx.py measures the production importer's peak on the
largest file these limits admit).
"""

import io
import re
import zipfile
import zlib

from django.utils.translation import gettext as _

MAX_UNPACKED_BYTES = 24 * 1024 * 1024
MAX_SHARED_STRINGS = 250_000
MAX_PARTS = 1000
MAX_DIRECTORY_BYTES = 1024 * 1024
EXCEL_CELL_CHARACTERS = 32_767  # Excel's own limit on one cell's text
MAX_TEXT_RUN_BYTES = EXCEL_CELL_CHARACTERS * 10  # "&#x10FFFF;" is ten bytes for one character
CHUNK = 1024 * 1024
XML_PARTS = (".xml", ".rels", ".vml")
FORBIDDEN = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
SHARED_STRING = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s/>]")
END_RECORD = b"PK\x05\x06"
ZIP64_LOCATOR = b"PK\x06\x07"
END_RECORD_SPAN = 22 + 65535  # the record and the longest comment it may carry


class XlsxRefused(ValueError):
    """The file is not a spreadsheet that may be read safely; the message says why."""


def open_zip(data: bytes) -> zipfile.ZipFile:
    """``data`` as a ``ZipFile``, once its directory is known to be small enough to read."""
    end = data.rfind(END_RECORD, max(0, len(data) - END_RECORD_SPAN))
    if end < 0 or len(data) < end + 22:
        raise XlsxRefused(_("The spreadsheet is not a readable zip file."))
    if end >= 20 and data[end - 20 : end - 16] == ZIP64_LOCATOR:  # zipfile would trust it
        raise XlsxRefused(_("The spreadsheet is a ZIP64 archive, which no spreadsheet needs."))
    parts = int.from_bytes(data[end + 10 : end + 12], "little")
    directory = int.from_bytes(data[end + 12 : end + 16], "little")
    if parts > MAX_PARTS or directory > MAX_DIRECTORY_BYTES:
        raise XlsxRefused(
            _("The spreadsheet has too many parts; at most %(limit)s are read.")
            % {"limit": MAX_PARTS}
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError):
        raise XlsxRefused(_("The spreadsheet is not a readable zip file.")) from None
    if len(archive.infolist()) > MAX_PARTS:
        archive.close()
        raise XlsxRefused(
            _("The spreadsheet has too many parts; at most %(limit)s are read.")
            % {"limit": MAX_PARTS}
        )
    return archive


def _too_large() -> XlsxRefused:
    return XlsxRefused(
        _(
            "The spreadsheet unpacks to more than %(limit)s MiB; at most %(limit)s MiB are read. "
            "Split it into smaller files."
        )
        % {"limit": MAX_UNPACKED_BYTES // 1024 // 1024}
    )


def check_xlsx(data: bytes) -> None:
    """Raise ``XlsxRefused`` unless the zip ``data`` unpacks within the limits. Call it before
    handing ``data`` to openpyxl, or to anything else that unpacks it."""
    with open_zip(data) as archive:
        parts = archive.infolist()
        if sum(part.file_size for part in parts) > MAX_UNPACKED_BYTES:
            raise _too_large()
        total, strings = 0, [0]
        for part in parts:
            total += _read_part(archive, part, room=MAX_UNPACKED_BYTES - total, strings=strings)


def _read_part(archive: zipfile.ZipFile, part: zipfile.ZipInfo, *, room: int, strings) -> int:
    """How many bytes ``part`` really unpacks to, read a chunk at a time, never past ``room``;
    ``strings[0]`` counts the shared strings met so far."""
    scan = _XmlScan(part.filename, strings) if part.filename.lower().endswith(XML_PARTS) else None
    size = 0
    try:
        with archive.open(part) as stream:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > room:
                    raise _too_large()
                if scan:
                    scan.feed(chunk)
    except (zipfile.BadZipFile, EOFError, zlib.error, NotImplementedError, RuntimeError):
        raise XlsxRefused(
            _("The spreadsheet's part %(part)s cannot be unpacked.") % {"part": part.filename}
        ) from None
    if size != part.file_size:
        raise XlsxRefused(
            _(
                "The spreadsheet's part %(part)s unpacks to %(size)s bytes but declares %(declared)s."
            )
            % {"part": part.filename, "size": size, "declared": part.file_size}
        )
    return size


def _first_delimiter(chunk: bytes, start: int, end: int) -> int:
    found = [at for at in (chunk.find(b"<", start, end), chunk.find(b">", start, end)) if at >= 0]
    return min(found) if found else -1


class _XmlScan:
    """Over an XML part read in chunks: whether a run of bytes without ``<`` or ``>`` passes
    ``MAX_TEXT_RUN_BYTES``, and whether a DTD or an entity is declared.

    A run longer than ``2 × WINDOW`` covers a whole window of the chunk cut every ``WINDOW``
    bytes from its first delimiter, so only windows without a delimiter (``bytes.find``, at C
    speed) are measured exactly; the run at a chunk's end carries over to the next chunk."""

    WINDOW = MAX_TEXT_RUN_BYTES // 2

    def __init__(self, name: str, strings: list[int]):
        self.name = name
        self.strings = strings
        self.run = 0  # bytes since the last delimiter, at the end of what was fed
        self.tail = b""

    def feed(self, chunk: bytes) -> None:
        if FORBIDDEN.search(self.tail + chunk[:64]) or FORBIDDEN.search(chunk):
            raise XlsxRefused(
                _("The spreadsheet's part %(part)s declares a DTD or an entity.")
                % {"part": self.name}
            )
        self.tail = chunk[-16:]
        self.strings[0] += len(SHARED_STRING.findall(chunk))
        if self.strings[0] > MAX_SHARED_STRINGS:
            raise XlsxRefused(
                _(
                    "The spreadsheet holds more than %(limit)s different texts; at most %(limit)s are read."
                )
                % {"limit": MAX_SHARED_STRINGS}
            )
        first = _first_delimiter(chunk, 0, len(chunk))
        if first < 0:
            self.run += len(chunk)
            self._check(self.run)
            return
        self._check(self.run + first)
        for start in range(first, len(chunk) - self.WINDOW + 1, self.WINDOW):
            end = start + self.WINDOW
            if _first_delimiter(chunk, start, end) < 0:
                left = max(chunk.rfind(b"<", 0, start), chunk.rfind(b">", 0, start))
                right = _first_delimiter(chunk, end, len(chunk))
                self._check((right if right >= 0 else len(chunk)) - left - 1)
        self.run = len(chunk) - 1 - max(chunk.rfind(b"<"), chunk.rfind(b">"))
        self._check(self.run)

    def _check(self, run: int) -> None:
        if run > MAX_TEXT_RUN_BYTES:
            raise XlsxRefused(
                _(
                    "The spreadsheet's part %(part)s holds a cell or tag longer than %(limit)s "
                    "characters, Excel's own limit for a cell."
                )
                % {"part": self.name, "limit": EXCEL_CELL_CHARACTERS}
            )
