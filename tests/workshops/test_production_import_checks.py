"""The checks an imported row passes (``workshops/production/checks.py``): legacy rows, fitness
clearance and consent for partner work, the day and week limits and the day of rest (kept with a
note and the breach recorded), and a supervisor importing only for their own workshops.
"""

import pytest

from core.formatting import format_day
from tests.workshops.builders import build_partner, contract_fields
from tests.workshops.production_builders import SINCE, build_worker_in, build_world, csv_file, day
from tests.workshops.production_files import imported, line, refusal, rows
from workshops.models import Consent
from workshops.register.contracts import create_contract


@pytest.fixture
def world(db):
    return build_world()


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
        "Line 2: W-000009 has no fitness clearance on file for Nov 2, 2026 (Mandela Rule 96).",
        "Line 2: W-000009 has no work consent for Acme in force on Nov 2, 2026.",
    ]


def test_a_legacy_row_still_needs_its_named_supervisor_to_supervise(world):
    assert refusal(csv_file(line(supervisor="sup-other", legacy="yes")), allow_legacy=True) == [
        "Line 2: sup-other does not supervise tailoring-north on Nov 2, 2026."
    ]


def test_no_fitness_clearance_on_file_is_refused(world, uncleared):
    assert refusal(csv_file(line(worker="W-000009"))) == [
        "Line 2: W-000009 has no fitness clearance on file for Nov 2, 2026 (Mandela Rule 96)."
    ]


def test_partner_work_without_consent_is_refused(world, partner_workshop):
    assert refusal(csv_file(line())) == [
        "Line 2: W-000000 has no work consent for Acme in force on Nov 2, 2026."
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
            f"Line 2: W-000000 has no work consent for Acme in force on {format_day(worked)}."
        ]


# Working time (Mandela Rule 102)


def test_hours_over_the_day_limit_need_a_note(world):
    assert refusal(csv_file(line(hours="9"))) == [
        "Line 2: 9 hours on Nov 2, 2026; the limit is 8.00 a day. Hours over the working-time "
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
        "Line 2: 9.00 hours on Nov 2, 2026; the limit is 8.00 a day. Hours over the working-time "
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
        "Line 7: 41 hours in the week of Nov 2, 2026; the limit is 40.00 a week. Hours over the "
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
        "Line 8: 42 hours in the week of Nov 2, 2026; the limit is 40.00 a week. No day of rest "
        "in the 7 days up to Nov 8, 2026. Hours over the working-time limits need a reason in the "
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
        "Line 2: W-000000 would have 25 hours on Nov 2, 2026: more than a day holds.",
        "Line 3: W-000000 would have 25 hours on Nov 2, 2026: more than a day holds.",
    ]


# Who imports


def test_a_supervisor_imports_only_for_the_workshops_they_supervise(world):
    data = csv_file(line(), line(workshop="bakery-north", sku="SKU-O", supervisor="sup-other"))
    world.workers[0].assignments.create(workshop=world.other, start=SINCE)

    assert refusal(data, user=world.supervisor) == [
        "Line 3: You do not supervise bakery-north on Nov 2, 2026."
    ]
