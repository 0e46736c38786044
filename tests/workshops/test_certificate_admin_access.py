"""Who may do what on the certificates' back office (workshops.training.certificate_admin):
supervisors and finance officers are sent away, an auditor lists, inspects and downloads, nobody
edits, deletes or chooses a certificate; nothing refused changes anything. Fixtures: the
workshops conftest."""

import pytest
from django.urls import reverse

from tests.workshops.certificate_screens import (
    AWAY,
    CHOOSER,
    answers,
    enrol,
    operations,
    recorded,
    signed_in,
    url,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("signing_key")]


@pytest.mark.parametrize("role", ["supervisor", "finance"])
def test_supervisors_and_finance_officers_are_sent_away_changing_nothing(
    world, course, staff, certificate, role
):
    eligible = enrol(world, course, world.workers[1])
    requests = operations(certificate, eligible)
    before = recorded()

    found = answers(signed_in(staff[role]), requests)

    assert found == dict.fromkeys(requests, AWAY)
    assert recorded() == before


def test_an_auditor_lists_inspects_and_downloads_but_changes_nothing(
    world, course, staff, certificate
):
    eligible = enrol(world, course, world.workers[1])
    requests = operations(certificate, eligible)
    before = recorded()

    found = answers(signed_in(staff["auditor"]), requests)

    ok = (200, None)
    assert found == {
        "list": ok,
        "add": AWAY,
        "add-post": AWAY,
        "revoke": AWAY,
        "revoke-post": AWAY,
        "reissue": AWAY,
        "reissue-post": AWAY,
        "inspect": ok,
        "pdf": ok,
    }
    assert recorded() == before


@pytest.mark.parametrize("role", ["programme", "superuser"])
def test_nobody_edits_deletes_or_chooses_a_certificate(staff, certificate, role):
    pk = certificate.pk
    requests = {
        "edit": ("get", url("edit", pk), None),
        "edit-post": (
            "post",
            url("edit", pk),
            {"enrolment": certificate.enrolment_id, "holder_name": "Edited", "language": "en"},
        ),
        "delete": ("get", url("delete", pk), None),
        "delete-post": ("post", url("delete", pk), None),
        "chooser": ("get", reverse(CHOOSER), None),
    }
    before = recorded()

    found = answers(signed_in(staff[role]), requests)

    assert found == dict.fromkeys(requests, AWAY)
    assert recorded() == before
