"""The production files the importer tests feed it, and how they read the result: a CSV row or a
workbook built cell by cell, every record's values, and a refusal checked to change nothing
(``workshops/production/importer.py``, ``spreadsheet.py``).
"""

import io

import pytest
from django.core.management import call_command
from openpyxl import Workbook
from wagtail.models import ModelLogEntry

from tests.workshops.production_builders import TODAY, csv_file, day
from workshops.models import ProductionImport, ProductionRecord
from workshops.production import ImportResult, ProductionRefused, import_production
from workshops.production.spreadsheet import HEADER

IMPORTED = "bridgework.production_imported"
HEADER_LINE = ",".join(HEADER)


def line(
    when=None,
    worker="W-000000",
    workshop="tailoring-north",
    sku="SKU-A",
    hours="4",
    pieces="",
    rejects="",
    supervisor="sup",
    note="",
    legacy="",
) -> str:
    """One CSV row; ``note`` goes in as written (quote it yourself when it needs quoting)."""
    when = when or day(0)
    when = when if isinstance(when, str) else when.isoformat()
    cells = [when, worker, workshop, sku, hours, pieces, rejects, supervisor, note]
    return ",".join([*cells, legacy])


def rows() -> list[tuple]:
    """Every record's values, hours as text so that their two decimals count."""
    return [
        (when, worker, workshop, sku, str(hours), *rest)
        for when, worker, workshop, sku, hours, *rest in ProductionRecord.objects.order_by(
            "day", "workshop__slug", "worker__reference", "sku__code"
        ).values_list(
            "day",
            "worker__reference",
            "workshop__slug",
            "sku__code",
            "hours",
            "pieces",
            "rejects",
            "supervisor__username",
            "supervisor_note",
            "breaches",
            "legacy",
        )
    ]


def state() -> tuple:
    return (
        rows(),
        list(ProductionImport.objects.order_by("pk").values_list("pk", flat=True)),
        ModelLogEntry.objects.filter(action=IMPORTED).count(),
    )


def imported(data: bytes, *, file_name="production.csv", **options) -> ImportResult:
    return import_production(data, file_name=file_name, today=TODAY, **options)


def refusal(data: bytes, *, file_name="production.csv", **options) -> list[str]:
    """The problems ``data`` is refused for; asserts that nothing changed."""
    before = state()
    with pytest.raises(ProductionRefused) as refused:
        imported(data, file_name=file_name, **options)
    assert state() == before
    return [str(problem) for problem in refused.value.problems]


def xlsx_file(*cells_by_row, text_cells=()) -> bytes:
    """A workbook of the header and ``cells_by_row``; openpyxl stores a string that starts with
    ``=`` as a formula, except in ``text_cells`` (e.g. "I2"), kept as text."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for cells in cells_by_row:
        sheet.append(cells)
    for name in text_cells:
        sheet[name].data_type = "s"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def padded(size: int) -> bytes:
    """A valid file of exactly ``size`` bytes: the header, one good row, then blank rows."""
    data = csv_file(line())
    filler = b"," * 9 + b" " * 1013 + b"\n"
    count, rest = divmod(size - len(data), len(filler))
    last = b"," * 9 + b" " * (len(filler) + rest - 10) + b"\n"
    return data + filler * (count - 1) + last


def import_command(path, **options) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_production", str(path), verbosity=0, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()
