"""Courses in several trades, enrolments, attendance and assessments for the demo (the women at
Ain Zahra's metalworks among them, in a trade outside the traditional ones).

Sessions are on Friday afternoons, two hours after a six-hour production day, so the day stays
within the working-time policy; every session goes through ``record_attendance``. Certificates
come with the certificate part of the training issue.
"""

import datetime
from decimal import Decimal

from django.db.models import Q

from brand.demo import register_content as data
from brand.demo.register import reference_of
from brand.roles import sync_roles
from workshops.models import (
    Assessment,
    Course,
    Enrolment,
    Trade,
    TrainingAttendance,
    Worker,
    Workshop,
    WorkshopSupervisor,
)
from workshops.training.attendance import record_attendance

ONE_DAY = datetime.timedelta(days=1)
AUTHORITY = "National Vocational Training Authority of Qantara"
AUTHORITY_TRANSLATIONS = {
    "fr": "Autorité nationale de la formation professionnelle de Qantara",
    "ar": "الهيئة الوطنية للتكوين المهني في قنطرة",
}
# The awarding body's own codes for the qualifications the courses lead to.
QUALIFICATION_CODES = {
    "baker-3": "NVTA-FB-301",
    "welder-3": "NVTA-MW-314",
    "garment-maker-2": "NVTA-TX-207",
    "joiner-3": "NVTA-WD-322",
}


def level_translations(level: str) -> dict:
    number = level.rsplit(" ", 1)[-1]
    return {"fr": f"CEC niveau {number}", "ar": f"الإطار الأوروبي للمؤهلات، المستوى {number}"}


# (code, trade slug, qualification, French, Arabic, level, hours required, assessment)
COURSES = [
    (
        "baker-3",
        "bakery",
        "Baker",
        "Boulanger",
        "خباز",
        "EQF level 3",
        "16",
        "Practical test: a day's bake, and an interview",
    ),
    (
        "welder-3",
        "welding",
        "Welder (MIG/MAG)",
        "Soudeur (MIG/MAG)",
        "لحام (MIG/MAG)",
        "EQF level 3",
        "16",
        "Practical test: butt and fillet welds, inspected",
    ),
    (
        "garment-maker-2",
        "tailoring",
        "Garment maker",
        "Couturier",
        "صانع ملابس",
        "EQF level 2",
        "12",
        "Practical test: a finished garment",
    ),
    (
        "joiner-3",
        "carpentry",
        "Joiner",
        "Menuisier",
        "نجار",
        "EQF level 3",
        "16",
        "Practical test: a jointed frame, and an interview",
    ),
]
# (course code, workshop slug, worker numbers enrolled, numbers who passed, one who did not yet)
COHORTS = [
    ("baker-3", "ain-zahra-bakery", range(0, 6), (0, 1, 2), 3),
    ("welder-3", "ain-zahra-metalworks", range(0, 6), (0, 1, 2, 4), 5),
    ("garment-maker-2", "jebel-qantar-tailoring", range(0, 5), (0, 2), 1),
    ("joiner-3", "wadi-sahel-joinery", range(0, 5), (1, 2, 3), 0),
]
SESSIONS = 8  # Fridays, two hours each: 16 hours
TRAINERS = {
    "baker-3": "Youssef Amrani",
    "welder-3": "Leila Haddad",
    "garment-maker-2": "Omar Tazi",
    "joiner-3": "Karim Saadi",
}


def seed_training() -> dict:
    """Courses, enrolments, sessions and assessments an earlier run did not make."""
    trades = {trade.slug: trade for trade in Trade.objects.filter(locale__language_code="en")}
    courses = {}
    for code, trade, name, french, arabic, level, hours, assessment in COURSES:
        courses[code], _created = Course.objects.update_or_create(
            code=code,
            defaults={
                "trade": trades[trade],
                "qualification": name,
                "qualification_translations": {"fr": french, "ar": arabic},
                "qualification_code": QUALIFICATION_CODES[code],
                "level": level,
                "level_translations": level_translations(level),
                "awarding_body": AUTHORITY,
                "awarding_body_translations": AUTHORITY_TRANSLATIONS,
                "required_hours": Decimal(hours),
                "assessment": assessment,
            },
        )
    # The prison staff who supervise workshops hold the supervisor's role, as the demo login does.
    supervisors = sync_roles()["supervisor"]
    for supervision in WorkshopSupervisor.objects.select_related("user"):
        supervision.user.groups.add(supervisors)
    last_friday = data.DEMO_TODAY - datetime.timedelta(
        days=(data.DEMO_TODAY.weekday() - 4) % 7 or 7
    )
    fridays = [last_friday - datetime.timedelta(weeks=n) for n in range(SESSIONS)][::-1]
    for code, workshop_slug, numbers, passed, not_yet in COHORTS:
        workshop = Workshop.objects.get(slug=workshop_slug)
        supervisor = WorkshopSupervisor.objects.filter(workshop=workshop).first().user
        for number in numbers:
            worker = Worker.objects.filter(reference=reference_of(workshop_slug, number)).first()
            if worker is None or worker.release_date is not None:
                continue
            enrolment, created = Enrolment.objects.get_or_create(
                worker=worker,
                course=courses[code],
                withdrawn_on=None,
                defaults={"enrolled_on": fridays[0] - datetime.timedelta(days=7)},
            )
            if not created:
                continue
            attended = {
                day
                for day in TrainingAttendance.objects.filter(enrolment=enrolment).values_list(
                    "day", flat=True
                )
            }
            for day in fridays:
                assigned = worker.assignments.filter(workshop=workshop, start__lte=day).filter(
                    Q(end__isnull=True) | Q(end__gte=day)
                )
                if day in attended or not assigned.exists():
                    continue
                record_attendance(
                    enrolment=enrolment,
                    workshop=workshop,
                    day=day,
                    hours="2",
                    trainer=TRAINERS[code],
                    user=supervisor,
                )
            outcome = None
            if number in passed:
                outcome = Assessment.Outcome.PASSED
            elif number == not_yet:
                outcome = Assessment.Outcome.FAILED
            if outcome:
                Assessment.objects.create(
                    enrolment=enrolment,
                    assessed_on=fridays[-1] + ONE_DAY * 3,
                    outcome=outcome,
                    assessor=f"{AUTHORITY}: assessor 0{len(code) % 7 + 1}",
                    notes="" if outcome == Assessment.Outcome.PASSED else "Retake booked.",
                )
    return {
        "courses": Course.objects.count(),
        "enrolments": Enrolment.objects.count(),
        "attendance": TrainingAttendance.objects.count(),
        "assessments": Assessment.objects.count(),
    }
