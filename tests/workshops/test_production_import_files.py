"""Files the production importer refuses as a whole, or reads with care
(``workshops/production/importer.py``, ``spreadsheet.py``): unreadable files, the size and field
limits, and formulas, which are refused unless escaped as text.
"""

import pytest

from tests.workshops.production_builders import build_world, csv_file, day
from tests.workshops.production_files import (
    HEADER_LINE,
    imported,
    line,
    padded,
    refusal,
    state,
    xlsx_file,
)
from workshops.models import ProductionRecord
from workshops.production import MAX_IMPORT_BYTES, ImportResult, ProductionRefused


@pytest.fixture
def world(db):
    return build_world()


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "The file is empty."),
        (csv_file(), "The file has a header but no rows."),
        (
            b"date,worker,workshop,sku,hours\n" + line().encode() + b"\n",
            f"The header must be exactly: {HEADER_LINE} (found: date,worker,workshop,sku,hours).",
        ),
        (b"\xff\xfe\x00d\x00a", "The file is neither CSV nor XLSX."),
    ],
    ids=["empty", "header-only", "wrong-header", "binary"],
)
def test_a_file_that_cannot_be_read_is_refused(world, data, problem):
    assert refusal(data) == [problem]


def test_a_file_over_the_size_limit_is_refused(world):
    assert refusal(padded(MAX_IMPORT_BYTES + 1)) == ["The file is 20.00 MiB; the limit is 20 MiB."]


def test_a_file_of_exactly_the_size_limit_is_read(world):
    data = padded(MAX_IMPORT_BYTES)

    assert len(data) == MAX_IMPORT_BYTES
    assert imported(data, dry_run=True) == ImportResult(rows=1, dry_run=True, source=None)


def test_a_cell_over_the_csv_field_limit_is_refused_not_a_crash(world):
    """Python's csv reader raises ``csv.Error`` for a cell over 128 KiB: a refusal, not a 500."""
    before = state()

    with pytest.raises(ProductionRefused):
        imported(csv_file(line(note="x" * 200_000)))

    assert state() == before


def test_a_note_longer_than_the_field_is_refused(world):
    """``supervisor_note`` holds 500 characters: SQLite would keep more, PostgreSQL would fail."""
    before = state()

    with pytest.raises(ProductionRefused) as refused:
        imported(csv_file(line(note="x" * 501)))

    assert [problem.line for problem in refused.value.problems] == [2]
    assert state() == before


@pytest.mark.parametrize(
    ("cell", "text"),
    [
        (
            '"=HYPERLINK(""http://evil.example"",""click"")"',
            '=HYPERLINK("http://evil.example","click"',
        ),
        ("+1", "+1"),
        ("@SUM(A1:A9)", "@SUM(A1:A9)"),
        ("-2+3", "-2+3"),
    ],
    ids=["hyperlink", "plus", "at", "minus"],
)
@pytest.mark.parametrize("column", ["note", "worker"])
def test_an_unescaped_formula_in_a_text_cell_is_refused(world, cell, text, column):
    assert refusal(csv_file(line(**{column: cell}))) == [
        f"Line 2: “{text}” would run as a spreadsheet formula; if it is text, start it with an "
        "apostrophe (')."
    ]


def test_a_formula_text_in_an_xlsx_text_cell_is_refused(world):
    data = xlsx_file(
        [day(0), "W-000000", "tailoring-north", "SKU-A", 4, None, None, "sup", "=1+1", None],
        text_cells=["I2"],
    )

    assert refusal(data, file_name="production.xlsx") == [
        "Line 2: “=1+1” would run as a spreadsheet formula; if it is text, start it with an "
        "apostrophe (')."
    ]


def test_a_formula_cell_in_an_xlsx_file_is_refused_not_read_as_empty(world):
    """The importer reads cached values (``data_only``); a formula saved without one (openpyxl,
    or a generator) reads as empty, so the note would vanish without a word."""
    formula = '=HYPERLINK("http://evil.example","click")'
    data = xlsx_file(
        [day(0), "W-000000", "tailoring-north", "SKU-A", 4, None, None, "sup", formula, None]
    )
    before = state()

    with pytest.raises(ProductionRefused) as refused:
        imported(data, file_name="production.xlsx")

    assert [problem.line for problem in refused.value.problems] == [2]
    assert state() == before


def test_an_escaped_formula_is_imported_as_its_text(world):
    imported(csv_file(line(note="'=1+1"), line(worker="W-000001", note="''quoted")))

    assert list(
        ProductionRecord.objects.order_by("worker__reference").values_list(
            "supervisor_note", flat=True
        )
    ) == ["=1+1", "'quoted"]
