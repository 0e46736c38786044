"""The production exporter and its command (``workshops/production/exporter.py``,
``export_production``): the header and the workshop's rows in order, formulas escaped, and an
export that imports into an empty database unchanged.
"""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given
from hypothesis import strategies as st

from tests.workshops.production_builders import build_world, csv_file, day
from tests.workshops.production_files import HEADER_LINE, import_command, imported, line, rows
from workshops.models import ProductionImport, ProductionRecord
from workshops.production import export_production
from workshops.production.spreadsheet import FORMULA_STARTS, escape_text, unescape_text


@pytest.fixture
def world(db):
    return build_world()


def export_command(tmp_path, name="export.csv") -> bytes:
    """``tailoring-north``'s first week, as the command line would ask for it."""
    output = tmp_path / name
    call_command(
        "export_production",
        "--workshop=tailoring-north",
        f"--start={day(0)}",
        f"--end={day(6)}",
        f"--output={output}",
    )
    return output.read_bytes()


def forget_everything() -> None:
    ProductionRecord.objects.all().delete()
    ProductionImport.objects.all().delete()


# Export


def record(world, when, worker, sku, hours, **fields) -> ProductionRecord:
    return ProductionRecord.objects.create(
        worker=world.workers[worker],
        workshop=sku.workshop if sku else world.crew,
        day=when,
        sku=sku,
        hours=Decimal(hours),
        **{"supervisor": world.supervisor, **fields},
    )


def test_the_export_writes_the_header_and_the_workshops_rows_in_order(world, tmp_path):
    sku_a, sku_b = world.skus
    record(world, day(0), 1, sku_a, "7.5", pieces=100, rejects=2)
    record(world, day(0), 0, sku_b, "8", pieces=50, supervisor_note='Machine, then "jammed"')
    record(world, day(0), 0, sku_a, "0.5", pieces=5)
    record(world, day(1), 2, sku_a, "3.25", supervisor=None, supervisor_note="Ledger", legacy=True)
    record(world, day(1), 0, None, "2")  # another workshop
    record(world, day(7), 0, sku_a, "1")  # after the end

    assert export_command(tmp_path).decode() == (
        f"{HEADER_LINE}\n"
        "2026-11-02,W-000000,tailoring-north,SKU-A,0.50,5,0,sup,,\n"
        '2026-11-02,W-000000,tailoring-north,SKU-B,8.00,50,0,sup,"Machine, then ""jammed""",\n'
        "2026-11-02,W-000001,tailoring-north,SKU-A,7.50,100,2,sup,,\n"
        "2026-11-03,W-000002,tailoring-north,SKU-A,3.25,0,0,,Ledger,yes\n"
    )


def test_the_export_writes_to_standard_output_without_output(world, capsysbinary):
    record(world, day(0), 0, None, "2")

    call_command("export_production", workshop="crew-north", start="2026-11-02", end="2026-11-08")

    assert capsysbinary.readouterr().out == (
        f"{HEADER_LINE}\n2026-11-02,W-000000,crew-north,,2.00,0,0,sup,,\n".encode()
    )


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"workshop": "nowhere"}, "Unknown workshop “nowhere”."),
        ({"end": "2026-11-01"}, "The end comes before the start."),
        ({"start": "2 Nov"}, "“2 Nov” is not a date as YYYY-MM-DD."),
    ],
    ids=["unknown-workshop", "end-before-start", "bad-date"],
)
def test_the_export_command_refuses_bad_arguments(world, options, message):
    arguments = {"workshop": "crew-north", "start": "2026-11-02", "end": "2026-11-08", **options}

    with pytest.raises(CommandError) as refused:
        call_command("export_production", **arguments)

    assert str(refused.value) == message


ESCAPED = [  # (day, worker, SKU, note, as exported), in the export's order
    (0, 0, 0, "=1+1", "'=1+1"),
    (0, 0, 1, "+44 1234", "'+44 1234"),
    (0, 1, 0, "-5 broken", "'-5 broken"),
    (0, 1, 1, "@SUM(A1)", "'@SUM(A1)"),
    (0, 2, 0, "'quoted", "''quoted"),
    (0, 2, 1, "\tindented", "'\tindented"),
    (1, 0, 0, "plain", "plain"),
]


def test_the_export_escapes_formulas_and_the_import_reverses_it(world, tmp_path):
    for when, worker, sku, note, _ in ESCAPED:
        record(world, day(when), worker, world.skus[sku], "1", supervisor_note=note)
    before = rows()

    exported = export_command(tmp_path)

    assert [row.rsplit(",", 2)[1] for row in exported.decode().splitlines()[1:]] == [
        escaped for *_, escaped in ESCAPED
    ]
    forget_everything()
    imported(exported, file_name="export.csv")
    assert rows() == before


ROUND_TRIP = csv_file(
    line(hours="7.5", pieces="120", rejects="3", note="Good"),
    line(sku="SKU-B", hours="0.5", pieces="4"),
    line(worker="W-000001", hours="9", note='"\'=rush order, approved"'),
    line(worker="W-000001", when=day(1), sku="SKU-B", hours="2", note='"""Quoted"", with comma"'),
    line(
        worker="W-000002",
        when=day(1),
        sku="SKU-B",
        hours="6.25",
        pieces="30",
        rejects="1",
        supervisor="",
        note="Old ledger",
        legacy="yes",
    ),
)
ROUND_TRIP_ROWS = [
    (day(0), "W-000000", "tailoring-north", "SKU-A", "7.50", 120, 3, "sup", "Good", "", False),
    (day(0), "W-000000", "tailoring-north", "SKU-B", "0.50", 4, 0, "sup", "", "", False),
    (
        day(0),
        "W-000001",
        "tailoring-north",
        "SKU-A",
        "9.00",
        0,
        0,
        "sup",
        "=rush order, approved",
        "HOURS_DAY",
        False,
    ),
    (
        day(1),
        "W-000001",
        "tailoring-north",
        "SKU-B",
        "2.00",
        0,
        0,
        "sup",
        '"Quoted", with comma',
        "",
        False,
    ),
    (day(1), "W-000002", "tailoring-north", "SKU-B", "6.25", 30, 1, None, "Old ledger", "", True),
]


def round_trip(tmp_path, name) -> bytes:
    """Import ``ROUND_TRIP``, export it to ``name``, forget everything, import the export."""
    source = tmp_path / "production.csv"
    source.write_bytes(ROUND_TRIP)
    import_command(source, legacy=True)
    assert rows() == ROUND_TRIP_ROWS
    exported = export_command(tmp_path, name)
    forget_everything()
    assert import_command(tmp_path / name, legacy=True) == ("5 record(s) imported.\n", "")
    return exported


def test_a_csv_export_imports_into_an_empty_database_unchanged(world, tmp_path):
    exported = round_trip(tmp_path, "export.csv")

    assert rows() == ROUND_TRIP_ROWS
    assert export_command(tmp_path, "again.csv") == exported


def test_an_xlsx_export_imports_into_an_empty_database_unchanged(world, tmp_path):
    exported = round_trip(tmp_path, "export.xlsx")

    assert exported.startswith(b"PK\x03\x04")
    assert rows() == ROUND_TRIP_ROWS


def test_a_note_with_surrounding_spaces_survives_the_round_trip(world, tmp_path):
    """The importer strips every cell, so " -5 broken " comes back as "-5 broken", a formula."""
    record(world, day(0), 0, world.skus[0], "1", supervisor_note=" -5 broken ")
    before = rows()
    exported = export_command(tmp_path)
    forget_everything()

    imported(exported, file_name="export.csv")

    assert rows() == before


def test_the_export_function_and_command_agree(world, tmp_path):
    record(world, day(0), 0, world.skus[0], "4", supervisor_note="-minus")

    assert export_command(tmp_path) == export_production(
        workshop=world.workshop, start=day(0), end=day(6)
    )


# The escaping rule


@given(st.text())
def test_any_text_survives_escaping(text):
    escaped = escape_text(text)

    assert not escaped.startswith(FORMULA_STARTS)
    assert unescape_text(escaped) == text
