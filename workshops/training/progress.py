"""Where an enrolment stands towards its certificate, defined once.

An enrolment is ready for a certificate when it is open, the hours attended reach the course's
required hours, an assessment was passed, and no certificate of it is in force. ``with_progress``
annotates any enrolments with those facts in one query; ``issue_certificate`` refuses by them,
the programme manager's dashboard lists ``ready_for_certificate``, and the certificate form
orders its choice of enrolments by them.
"""

from decimal import Decimal

from django.db.models import (
    BooleanField,
    Case,
    DecimalField,
    Exists,
    F,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from workshops.models import Assessment, Certificate, Enrolment, TrainingAttendance

HOURS = DecimalField(max_digits=8, decimal_places=2)
CENT = Decimal("0.01")


def with_progress(enrolments: QuerySet) -> QuerySet:
    """``enrolments`` with ``attended`` (hours), ``passed`` (an assessment passed), ``certified``
    (a certificate in force) and ``ready`` (all three conditions for issuing met)."""
    hours = (
        TrainingAttendance.objects.filter(enrolment=OuterRef("pk"))
        .values("enrolment")
        .annotate(total=Sum("hours"))
        .values("total")
    )
    passed = Assessment.objects.filter(enrolment=OuterRef("pk"), outcome=Assessment.Outcome.PASSED)
    in_force = Certificate.objects.filter(
        enrolment=OuterRef("pk"), revoked_on__isnull=True, superseded_by__isnull=True
    )
    return (
        enrolments.annotate(
            attended=Coalesce(
                Subquery(hours, output_field=HOURS), Value(Decimal(0)), output_field=HOURS
            ),
            passed=Exists(passed),
            certified=Exists(in_force),
        )
        .annotate(
            ready=Case(
                When(
                    withdrawn_on__isnull=True,
                    attended__gte=F("course__required_hours"),
                    passed=True,
                    certified=False,
                    then=Value(True),
                ),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .select_related("worker", "course")
    )


def open_enrolments() -> QuerySet:
    """Open enrolments with their progress, in the order of the register."""
    return with_progress(Enrolment.objects.filter(withdrawn_on__isnull=True)).order_by(
        "worker__reference", "course__code"
    )


def ready_for_certificate() -> QuerySet:
    return open_enrolments().filter(ready=True)


def progress_of(enrolment: Enrolment) -> Enrolment:
    """``enrolment`` read again with its progress, the hours to the cent on every database
    (SQLite gives a sum of 2.00 as 2)."""
    enrolment = with_progress(Enrolment.objects.filter(pk=enrolment.pk)).get()
    enrolment.attended = enrolment.attended.quantize(CENT)
    return enrolment
