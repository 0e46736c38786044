"""The production file format (DESIGN.md, "Contracts at the boundary"), as CSV or XLSX:

    date,worker,workshop,product_sku,hours,pieces,rejects,supervisor,supervisor_note,legacy

``date`` is YYYY-MM-DD, ``worker`` the pseudonymous reference, ``workshop`` the slug,
``product_sku`` empty for time-only work, ``hours`` a number with at most two decimals,
``pieces`` and ``rejects`` whole numbers (empty means 0), ``supervisor`` a username (legacy rows
may leave it empty), ``supervisor_note`` free text (also the reason for hours over the limits),
``legacy`` ``yes`` or empty.

Formula escaping: a spreadsheet runs a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return as a formula (CSV injection, OWASP). On export such a text cell, one that
starts with an apostrophe, and one with spaces at either end, gets one more apostrophe in front.
On import a cell that starts with an apostrophe loses it and is otherwise kept exactly; any other
cell is stripped of surrounding spaces. So every text survives the round trip, and a text cell
that starts with a formula character without the apostrophe is refused rather than guessed at
(in an XLSX file, a real formula cell too).
"""

import codecs
import csv
import datetime
import io
from collections.abc import Iterable, Iterator

from django.utils.translation import gettext as _

from core.xlsx import XlsxRefused, check_xlsx

HEADER = (
    "date",
    "worker",
    "workshop",
    "product_sku",
    "hours",
    "pieces",
    "rejects",
    "supervisor",
    "supervisor_note",
    "legacy",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"
UTF8_CHUNK = 1024 * 1024
TEXT_COLUMNS = ("worker", "workshop", "product_sku", "supervisor", "supervisor_note", "legacy")


class FileRefused(ValueError):
    """The file as a whole cannot be read (not its rows): wrong header, empty, unreadable."""


def escape_text(text: str) -> str:
    """What a text cell holds in an exported file."""
    needs_escape = text.startswith((*FORMULA_STARTS, ESCAPE)) or text != text.strip()
    return ESCAPE + text if needs_escape else text


def unescape_text(text: str) -> str:
    """What an imported text cell (as found, not yet stripped) means; ``ValueError`` for an
    unescaped formula. The formula check comes before the strip: a tab or a carriage return in
    front is a formula start, not space to strip."""
    if text.startswith(ESCAPE):
        return text[1:]
    if text.startswith(FORMULA_STARTS) or text.strip().startswith(FORMULA_STARTS):
        raise ValueError(
            _(
                "“%(text)s” would run as a spreadsheet formula; if it is text, start it with an "
                "apostrophe (')."
            )
            % {"text": text[:40]}
        )
    return text.strip()


def _check_header(cells) -> None:
    found = tuple(str(cell or "").strip().lower() for cell in cells)
    while found and not found[-1]:
        found = found[:-1]
    if found != HEADER:
        raise FileRefused(
            _("The header must be exactly: %(expected)s (found: %(found)s).")
            % {"expected": ",".join(HEADER), "found": ",".join(found) or _("nothing")}
        )


def read_rows(data: bytes, kind: str) -> Iterator[tuple[int, dict]]:
    """(line number, {column: raw cell}) for each non-empty row after the header; the line is
    the file's own (the header is line 1)."""
    rows = _read_csv(data) if kind == "csv" else _read_xlsx(data)
    try:
        first = next(rows)
    except StopIteration:
        raise FileRefused(_("The file is empty.")) from None
    _check_header(first[1])
    for line, cells in rows:
        cells = list(cells)
        if all(cell is None or str(cell).strip() == "" for cell in cells):
            continue
        if len(cells) > len(HEADER) and any(str(c or "").strip() for c in cells[len(HEADER) :]):
            yield line, {"__extra__": cells}
            continue
        cells += [None] * (len(HEADER) - len(cells))
        yield line, dict(zip(HEADER, cells, strict=False))


def _check_utf8(data: bytes) -> None:
    """Refuse a file that is not UTF-8 before reading any row, a MiB at a time: decoded whole,
    the text would sit beside the bytes (and, read through ``StringIO``, four times over)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    try:
        for start in range(0, len(view), UTF8_CHUNK):
            decoder.decode(view[start : start + UTF8_CHUNK], final=start + UTF8_CHUNK >= len(view))
    except UnicodeDecodeError:
        raise FileRefused(_("The CSV file is not UTF-8 text.")) from None


def _read_csv(data: bytes):
    _check_utf8(data)
    # Decoded as it is read: only a chunk of text is ever held beside the bytes.
    reader = csv.reader(io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline=""))
    start = 1  # a row's line is where it starts: a quoted cell may hold line breaks
    try:
        for cells in reader:
            yield start, cells
            start = reader.line_num + 1
    except csv.Error as error:
        raise FileRefused(
            _("Line %(line)s cannot be read as CSV: %(error)s")
            % {"line": reader.line_num, "error": error}
        ) from None


def _read_xlsx(data: bytes):
    from openpyxl import load_workbook

    try:
        check_xlsx(data)  # the unpacked size and cells, before openpyxl unpacks anything
    except XlsxRefused as refused:
        raise FileRefused(str(refused)) from None
    try:
        # Not data_only: a formula cell reads as its formula ("=…"), which the importer refuses,
        # instead of as a cached value that may be empty.
        workbook = load_workbook(io.BytesIO(data), read_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise FileRefused(_("The XLSX file cannot be read: %(error)s") % {"error": error}) from None
    sheet = workbook.worksheets[0]
    yield from enumerate(sheet.iter_rows(values_only=True), start=1)
    workbook.close()


def cell_text(value, *, strip: bool = True) -> str:
    """A cell as text; ``strip=False`` keeps a text cell as found (for ``unescape_text``)."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    return text.strip() if strip and not text.startswith(ESCAPE) else text


def write_csv(rows: Iterable[tuple]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    # The writer quotes a cell holding "\n" (its line terminator) but not one holding a bare
    # "\r", which every reader takes for the end of a line: such a row is written all quoted.
    quoted = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(HEADER)
    for row in rows:
        (quoted if any("\r" in cell for cell in row if isinstance(cell, str)) else writer).writerow(
            row
        )
    return out.getvalue().encode("utf-8")


def write_xlsx(rows: Iterable[tuple]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("production")
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
