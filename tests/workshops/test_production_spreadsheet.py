"""The production file format's edges (workshops/production/spreadsheet.py): a spreadsheet bomb is
refused before it unpacks, a text cell led by a tab is a formula however it is stripped, and a
note holding a bare carriage return comes back from its CSV export unchanged."""

import io
import tracemalloc
import zipfile
from decimal import Decimal

import pytest

from tests.core.test_xlsx import shared_string, with_part
from tests.workshops.production_builders import csv_file, day
from tests.workshops.production_files import imported, line, refusal, rows, xlsx_file
from workshops.models import ProductionImport, ProductionRecord
from workshops.production import export_production

pytestmark = pytest.mark.django_db
MIB = 1024 * 1024
FORMULA = (
    "Line 2: “{}” would run as a spreadsheet formula; if it is text, start it with an "
    "apostrophe (')."
)


def production_bomb(size: int) -> bytes:
    """A production workbook whose one text cell is ``size`` bytes long."""
    data = xlsx_file([day(0).isoformat(), "W-000000", "tailoring-north", "SKU-A", 4, 0, 0, "sup"])
    source = zipfile.ZipFile(io.BytesIO(data))
    types = source.read("[Content_Types].xml").replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            if info.filename != "xl/sharedStrings.xml":
                archive.writestr(
                    info, types if info.filename == "[Content_Types].xml" else source.read(info)
                )
    return with_part("xl/sharedStrings.xml", shared_string(size), data=out.getvalue())


def test_a_spreadsheet_bomb_is_refused_before_it_unpacks_and_nothing_is_saved(world):
    """256 MiB of one cell in a 255 KiB upload: openpyxl alone would hold it all, and more."""
    bomb = production_bomb(256 * MIB)
    assert len(bomb) < MIB

    tracemalloc.start()
    try:
        problems = refusal(bomb, file_name="bomb.xlsx")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert problems == [
        "The spreadsheet unpacks to more than 24 MiB; at most 24 MiB are read. "
        "Split it into smaller files."
    ]
    assert peak < 50 * MIB


def test_a_small_production_workbook_with_a_shared_string_table_still_imports(world):
    imported(production_bomb(10), file_name="small.xlsx")

    assert ProductionRecord.objects.count() == 1


# A tab in front of text


@pytest.mark.parametrize("note", ["\tcalm", "\rcalm", " \t=1+1"])
def test_a_csv_text_cell_led_by_a_formula_character_is_refused_before_it_is_stripped(world, note):
    assert refusal(csv_file(line(note=f'"{note}"'))) == [FORMULA.format(note)]


def test_an_xlsx_text_cell_led_by_a_tab_is_refused_before_it_is_stripped(world):
    data = xlsx_file(
        [day(0).isoformat(), "W-000000", "tailoring-north", "SKU-A", 4, None, None, "sup", "\tx"]
    )

    assert refusal(data, file_name="production.xlsx") == [FORMULA.format("\tx")]


# A bare carriage return in a note


@pytest.mark.parametrize("note", ["first\rsecond", "first\r\nsecond", "\r", "a\rb\nc"])
def test_a_note_with_a_carriage_return_survives_the_csv_round_trip(world, note):
    ProductionRecord.objects.create(
        worker=world.workers[0],
        workshop=world.workshop,
        day=day(0),
        sku=world.skus[0],
        hours=Decimal(1),
        supervisor=world.supervisor,
        supervisor_note=note,
    )
    before = rows()
    exported = export_production(workshop=world.workshop, start=day(0), end=day(6))
    ProductionRecord.objects.all().delete()
    ProductionImport.objects.all().delete()

    imported(exported, file_name="export.csv")

    assert rows() == before
    assert rows()[0][8] == note
