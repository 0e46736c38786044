"""Training attendance: recorded by the workshop's supervisor through the same working-time check
as production (Mandela Rule 102), which in turn counts training hours."""

from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import PermissionDenied, ValidationError
from wagtail.models import ModelLogEntry

from tests.workshops.production_builders import TODAY, day
from workshops.models import Assessment, Course, Enrolment, ProductionRecord, TrainingAttendance
from workshops.production import Entry, ProductionRefused, save_grid
from workshops.training.attendance import hours_attended, passed_assessment, record_attendance

pytestmark = pytest.mark.django_db
DAY = day(3)  # Thursday 2026-11-05


@pytest.fixture
def course(world):
    return Course.objects.create(
        code="tailoring-3",
        trade=world.workshop.trade,
        qualification="Garment maker",
        level="EQF level 3",
        awarding_body="National Vocational Authority",
        required_hours=Decimal(120),
        assessment="Practical test",
    )


@pytest.fixture
def enrolment(world, course):
    return Enrolment.objects.create(worker=world.workers[0], course=course, enrolled_on=day(0))


def attend(world, enrolment, *, on=DAY, hours="3", note="", user=None, workshop=None):
    return record_attendance(
        enrolment=enrolment,
        workshop=workshop or world.workshop,
        day=on,
        hours=hours,
        trainer="A. Trainer",
        note=note,
        user=user or world.supervisor,
        today=TODAY,
    )


def attendance() -> list[tuple]:
    return list(
        TrainingAttendance.objects.order_by("day").values_list("day", "hours", "note", "breaches")
    )


def refusal(call) -> list[str]:
    with pytest.raises(ValidationError) as refused:
        call()
    return refused.value.messages


def test_a_supervisor_records_attendance_and_it_is_logged(world, enrolment):
    recorded = attend(world, enrolment, hours="3.5")

    assert attendance() == [(DAY, Decimal("3.50"), "", "")]
    assert (recorded.trainer, recorded.recorded_by, recorded.workshop) == (
        "A. Trainer",
        world.supervisor,
        world.workshop,
    )
    assert (
        ModelLogEntry.objects.filter(action="wagtail.create", object_id=str(recorded.pk)).count()
        == 1
    )
    assert hours_attended(enrolment) == Decimal("3.50")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"on": day(30)}, "Dec 2, 2026 is in the future."),
        ({"hours": "0"}, "0 hours: attendance is from 0.01 to 24 hours."),
        ({"hours": "25"}, "25 hours: attendance is from 0.01 to 24 hours."),
        # Refused as the importer refuses it, never rounded to 3.33
        ({"hours": "3.333"}, "hours “3.333” has more than two decimals."),
        ({"hours": Decimal("3.335")}, "hours “3.335” has more than two decimals."),
        ({"hours": "three"}, "hours “three” is not a number."),
        ({"on": day(-5)}, "W-000000 is not enrolled on tailoring-3 on Oct 28, 2026."),
    ],
)
def test_bad_attendance_is_refused_and_nothing_is_saved(world, enrolment, change, message):
    assert refusal(lambda: attend(world, enrolment, **change)) == [message]
    assert attendance() == []


def test_attendance_after_a_withdrawal_or_in_a_workshop_the_worker_is_not_in_is_refused(
    world, course
):
    third = Enrolment.objects.create(worker=world.workers[2], course=course, enrolled_on=day(0))
    assert refusal(lambda: attend(world, third, workshop=world.crew)) == [
        "W-000002 was not assigned to crew-north on Nov 5, 2026."
    ]
    third.withdrawn_on = day(2)
    third.save()
    assert refusal(lambda: attend(world, third)) == [
        "W-000002 is not enrolled on tailoring-3 on Nov 5, 2026."
    ]
    assert attendance() == []


def test_another_workshops_supervisor_cannot_record(world, enrolment):
    with pytest.raises(PermissionDenied):
        attend(world, enrolment, user=world.other_supervisor)
    assert attendance() == []


def test_the_same_day_twice_is_refused(world, enrolment):
    attend(world, enrolment)

    assert refusal(lambda: attend(world, enrolment, hours="1")) == [
        "Attendance of W-000000 on tailoring-3 on Nov 5, 2026 is already recorded."
    ]
    assert attendance() == [(DAY, Decimal("3.00"), "", "")]


def test_training_over_the_day_with_production_needs_a_reason(world, enrolment):
    save_grid(
        workshop=world.workshop,
        day=DAY,
        entries=[
            Entry(
                worker=world.workers[0],
                workshop=world.workshop,
                day=DAY,
                sku=world.skus[0],
                hours=Decimal(6),
            )
        ],
        user=world.supervisor,
        today=TODAY,
    )

    assert refusal(lambda: attend(world, enrolment, hours="3")) == [
        "9.00 hours on Nov 5, 2026; the limit is 8.00 a day. Hours over the working-time limits "
        "need a reason in the supervisor's note."
    ]
    attend(world, enrolment, hours="3", note="Exam preparation")
    assert attendance() == [(DAY, Decimal("3.00"), "Exam preparation", "HOURS_DAY")]


def test_production_counts_training_hours_toward_the_limits(world, enrolment):
    attend(world, enrolment, hours="5")

    with pytest.raises(ProductionRefused) as refused:
        save_grid(
            workshop=world.workshop,
            day=DAY,
            entries=[
                Entry(
                    worker=world.workers[0],
                    workshop=world.workshop,
                    day=DAY,
                    sku=world.skus[0],
                    hours=Decimal(4),
                )
            ],
            user=world.supervisor,
            today=TODAY,
        )

    assert refused.value.messages == [
        "9.00 hours on Nov 5, 2026; the limit is 8.00 a day. Hours over the working-time limits "
        "need a reason in the supervisor's note."
    ]
    assert ProductionRecord.objects.count() == 0


def test_the_latest_passed_assessment(world, enrolment):
    assert passed_assessment(enrolment) is None
    Assessment.objects.create(
        enrolment=enrolment, assessed_on=day(1), outcome="failed", assessor="B. Assessor"
    )
    passed = Assessment.objects.create(
        enrolment=enrolment, assessed_on=day(3), outcome="passed", assessor="B. Assessor"
    )

    assert passed_assessment(enrolment) == passed


def test_the_attendance_screen_records_through_the_operation(supervisor_client, world, enrolment):
    response = supervisor_client.post(
        "/admin/training/attendance/",
        {
            "workshop": world.workshop.pk,
            "enrolment": enrolment.pk,
            "day": "2026-11-05",
            "hours": "2",
            "trainer": "A. Trainer",
            "note": "",
        },
    )

    assert (response.status_code, response["Location"]) == (302, "/admin/training/attendance/")
    assert attendance() == [(DAY, Decimal("2.00"), "", "")]


def test_the_attendance_screen_offers_only_the_supervisors_workshops(supervisor_client, world):
    page = BeautifulSoup(
        supervisor_client.get("/admin/training/attendance/").content, "html.parser"
    )

    assert [o.get_text() for o in page.select("#id_workshop option")] == [
        "---------",
        "Workshop crew-north",
        "Workshop tailoring-north",
    ]
