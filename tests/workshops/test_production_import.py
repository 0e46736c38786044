"""The production importer and exporter, and the commands behind them (workshops/production/
importer.py, exporter.py, spreadsheet.py; DESIGN.md, "Contracts at the boundary")."""

import datetime
import hashlib
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook
from wagtail.models import ModelLogEntry

from tests.workshops.builders import build_partner, contract_fields
from tests.workshops.production_builders import (
    SINCE,
    TODAY,
    build_worker_in,
    build_world,
    csv_file,
    day,
)
from workshops.models import Consent, ProductionImport, ProductionRecord
from workshops.production import (
    MAX_IMPORT_BYTES,
    ImportResult,
    ProductionRefused,
    checks,
    export_production,
    import_production,
)
from workshops.production.spreadsheet import FORMULA_STARTS, HEADER, escape_text, unescape_text
from workshops.register.contracts import create_contract

IMPORTED = "bridgework.production_imported"
HEADER_LINE = ",".join(HEADER)


@pytest.fixture
def world(db):
    return build_world()


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


def refused_command(path, **options) -> tuple[str, str]:
    """(the CommandError's message, stderr); asserts that nothing changed."""
    before = state()
    err = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command(
            "import_production", str(path), verbosity=0, stdout=io.StringIO(), stderr=err, **options
        )
    assert state() == before
    return str(refused.value), err.getvalue()


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
                "Line 2: W-000000 would have 25 hours on 2026-11-02: more than a day holds.",
            ],
        ),
        (
            {"pieces": "-3"},
            ["Line 2: -3 accepted pieces: a record holds a whole number from 0 to 10000."],
        ),
        ({"rejects": "1.5"}, ["Line 2: rejects “1.5” is not a whole number."]),
        ({"pieces": "Infinity"}, ["Line 2: pieces “Infinity” is not a whole number."]),
        ({"when": TODAY + datetime.timedelta(days=1)}, ["Line 2: 2026-11-27 is in the future."]),
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
            ["Line 2: W-000002 was not assigned to crew-north on 2026-11-02."],
        ),
        (
            {"supervisor": "sup-other"},
            ["Line 2: sup-other does not supervise tailoring-north on 2026-11-02."],
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
        "Line 2: A record for W-000000 at tailoring-north on 2026-11-02 (SKU-A) exists."
    ]
    assert len(rows()) == 1


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


# Legacy rows, fitness and consent


@pytest.fixture
def partner_workshop(world):
    """Work at ``world.workshop`` is for Acme from the start of the year."""
    partner = build_partner("acme")
    create_contract(workshop=world.workshop, **contract_fields(partner))
    return partner


@pytest.fixture
def uncleared(world):
    return build_worker_in([world.workshop], "W-000009", cleared=False)


def test_a_legacy_row_is_refused_without_allow_legacy(world, partner_workshop, uncleared):
    legacy = csv_file(line(worker="W-000009", supervisor="", legacy="yes"))

    assert refusal(legacy) == [
        "Line 2: Legacy rows are accepted only when importing with --legacy."
    ]


def test_a_legacy_row_skips_the_fitness_and_consent_checks_when_allowed(
    world, partner_workshop, uncleared
):
    legacy = csv_file(line(worker="W-000009", supervisor="", note="Old ledger", legacy="yes"))

    result = imported(legacy, allow_legacy=True)

    assert (result.rows, result.source.legacy) == (1, True)
    assert rows() == [
        (day(0), "W-000009", "tailoring-north", "SKU-A", "4.00", 0, 0, None, "Old ledger", "", True)
    ]


def test_the_same_row_not_legacy_needs_a_supervisor_fitness_and_consent(
    world, partner_workshop, uncleared
):
    assert refusal(csv_file(line(worker="W-000009", supervisor="")), allow_legacy=True) == [
        "Line 2: Name the supervisor: only legacy rows may leave it empty.",
        "Line 2: W-000009 has no fitness clearance on file for 2026-11-02 (Mandela Rule 96).",
        "Line 2: W-000009 has no work consent for Acme in force on 2026-11-02.",
    ]


def test_a_legacy_row_still_needs_its_named_supervisor_to_supervise(world):
    assert refusal(csv_file(line(supervisor="sup-other", legacy="yes")), allow_legacy=True) == [
        "Line 2: sup-other does not supervise tailoring-north on 2026-11-02."
    ]


def test_no_fitness_clearance_on_file_is_refused(world, uncleared):
    assert refusal(csv_file(line(worker="W-000009"))) == [
        "Line 2: W-000009 has no fitness clearance on file for 2026-11-02 (Mandela Rule 96)."
    ]


def test_partner_work_without_consent_is_refused(world, partner_workshop):
    assert refusal(csv_file(line())) == [
        "Line 2: W-000000 has no work consent for Acme in force on 2026-11-02."
    ]


@pytest.mark.parametrize(
    ("signed", "withdrawn", "worked", "accepted"),
    [
        (SINCE, None, day(0), True),
        (day(3), None, day(2), False),
        (SINCE, day(0), day(6), True),  # the last day of the 7 days' notice
        (SINCE, day(0), day(7), False),
    ],
    ids=["in-force", "signed-later", "within-notice", "after-notice"],
)
def test_partner_work_needs_a_consent_in_force(
    world, partner_workshop, signed, withdrawn, worked, accepted
):
    Consent.objects.create(
        worker=world.workers[0],
        kind=Consent.Kind.WORK,
        partner=partner_workshop,
        signed_on=signed,
        withdrawn_on=withdrawn,
    )
    data = csv_file(line(when=worked))

    if accepted:
        imported(data)
        assert rows() == [
            (worked, "W-000000", "tailoring-north", "SKU-A", "4.00", 0, 0, "sup", "", "", False)
        ]
    else:
        assert refusal(data) == [
            f"Line 2: W-000000 has no work consent for Acme in force on {worked}."
        ]


# Working time (Mandela Rule 102)


def test_hours_over_the_day_limit_need_a_note(world):
    assert refusal(csv_file(line(hours="9"))) == [
        "Line 2: 9 hours on 2026-11-02; the limit is 8.00 a day. Hours over the working-time "
        "limits need a reason in the supervisor's note."
    ]


def test_hours_over_the_day_limit_with_a_note_are_kept_with_the_breach(world):
    imported(csv_file(line(hours="9", note="Rush order")))

    assert rows() == [
        (
            day(0),
            "W-000000",
            "tailoring-north",
            "SKU-A",
            "9.00",
            0,
            0,
            "sup",
            "Rush order",
            "HOURS_DAY",
            False,
        )
    ]


def test_the_day_limit_counts_every_workshop_and_saved_record(world):
    imported(csv_file(line(hours="5")))

    assert refusal(csv_file(line(workshop="crew-north", sku="", hours="4")), file_name="b.csv") == [
        "Line 2: 9.00 hours on 2026-11-02; the limit is 8.00 a day. Hours over the working-time "
        "limits need a reason in the supervisor's note."
    ]


def week(hours, notes=()) -> bytes:
    """W-000000 at tailoring-north from Monday, ``hours`` a day; ``notes`` by day."""
    notes = dict(notes)
    return csv_file(
        *(line(when=day(n), hours=h, note=notes.get(n, "")) for n, h in enumerate(hours))
    )


def test_hours_over_the_week_limit_need_a_note(world):
    assert refusal(week(["8", "8", "8", "8", "8", "1"])) == [
        "Line 7: 41 hours in the week of 2026-11-02; the limit is 40.00 a week. Hours over the "
        "working-time limits need a reason in the supervisor's note."
    ]


def test_hours_over_the_week_limit_with_a_note_are_kept_with_the_breach(world):
    imported(week(["8", "8", "8", "8", "8", "1"], {5: "Stock-take"}))

    assert [(when, breaches) for when, *_, breaches, legacy in rows()] == [
        (day(0), ""),
        (day(1), ""),
        (day(2), ""),
        (day(3), ""),
        (day(4), ""),
        (day(5), "HOURS_WEEK"),
    ]


def test_seven_days_without_rest_need_a_note_on_each(world):
    notes = {n: "Harvest" for n in range(6)}

    assert refusal(week(["6"] * 7, notes)) == [
        "Line 8: 42 hours in the week of 2026-11-02; the limit is 40.00 a week. No day of rest "
        "in the 7 days up to 2026-11-08. Hours over the working-time limits need a reason in the "
        "supervisor's note."
    ]


def test_seven_days_without_rest_with_notes_are_kept_with_the_breaches(world):
    imported(week(["6"] * 7, {n: "Harvest" for n in range(7)}))

    assert [(when, breaches) for when, *_, breaches, legacy in rows()] == [
        (day(0), "REST_DAY"),
        (day(1), "REST_DAY"),
        (day(2), "REST_DAY"),
        (day(3), "REST_DAY"),
        (day(4), "REST_DAY"),
        (day(5), "REST_DAY"),
        (day(6), "HOURS_WEEK REST_DAY"),
    ]


def test_a_day_over_24_hours_across_two_workshops_is_refused_even_with_a_note(world):
    data = csv_file(
        line(hours="13", note="Emergency"),
        line(workshop="crew-north", sku="", hours="12", note="Emergency"),
    )

    assert refusal(data) == [
        "Line 2: W-000000 would have 25 hours on 2026-11-02: more than a day holds.",
        "Line 3: W-000000 would have 25 hours on 2026-11-02: more than a day holds.",
    ]


# Who imports


def test_a_supervisor_imports_only_for_the_workshops_they_supervise(world):
    data = csv_file(line(), line(workshop="bakery-north", sku="SKU-O", supervisor="sup-other"))
    world.workers[0].assignments.create(workshop=world.other, start=SINCE)

    assert refusal(data, user=world.supervisor) == [
        "Line 3: You do not supervise bakery-north on 2026-11-02."
    ]


# The audit log


def test_an_import_writes_one_log_entry_with_the_file(world):
    data = csv_file(line(), line(workshop="crew-north", sku=""))

    source = imported(data, user=world.supervisor).source

    entry = ModelLogEntry.objects.get(action=IMPORTED)
    assert (entry.content_type.model_class(), entry.object_id, entry.user) == (
        ProductionImport,
        str(source.pk),
        world.supervisor,
    )
    assert entry.data == {
        "file": "production.csv",
        "sha256": hashlib.sha256(data).hexdigest(),
        "rows": 2,
        "legacy": False,
        "workshops": ["crew-north", "tailoring-north"],
    }
    assert source.imported_by == world.supervisor


def test_a_refused_import_writes_no_log_entry(world):
    refusal(csv_file(line(), line(worker="W-999999")))

    assert ModelLogEntry.objects.filter(action=IMPORTED).count() == 0


# The import command


def test_the_command_imports_a_file(world, tmp_path):
    path = tmp_path / "production.csv"
    path.write_bytes(csv_file(line(), line(worker="W-000001")))

    assert import_command(path) == ("2 record(s) imported.\n", "")

    source = ProductionImport.objects.get()
    assert (source.file_name, source.rows) == ("production.csv", 2)
    assert len(rows()) == 2


def test_the_command_dry_run_saves_nothing(world, tmp_path):
    path = tmp_path / "production.csv"
    path.write_bytes(csv_file(line(), line(worker="W-000001")))

    assert import_command(path, dry_run=True) == (
        "2 row(s) checked: all would be accepted (dry run, nothing saved).\n",
        "",
    )
    assert state() == ([], [], 0)


def test_the_command_reports_every_problem_by_line_and_fails(world, tmp_path):
    path = tmp_path / "production.csv"
    path.write_bytes(
        csv_file(line(), line(worker="W-999999"), line(worker="W-000001", hours="abc"))
    )

    assert refused_command(path) == (
        "production.csv was refused: 2 problem(s); nothing was saved.",
        "Line 3: Unknown worker “W-999999”.\nLine 4: hours “abc” is not a number.\n",
    )


def test_the_command_lists_the_first_problems_and_counts_the_rest(world, tmp_path, monkeypatch):
    monkeypatch.setattr(checks, "REPORTED_PROBLEMS", 2)
    path = tmp_path / "production.csv"
    path.write_bytes(
        csv_file(
            line(worker="W-999999"),
            line(worker="W-000001", hours="abc"),
            line(worker="W-999998"),
            line(worker="W-999997"),
        )
    )

    assert refused_command(path) == (
        "production.csv was refused: 4 problem(s); nothing was saved.",
        "Line 2: Unknown worker “W-999999”.\nLine 3: hours “abc” is not a number.\n"
        "…and 2 more problems, not listed.\n",
    )


def test_the_command_accepts_legacy_rows_only_with_legacy(world, tmp_path):
    path = tmp_path / "history.csv"
    path.write_bytes(csv_file(line(supervisor="", legacy="yes")))

    assert refused_command(path) == (
        "history.csv was refused: 1 problem(s); nothing was saved.",
        "Line 2: Legacy rows are accepted only when importing with --legacy.\n",
    )
    assert import_command(path, legacy=True) == ("1 record(s) imported.\n", "")
    assert ProductionImport.objects.get().legacy is True


def test_the_command_refuses_a_file_over_the_size_limit(world, tmp_path):
    path = tmp_path / "huge.csv"
    path.write_bytes(padded(MAX_IMPORT_BYTES + 1))

    assert refused_command(path) == ("The file is 20.00 MiB; the limit is 20 MiB.", "")


def test_the_command_refuses_a_missing_file(world, tmp_path):
    path = tmp_path / "missing.csv"

    assert refused_command(path) == (f"No such file: {path}", "")


def test_the_command_refuses_an_empty_file(world, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")

    assert refused_command(path) == (
        "empty.csv was refused: 1 problem(s); nothing was saved.",
        "The file is empty.\n",
    )


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
        "Line 2: A record for W-000000 at tailoring-north on 2026-11-02 (SKU-A) exists.",
        "Line 3: A record for W-000001 at tailoring-north on 2026-11-02 (SKU-A) exists.",
    ]
    assert list(ProductionRecord.objects.values_list("pk", "hours")) == before
