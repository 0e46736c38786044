"""Importing production files (``workshops/production/importer.py``; DESIGN.md, "Contracts at the
boundary"): a valid CSV or workbook imports every row with its values, a dry run saves nothing,
and one bad row refuses the whole file with every bad row reported, by line, with its reason.
"""

import datetime
import hashlib
from decimal import Decimal

import pytest

from tests.workshops.production_builders import TODAY, build_world, csv_file, day
from tests.workshops.production_files import imported, line, refusal, rows, state, xlsx_file
from workshops.models import ProductionImport, ProductionRecord
from workshops.production import ImportResult, ProductionRefused, import_production


@pytest.fixture
def world(db):
    return build_world()


# A valid file


def test_a_valid_csv_imports_every_row_with_its_values(world):
    data = csv_file(
        line(hours="7.5", pieces="120", rejects="3", note="Good"),
        line(worker="W-000001", sku="SKU-B", hours="6.25", pieces="40"),
        line(workshop="crew-north", sku="", hours="0.5"),
    )

    result = imported(data)

    source = ProductionImport.objects.get()
    assert result == ImportResult(rows=3, dry_run=False, source=source)
    assert (source.file_name, source.sha256, source.rows, source.legacy, source.imported_by) == (
        "production.csv",
        hashlib.sha256(data).hexdigest(),
        3,
        False,
        None,
    )
    assert rows() == [
        (day(0), "W-000000", "crew-north", None, "0.50", 0, 0, "sup", "", "", False),
        (
            day(0),
            "W-000000",
            "tailoring-north",
            "SKU-A",
            "7.50",
            120,
            3,
            "sup",
            "Good",
            "",
            False,
        ),
        (day(0), "W-000001", "tailoring-north", "SKU-B", "6.25", 40, 0, "sup", "", "", False),
    ]
    assert {type(hours) for hours in ProductionRecord.objects.values_list("hours", flat=True)} == {
        Decimal
    }
    assert set(ProductionRecord.objects.values_list("source", flat=True)) == {source.pk}


def test_a_valid_xlsx_imports_every_row_with_its_values(world):
    data = xlsx_file(
        [day(0), "W-000000", "tailoring-north", "SKU-A", 7.5, 120, 3, "sup", "Good", None],
        [day(0), "W-000001", "tailoring-north", "SKU-B", 6.25, 40, None, "sup", None, None],
        [day(1), "W-000000", "crew-north", None, 8, None, None, "sup", None, None],
    )

    result = imported(data, file_name="production.xlsx")

    source = ProductionImport.objects.get()
    assert result == ImportResult(rows=3, dry_run=False, source=source)
    assert (source.file_name, source.sha256, source.rows, source.legacy) == (
        "production.xlsx",
        hashlib.sha256(data).hexdigest(),
        3,
        False,
    )
    assert rows() == [
        (
            day(0),
            "W-000000",
            "tailoring-north",
            "SKU-A",
            "7.50",
            120,
            3,
            "sup",
            "Good",
            "",
            False,
        ),
        (day(0), "W-000001", "tailoring-north", "SKU-B", "6.25", 40, 0, "sup", "", "", False),
        (day(1), "W-000000", "crew-north", None, "8.00", 0, 0, "sup", "", "", False),
    ]
    assert set(ProductionRecord.objects.values_list("source", flat=True)) == {source.pk}


def test_a_dry_run_checks_every_row_and_saves_nothing(world):
    data = csv_file(line(), line(worker="W-000001"))
    before = state()

    assert imported(data, dry_run=True) == ImportResult(rows=2, dry_run=True, source=None)

    assert state() == before == ([], [], 0)


# All or nothing


def test_one_bad_row_refuses_the_file_and_every_bad_row_is_reported_in_line_order(world):
    data = csv_file(
        line(),
        line(worker="W-999999"),
        line(worker="W-000001"),
        line(worker="W-000002", hours="abc"),
        line(worker="W-000002", sku="SKU-O"),
    )

    assert refusal(data) == [
        "Line 3: Unknown worker “W-999999”.",
        "Line 5: hours “abc” is not a number.",
        "Line 6: SKU SKU-O is not made by tailoring-north.",
    ]
    assert state() == ([], [], 0)


def test_an_xlsx_file_reports_its_bad_rows_by_line(world):
    data = xlsx_file(
        [day(0), "W-000000", "tailoring-north", "SKU-A", 4, None, None, "sup", None, None],
        [day(0), "W-999999", "tailoring-north", "SKU-A", 4, None, None, "sup", None, None],
    )

    assert refusal(data, file_name="production.xlsx") == ["Line 3: Unknown worker “W-999999”."]


# Each bad input


@pytest.mark.parametrize(
    ("changes", "problems"),
    [
        ({"hours": "-1"}, ["Line 2: -1 hours: hours are between 0 and 24."]),
        ({"hours": "eight"}, ["Line 2: hours “eight” is not a number."]),
        ({"hours": "NaN"}, ["Line 2: hours “NaN” is not a number."]),
        ({"hours": "4.125"}, ["Line 2: hours “4.125” has more than two decimals."]),
        ({"hours": ""}, ["Line 2: Hours are missing."]),
        (
            {"hours": "25"},
            [
                "Line 2: 25 hours: hours are between 0 and 24.",
                "Line 2: W-000000 would have 25 hours on Nov 2, 2026: more than a day holds.",
            ],
        ),
        (
            {"pieces": "-3"},
            ["Line 2: -3 accepted pieces: a record holds a whole number from 0 to 10000."],
        ),
        ({"rejects": "1.5"}, ["Line 2: rejects “1.5” is not a whole number."]),
        ({"pieces": "Infinity"}, ["Line 2: pieces “Infinity” is not a whole number."]),
        ({"when": TODAY + datetime.timedelta(days=1)}, ["Line 2: Nov 27, 2026 is in the future."]),
        ({"worker": "W-999999"}, ["Line 2: Unknown worker “W-999999”."]),
        ({"worker": ""}, ["Line 2: The worker is missing."]),
        ({"workshop": "nowhere"}, ["Line 2: Unknown workshop “nowhere”."]),
        ({"sku": "SKU-Z"}, ["Line 2: Unknown SKU “SKU-Z”."]),
        ({"supervisor": "nobody"}, ["Line 2: Unknown supervisor “nobody”."]),
        ({"sku": "SKU-O"}, ["Line 2: SKU SKU-O is not made by tailoring-north."]),
        (
            {"workshop": "crew-north"},
            ["Line 2: crew-north does time-only work: leave the SKU empty."],
        ),
        ({"sku": ""}, ["Line 2: tailoring-north makes products: give the SKU."]),
        (
            {"workshop": "crew-north", "sku": "", "pieces": "3"},
            ["Line 2: Time-only work has no pieces or rejects."],
        ),
        (
            {"worker": "W-000002", "workshop": "crew-north", "sku": ""},
            ["Line 2: W-000002 was not assigned to crew-north on Nov 2, 2026."],
        ),
        (
            {"supervisor": "sup-other"},
            ["Line 2: sup-other does not supervise tailoring-north on Nov 2, 2026."],
        ),
        (
            {"supervisor": ""},
            ["Line 2: Name the supervisor: only legacy rows may leave it empty."],
        ),
        ({"legacy": "maybe"}, ["Line 2: Legacy is “yes” or empty, not “maybe”."]),
        ({"when": "2026-13-01"}, ["Line 2: Date “2026-13-01” is not a date as YYYY-MM-DD."]),
    ],
    ids=[
        "negative-hours",
        "non-numeric-hours",
        "nan-hours",
        "three-decimals",
        "missing-hours",
        "25-hours",
        "negative-pieces",
        "fractional-rejects",
        "infinite-pieces",
        "future-day",
        "unknown-worker",
        "missing-worker",
        "unknown-workshop",
        "unknown-sku",
        "unknown-supervisor",
        "sku-of-another-workshop",
        "sku-on-time-only-work",
        "no-sku-on-product-work",
        "pieces-on-time-only-work",
        "worker-not-assigned",
        "supervisor-not-supervising",
        "no-supervisor",
        "bad-legacy",
        "bad-date",
    ],
)
def test_a_bad_row_is_refused_with_its_reason(world, changes, problems):
    assert refusal(csv_file(line(**changes))) == problems


def test_more_cells_than_the_header_is_refused(world):
    assert refusal(csv_file(line() + ",extra")) == [
        "Line 2: More cells than the header has columns."
    ]


def test_the_same_row_twice_in_one_file_is_refused(world):
    assert refusal(csv_file(line(hours="3"), line(hours="3"))) == [
        "Line 3: Duplicate: the same worker, workshop, day and SKU as line 2."
    ]


def test_a_row_that_duplicates_a_saved_record_is_refused(world):
    imported(csv_file(line(hours="3")))

    assert refusal(csv_file(line(hours="3")), file_name="again.csv") == [
        "Line 2: A record for W-000000 at tailoring-north on Nov 2, 2026 (SKU-A) exists."
    ]
    assert len(rows()) == 1


def test_a_file_imported_twice_is_refused_line_by_line_as_duplicates_only(world):
    """The second import names each line as a duplicate and nothing else: the records it repeats
    are not counted twice toward the working-time limits."""
    data = csv_file(
        f"{day(0)},W-000000,tailoring-north,SKU-A,7,10,0,sup,,",
        f"{day(0)},W-000001,tailoring-north,SKU-A,7,10,0,sup,,",
    )
    import_production(data, file_name="first.csv", today=TODAY)
    before = list(ProductionRecord.objects.values_list("pk", "hours"))

    with pytest.raises(ProductionRefused) as refused:
        import_production(data, file_name="again.csv", today=TODAY)

    assert refused.value.messages == [
        "Line 2: A record for W-000000 at tailoring-north on Nov 2, 2026 (SKU-A) exists.",
        "Line 3: A record for W-000001 at tailoring-north on Nov 2, 2026 (SKU-A) exists.",
    ]
    assert list(ProductionRecord.objects.values_list("pk", "hours")) == before
