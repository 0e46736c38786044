"""A worker's reference never changes once a grievance or a compliance finding names it: refused
in words (``check_reference_change``), by SQLite's trigger (made from the model registry) and by
PostgreSQL's (compliance migration 0002)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from compliance.models import CheckFinding, ComplianceCheck, Grievance
from tests.compliance.office_builders import staff
from tests.workshops.builders import build_worker, build_workshop
from workshops.models import Worker
from workshops.register.references import check_reference_change, reference_uses

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]
D = datetime.date


def grievance(worker, workshop):
    return Grievance.objects.create(
        worker=worker, workshop=workshop, received_on=D(2026, 2, 1), subject="S", category="pay"
    )


def finding(worker, workshop):
    check = ComplianceCheck.objects.create(
        scope_kind="workshop",
        scope_slug=workshop.slug,
        start=D(2026, 2, 1),
        end=D(2026, 2, 28),
        requested_by=staff("auditor"),
    )
    return CheckFinding.objects.create(
        check_run=check,
        code="FAKE_RULE",
        severity="major",
        scope=f"workshop:{workshop.slug}",
        worker=worker,
        start=D(2026, 2, 1),
        end=D(2026, 2, 28),
        detail="d",
    )


@pytest.mark.parametrize(("use", "make"), [("grievances", grievance), ("findings", finding)])
def test_a_reference_a_grievance_or_finding_uses_never_changes(use, make):
    workshop = build_workshop()
    worker = build_worker("W-000001")
    make(worker, workshop)

    with pytest.raises(ValidationError) as refused:
        check_reference_change(worker, "W-000009")
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE workshops_worker SET reference = %s WHERE id = %s", ["W-000009", worker.pk]
        )

    assert refused.value.messages == [
        f"W-000001 is already used by {use}: a worker's reference never changes once a record "
        "uses it."
    ]
    assert reference_uses(worker.pk) == [use]
    assert Worker.objects.get().reference == "W-000001"
