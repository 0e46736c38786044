"""The prison shop's purchase file, as CSV (UTF-8) or XLSX (the first sheet):

    date,worker,amount,description,reference

``date`` YYYY-MM-DD, the day of the purchase; ``worker`` the pseudonymous reference; ``amount`` a
positive number with a point and no more decimals than the currency has (``12.50``);
``description`` what was bought; ``reference`` the shop system's receipt id, unique: it is the
purchase's key, so a receipt is never paid twice. Text cells that would run as a spreadsheet
formula are escaped with an apostrophe, as in the production files
(``workshops.production.spreadsheet``).
"""

import csv
import datetime
import io

from django.utils.translation import gettext as _

from core.xlsx import XlsxRefused, check_xlsx
from workshops.production.spreadsheet import FileRefused, cell_text, unescape_text

HEADER = ("date", "worker", "amount", "description", "reference")
TEXT_COLUMNS = ("worker", "description", "reference")


def read_purchase_rows(data: bytes, kind: str):
    """(line, {column: text}) for each non-empty row after the header (line 1); ``FileRefused``
    when the file as a whole cannot be read; a row with a formula or extra cells carries
    ``__problem__``."""
    rows = _csv_rows(data) if kind == "csv" else _xlsx_rows(data)
    try:
        _line, header = next(rows)
    except StopIteration:
        raise FileRefused(_("The file is empty.")) from None
    found = tuple(cell_text(cell).lower() for cell in header)
    while found and not found[-1]:
        found = found[:-1]
    if found != HEADER:
        raise FileRefused(
            _("The header must be exactly: %(expected)s (found: %(found)s).")
            % {"expected": ",".join(HEADER), "found": ",".join(found) or _("nothing")}
        )
    for line, cells in rows:
        cells = list(cells)
        if all(cell_text(cell) == "" for cell in cells):
            continue
        if any(cell_text(cell) for cell in cells[len(HEADER) :]):
            yield line, {"__problem__": _("More cells than the header has columns.")}
            continue
        cells += [None] * (len(HEADER) - len(cells))
        try:
            yield (
                line,
                {
                    column: (
                        unescape_text(cell_text(cell, strip=False))
                        if column in TEXT_COLUMNS
                        else cell_text(cell)
                    )
                    for column, cell in zip(HEADER, cells, strict=False)
                },
            )
        except ValueError as formula:
            yield line, {"__problem__": str(formula)}


def _csv_rows(data: bytes):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRefused(_("The CSV file is not UTF-8 text.")) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    start = 1
    try:
        for cells in reader:
            yield start, cells
            start = reader.line_num + 1
    except csv.Error as error:
        raise FileRefused(
            _("Line %(line)s cannot be read as CSV: %(error)s")
            % {"line": reader.line_num, "error": error}
        ) from None


def _xlsx_rows(data: bytes):
    from openpyxl import load_workbook

    try:
        check_xlsx(data)
    except XlsxRefused as refused:
        raise FileRefused(str(refused)) from None
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise FileRefused(_("The XLSX file cannot be read: %(error)s") % {"error": error}) from None
    sheet = workbook.worksheets[0]
    for line, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
        # A number typed in a cell is a float: read it back as the text it was shown as.
        yield line, [_cell(cell) for cell in cells]
    workbook.close()


def _cell(value):
    if isinstance(value, float):
        return repr(value) if not value.is_integer() else str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date()
    return value
