"""A worker's reference never changes once a record uses it (``workshops.register.references``):
refused in words by the check and the admin form, and by the database (PostgreSQL
triggers of migrations workshops/0011 and wages/0009, SQLite's trigger made after migrating),
with nothing changed. A reference nothing uses yet may still be corrected."""

from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models.signals import post_migrate

from brand.roles import sync_roles
from core.testing.twofactor import login_with_second_factor
from tests.brand.builders import build_home
from tests.workshops.builders import D, build_worker, build_workshop
from wages.models import Account, PayRunLine
from wages.payruns import create_pay_run
from workshops.models import (
    Assignment,
    Consent,
    Course,
    Enrolment,
    FitnessClearance,
    ProductionRecord,
    SafetyIncident,
    Stay,
    Worker,
)
from workshops.register.references import (
    SQLITE_TRIGGER,
    check_reference_change,
    reference_uses,
    related_to_worker,
)

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]

REFUSED = (
    "{old} is already used by {uses}: a worker's reference never changes once a record uses it."
)


def references() -> dict[int, str]:
    return dict(Worker.objects.order_by("pk").values_list("pk", "reference"))


def production_record(worker, workshop):
    return ProductionRecord.objects.create(
        worker=worker, workshop=workshop, day=D(2026, 3, 2), hours=Decimal(4), legacy=True
    )


def enrolment(worker, workshop):
    course = Course.objects.create(
        code="weld-1",
        trade=workshop.trade,
        qualification="Welding, level 1",
        level="EQF level 2",
        awarding_body="National Vocational Authority",
        required_hours=Decimal(40),
        assessment="Practical test",
    )
    return Enrolment.objects.create(worker=worker, course=course, enrolled_on=D(2026, 3, 1))


def consent(worker, workshop):
    return Consent.objects.create(worker=worker, kind="story", signed_on=D(2026, 3, 1))


def incident(worker, workshop):
    return SafetyIncident.objects.create(
        workshop=workshop,
        occurred_on=D(2026, 3, 2),
        severity=SafetyIncident.Severity.NEAR_MISS,
        worker=worker,
        description="A slip near the press",
    )


def pay_run_line(worker, workshop):
    officer = User.objects.create_user("finance", password="x")
    officer.groups.add(sync_roles()["finance"])
    run = create_pay_run(
        prison=workshop.prison, period_start=D(2026, 3, 1), period_end=D(2026, 3, 7), user=officer
    )
    return PayRunLine.objects.create(run=run, worker=worker, gross=0, own_spending=0)


def account(worker, workshop):
    return Account.objects.create(
        code=f"worker:{worker.reference}:own-spending",
        name="Own spending",
        kind=Account.Kind.LIABILITY,
        currency="EUR",
        worker=worker,
        purpose="own-spending",
    )


USES = {
    "production records": production_record,
    "enrolments": enrolment,
    "consents": consent,
    "safety incidents": incident,
    "pay run lines": pay_run_line,
    "accounts": account,
}


def raw_update(pk: int, reference: str) -> None:
    """A change as a database writer would make it, past every Python check."""
    with connection.cursor() as cursor:
        cursor.execute("UPDATE workshops_worker SET reference = %s WHERE id = %s", [reference, pk])


@pytest.mark.parametrize("use", sorted(USES))
def test_a_reference_any_record_uses_never_changes(use):
    workshop = build_workshop()
    worker = build_worker("W-000001", prison=workshop.prison)
    USES[use](worker, workshop)
    before = references()

    with pytest.raises(ValidationError) as refused:
        check_reference_change(worker, "W-000009")
    with pytest.raises(IntegrityError), transaction.atomic():
        raw_update(worker.pk, "W-000009")

    assert refused.value.messages == [REFUSED.format(old="W-000001", uses=use)]
    assert references() == before
    assert reference_uses(worker.pk) == [use]


def test_every_table_that_refers_to_a_worker_is_a_use_or_the_register():
    """A new relation to Worker is a use unless it describes the person: this list then needs
    the new record, and the PostgreSQL triggers its table."""
    related = {r.related_model._meta.label_lower for r in related_to_worker()}

    assert related == {
        "workshops.productionrecord",
        "workshops.enrolment",
        "workshops.consent",
        "workshops.safetyincident",
        "wages.payrunline",
        "wages.account",
        "wages.payslip",
        "wages.purchase",
        "wages.payee",
        "wages.remittance",
        "wages.releasesettlement",
        "workshops.stay",
        "workshops.fitnessclearance",
        "workshops.assignment",
        "compliance.grievance",
        "compliance.checkfinding",
    }


def test_swapping_two_used_references_is_refused_and_changes_nothing():
    workshop = build_workshop()
    first = build_worker("W-000001", prison=workshop.prison)
    second = build_worker("W-000002", prison=workshop.prison)
    production_record(first, workshop)
    account(second, workshop)
    before = references()

    # The swap goes through a reference nobody holds: its first step is already refused.
    with pytest.raises(ValidationError) as refused:
        check_reference_change(first, "W-TEMP")
    for pk, reference in ((first.pk, "W-TEMP"), (second.pk, "W-000001")):
        with pytest.raises(IntegrityError), transaction.atomic():
            raw_update(pk, reference)
    # One statement swapping both:
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE workshops_worker SET reference = CASE id WHEN %s THEN %s ELSE %s END "
            "WHERE id IN (%s, %s)",
            [first.pk, "W-000002", "W-000001", first.pk, second.pk],
        )

    assert refused.value.messages == [REFUSED.format(old="W-000001", uses="production records")]
    assert references() == before


def test_a_reference_nothing_uses_yet_may_be_corrected():
    workshop = build_workshop()
    worker = build_worker("W-00001", prison=workshop.prison)  # a digit short
    Assignment.objects.create(worker=worker, workshop=workshop, start=D(2026, 1, 5))
    FitnessClearance.objects.create(worker=worker, cleared_on=D(2026, 1, 2))
    used = build_worker("W-000002", prison=workshop.prison)
    production_record(used, workshop)

    check_reference_change(worker, "W-000001")
    raw_update(worker.pk, "W-000001")
    Worker.objects.filter(pk=used.pk).update(legal_name="Another name")  # not the reference

    assert references() == {worker.pk: "W-000001", used.pk: "W-000002"}
    assert reference_uses(worker.pk) == []
    assert Stay.objects.filter(worker=worker).count() == 1


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's trigger is made after migrating"
)
def test_sqlite_makes_its_trigger_again_after_migrating():
    """Dropped before migrating (a table rebuild would fail on it), made after: here after
    ``flush``, which sends ``post_migrate`` too."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER {SQLITE_TRIGGER}")
    workshop = build_workshop()
    worker = build_worker("W-000001", prison=workshop.prison)
    production_record(worker, workshop)

    workshops = apps.get_app_config("workshops")
    post_migrate.send(
        sender=workshops,
        app_config=workshops,
        verbosity=0,
        interactive=False,
        using="default",
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        raw_update(worker.pk, "W-000009")
    assert references() == {worker.pk: "W-000001"}


# The worker's admin form


@pytest.fixture
def manager_client(client):
    build_home()
    manager = User.objects.create_user("programme", password="x")
    manager.groups.add(sync_roles()["programme"])
    login_with_second_factor(client, manager)
    return client


def worker_form(worker, reference: str) -> dict:
    return {
        "reference": reference,
        "legal_name": worker.legal_name,
        "prison_number": worker.prison_number,
        "sex": worker.sex,
        "language": worker.language,
        "release_date": "",
    }


def test_the_worker_form_refuses_changing_a_used_reference_in_words(manager_client):
    workshop = build_workshop()
    worker = build_worker("W-000001", prison=workshop.prison)
    production_record(worker, workshop)
    before = references()

    response = manager_client.post(
        f"/admin/workshops/worker/edit/{worker.pk}/", worker_form(worker, "W-000009")
    )

    assert response.status_code == 200
    assert (
        "W-000001 is already used by production records: a worker&#x27;s reference never "
        "changes once a record uses it."
    ) in response.content.decode()
    assert references() == before


def test_the_worker_form_corrects_a_reference_nothing_uses(manager_client):
    workshop = build_workshop()
    worker = build_worker("W-00001", prison=workshop.prison)

    response = manager_client.post(
        f"/admin/workshops/worker/edit/{worker.pk}/", worker_form(worker, "W-000001")
    )

    assert response.status_code == 302
    assert references() == {worker.pk: "W-000001"}


def test_the_worker_form_tells_of_a_use_that_came_between_its_check_and_the_save(
    manager_client, monkeypatch
):
    """The database's refusal, when a record took the reference after the form's check, is a
    message in the form, not an error page."""
    workshop = build_workshop()
    worker = build_worker("W-000001", prison=workshop.prison)
    production_record(worker, workshop)
    monkeypatch.setattr("workshops.register.forms.check_reference_change", lambda *args: None)

    response = manager_client.post(
        f"/admin/workshops/worker/edit/{worker.pk}/", worker_form(worker, "W-000009")
    )

    assert response.status_code == 200
    assert (
        "A record now uses this worker&#x27;s reference: it can no longer change."
        in response.content.decode()
    )
    assert references() == {worker.pk: "W-000001"}
