"""The most memory the production importer's reading takes (``read_rows`` and the parse to typed
rows, tracemalloc's peak) on the largest XLSX files ``core/xlsx.py`` admits, and on a bomb:

- ``rows``: a sheet of minimal valid rows filling ``MAX_UNPACKED_BYTES``;
- ``strings``: a shared string table of ``MAX_SHARED_STRINGS`` tiny distinct strings, which
  openpyxl keeps in memory whole;
- ``bomb``: one 256 MiB cell in a file of about 255 KiB, refused before it unpacks.

The floor beside each is the file's unpacked size: what merely holding it would take. Tracing
slows Python several times over, so a full run takes minutes; ``--smoke`` runs the bomb only.

    python bench/xlsx_memory.py [--smoke]
"""

import argparse
import io
import os
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brand.settings.test")

import django  # noqa: E402

django.setup()

from core.xlsx import MAX_SHARED_STRINGS, MAX_UNPACKED_BYTES  # noqa: E402
from workshops.production.importer import _parse  # noqa: E402
from workshops.production.spreadsheet import HEADER, FileRefused, read_rows  # noqa: E402

MIB = 1024 * 1024
MAIN = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    b'package/2006/content-types"><Default Extension="rels" ContentType="application/'
    b'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="'
    b'application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="'
    b'/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    b'spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="'
    b'application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)
RELS = (
    b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    b'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    b'<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
    b'main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    b'<sheet name="p" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    b'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship '
    b'Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    b'sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)


def inline(text: str) -> bytes:
    return b'<c t="inlineStr"><is><t>%s</t></is></c>' % text.encode()


def workbook(sheet, strings) -> bytes:
    """A workbook whose sheet and shared strings are streamed in by ``sheet(stream)`` and
    ``strings(stream)``."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, body in (
            ("[Content_Types].xml", TYPES),
            ("_rels/.rels", RELS),
            ("xl/workbook.xml", WORKBOOK),
            ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
        ):
            archive.writestr(name, body)
        for name, write in (("xl/worksheets/sheet1.xml", sheet), ("xl/sharedStrings.xml", strings)):
            with archive.open(name, "w", force_zip64=True) as stream:
                write(stream)
    return out.getvalue()


def header_sheet(rows=None):
    def write(stream):
        stream.write(MAIN + b"<sheetData><row>" + b"".join(map(inline, HEADER)) + b"</row>")
        if rows:
            rows(stream)
        stream.write(b"</sheetData></worksheet>")

    return write


def strings_of(count: int, size: int = 0):
    def write(stream):
        stream.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
        for number in range(count):
            stream.write(b"<si><t>%x</t></si>" % number)
        if size:
            stream.write(b"<si><t>")
            for _ in range(size // MIB):
                stream.write(b"a" * MIB)
            stream.write(b"</t></si>")
        stream.write(b"</sst>")

    return write


def full_rows(target: int):
    def write(stream):
        written, number = 0, 0
        while written < target:
            row = (
                b"<row>"
                + inline("2026-11-02")
                + inline(f"W-{number:06d}")
                + inline("tailoring-north")
                + inline("SKU-A")
                + b"<c><v>4</v></c><c><v>3</v></c><c><v>0</v></c>"
                + inline("sup")
                + b"</row>"
            )
            stream.write(row)
            written += len(row)
            number += 1

    return write


def measure(name: str, data: bytes) -> None:
    unpacked = sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(data)).infolist())
    tracemalloc.start()
    started = time.perf_counter()
    try:
        parsed, problems = _parse(read_rows(data, "xlsx"))
        outcome = f"{len(parsed)} rows, {len(problems)} problems"
    except FileRefused as refused:
        outcome = f"refused: {refused}"
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(
        f"{name}: file {len(data) / MIB:.2f} MiB, unpacks to {unpacked / MIB:.1f} MiB (floor); "
        f"peak traced {peak / MIB:.1f} MiB, ratio {peak / unpacked:.2f}; "
        f"{time.perf_counter() - started:.1f} s; {outcome}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="the bomb only")
    smoke = parser.parse_args().smoke
    measure("bomb", workbook(header_sheet(), strings_of(0, 256 * MIB)))
    if smoke:
        return
    measure(
        "rows", workbook(header_sheet(full_rows(MAX_UNPACKED_BYTES - 64 * 1024)), strings_of(0))
    )
    measure("strings", workbook(header_sheet(), strings_of(MAX_SHARED_STRINGS)))


if __name__ == "__main__":
    main()
