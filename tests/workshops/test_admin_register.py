"""The register's back-office forms: the operations' refusals appear in the form, nothing is
saved; a consent's signed document is uploaded, checked by content and stored privately."""

from html import unescape

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.models import ModelLogEntry

from brand.roles import sync_roles
from core.private_files import PrivateFile
from core.testing.twofactor import login_with_second_factor
from tests.brand.builders import build_home
from tests.workshops.builders import D, build_partner, build_worker, build_workshop
from workshops.models import Assignment, Consent, Worker

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.7\nsigned\n%%EOF\n"


@pytest.fixture
def manager_client(client):
    build_home()
    manager = User.objects.create_user("programme", password="x")
    manager.groups.add(sync_roles()["programme"])
    login_with_second_factor(client, manager)
    return client


def test_an_assignment_outside_the_stay_is_refused_in_the_form(manager_client):
    workshop = build_workshop()
    worker = build_worker(prison=workshop.prison, since=D(2026, 3, 1))

    response = manager_client.post(
        "/admin/workshops/assignment/new/",
        {"worker": worker.pk, "workshop": workshop.pk, "start": "2026-02-01", "end": ""},
    )

    assert response.status_code == 200
    assert (
        "W-000001 is not held at North Prison for the whole period Feb 1, 2026 to open; "
        "an assignment must fall within a stay there."
    ) in response.content.decode()
    assert Assignment.objects.count() == 0


def consent_data(worker, partner, document):
    return {
        "worker": worker.pk,
        "kind": "work",
        "partner": partner.pk,
        "chosen_name": "",
        "signed_on": "2026-01-05",
        "withdrawn_on": "",
        "signed_document": document,
    }


def test_a_consent_with_its_signed_pdf_is_stored_privately(manager_client):
    worker = build_worker()
    partner = build_partner()

    response = manager_client.post(
        "/admin/workshops/consent/new/",
        consent_data(worker, partner, SimpleUploadedFile("signed.pdf", PDF)),
    )

    assert response.status_code == 302
    consent = Consent.objects.get()
    assert consent.is_complete
    assert consent.document.file.read() == PDF
    assert consent.document.content_type == "application/pdf"
    download = manager_client.get(f"/files/{consent.document.pk}/")
    assert (download.status_code, b"".join(download.streaming_content)) == (200, PDF)


def test_a_signed_document_that_is_not_a_pdf_or_scan_is_refused(manager_client):
    worker = build_worker()
    partner = build_partner()

    response = manager_client.post(
        "/admin/workshops/consent/new/",
        consent_data(worker, partner, SimpleUploadedFile("signed.pdf", b"MZ\x90\x00 a program")),
    )

    assert response.status_code == 200
    assert (
        "This file is not a PDF, PNG, JPEG file: its content is not a kind we accept."
        in response.content.decode()
    )
    assert (Consent.objects.count(), PrivateFile.objects.count()) == (0, 0)


def test_a_transfer_and_a_release_from_the_back_office(manager_client):
    from workshops.models import Prison, Stay

    workshop = build_workshop()
    worker = build_worker(prison=workshop.prison, since=D(2026, 1, 1))
    south = Prison.objects.create(
        name="South Prison", slug="south", region=workshop.prison.region, population="mixed"
    )
    listing = manager_client.get("/admin/workshops/worker/").content.decode()

    moved = manager_client.post(
        f"/admin/register/workers/{worker.pk}/transfer/",
        {"to_prison": south.pk, "on": "2026-05-01"},
    )
    too_early = manager_client.post(
        f"/admin/register/workers/{worker.pk}/release/", {"on": "2026-04-01"}
    )
    released = manager_client.post(
        f"/admin/register/workers/{worker.pk}/release/", {"on": "2026-09-30"}
    )

    assert f"/admin/register/workers/{worker.pk}/transfer/" in listing
    assert moved["Location"] == "/admin/workshops/worker/"
    assert too_early.status_code == 200
    assert "W-000001's stay at South Prison starts after Apr 1, 2026." in unescape(
        too_early.content.decode()
    )
    assert released["Location"] == "/admin/workshops/worker/"
    assert list(Stay.objects.values_list("prison__slug", "start", "end")) == [
        ("north-prison", D(2026, 1, 1), D(2026, 4, 30)),
        ("south", D(2026, 5, 1), D(2026, 9, 30)),
    ]


def test_the_worker_listing_has_no_bulk_actions(manager_client):
    """A ModelViewSet listing: no "Delete selected" over ticked rows, as snippet listings had;
    workers leave the register one by one, through the delete view and its checks."""
    worker = build_worker()

    response = manager_client.get("/admin/workshops/worker/")
    bulk = manager_client.post(f"/admin/bulk/workshops/worker/delete/?id={worker.pk}", follow=True)

    content = response.content.decode()
    assert response.status_code == 200
    assert "Delete selected" not in content
    assert "data-bulk-action-checkbox" not in content
    assert "/admin/bulk/" not in content
    assert bulk.status_code == 404
    assert list(Worker.objects.values_list("reference", flat=True)) == ["W-000001"]


def test_transfer_and_release_are_offered_only_to_those_who_may_change_workers(client):
    build_home()
    worker = build_worker()
    auditor = User.objects.create_user("auditor", password="x")
    auditor.groups.add(sync_roles()["auditor"])
    login_with_second_factor(client, auditor)

    listing = client.get("/admin/workshops/worker/").content.decode()

    assert "W-000001" in listing
    assert f"/admin/register/workers/{worker.pk}/transfer/" not in listing
    assert f"/admin/register/workers/{worker.pk}/release/" not in listing


def test_a_worker_added_in_the_back_office_is_in_its_history(manager_client):
    response = manager_client.post(
        "/admin/workshops/worker/new/",
        {
            "reference": "W-NEW001",
            "legal_name": "New Person",
            "known_as": "",
            "prison_number": "PN-NEW-1",
            "sex": "female",
            "language": "en",
            "release_date": "",
        },
    )
    worker = Worker.objects.get()
    history = manager_client.get(f"/admin/workshops/worker/history/{worker.pk}/")

    assert (response.status_code, response["Location"]) == (302, "/admin/workshops/worker/")
    assert list(
        ModelLogEntry.objects.filter(object_id=str(worker.pk)).values_list(
            "action", "user__username"
        )
    ) == [("wagtail.create", "programme")]
    assert history.status_code == 200
    assert "Created" in history.content.decode()
