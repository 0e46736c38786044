"""The certificates' back office (workshops.training.certificate_admin): programme managers issue, revoke
and reissue through the operations of workshops.training.certificates; whoever may view certificates
downloads the PDF; nobody edits or deletes one; every other role is sent away, changing nothing."""

import datetime
import subprocess
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from brand.roles import sync_roles
from core.testing.tools import require_executable
from core.testing.twofactor import login_with_second_factor
from tests.workshops.production_builders import TODAY, day
from workshops.models import Assessment, Certificate, Course, Enrolment
from workshops.training.attendance import record_attendance
from workshops.training.certificates import issue_certificate, verify_url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("signing_key")]

NAMESPACE = "workshops_certificate"
CHOOSER = "workshops_certificate_chooser:choose"
HOLDER = "Amina B."  # the name the holder chose: not the worker's legal name
AWAY = (302, "/admin/")  # Wagtail's answer to a member of staff who may not enter


def url(name: str, *args) -> str:
    return reverse(f"{NAMESPACE}:{name}", args=args)


@pytest.fixture
def course(world):
    return Course.objects.create(
        code="garment-2",
        trade=world.workshop.trade,
        qualification="Garment maker",
        qualification_translations={"fr": "Couturier confirmé"},
        qualification_code="NVA-GM-2",
        level="EQF level 2",
        awarding_body="National Vocational Authority",
        required_hours=Decimal(4),
        assessment="Practical test",
    )


def enrol(world, course, worker, *, days=(1, 2), outcome="passed") -> Enrolment:
    """An enrolment with 2 hours attended on each of ``days`` and an assessment on day(4)."""
    enrolment = Enrolment.objects.create(worker=worker, course=course, enrolled_on=day(0))
    for number in days:
        record_attendance(
            enrolment=enrolment,
            workshop=world.workshop,
            day=day(number),
            hours="2",
            trainer="A. Trainer",
            user=world.supervisor,
            today=TODAY,
        )
    if outcome:
        Assessment.objects.create(
            enrolment=enrolment, assessed_on=day(4), outcome=outcome, assessor="B. Assessor"
        )
    return enrolment


@pytest.fixture
def earned(world, course):
    return enrol(world, course, world.workers[0])


@pytest.fixture
def staff(world):
    """A user of each role, and a superuser, by role slug."""
    groups = sync_roles()
    users = {"supervisor": world.supervisor, "superuser": User.objects.create_superuser("root")}
    for role in ("finance", "auditor", "programme"):
        users[role] = User.objects.create_user(role)
        users[role].groups.add(groups[role])
    return users


def signed_in(user) -> Client:
    client = Client()
    login_with_second_factor(client, user)
    return client


@pytest.fixture
def programme(staff) -> Client:
    return signed_in(staff["programme"])


@pytest.fixture
def certificate(staff, earned):
    return issue_certificate(
        enrolment=earned, holder_name=HOLDER, user=staff["programme"], language="fr"
    )


def recorded() -> tuple:
    """What a refused request must leave unchanged: every certificate and its audit log."""
    content_type = ContentType.objects.get_for_model(Certificate)
    return (
        list(
            Certificate.objects.order_by("pk").values_list(
                "pk",
                "public_id",
                "holder_name",
                "language",
                "content",
                "signature",
                "revoked_on",
                "revocation_reason",
                "superseded_by",
            )
        ),
        list(
            ModelLogEntry.objects.filter(content_type=content_type)
            .order_by("pk")
            .values_list("action", "object_id")
        ),
    )


def log_of(certificate) -> list[tuple[str, str]]:
    return list(
        ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Certificate),
            object_id=str(certificate.pk),
        )
        .order_by("pk")
        .values_list("action", "user__username")
    )


def message_text(message) -> str:
    """A Wagtail admin message's own text, without its buttons."""
    return BeautifulSoup(str(message), "html.parser").contents[0].strip()


def message_buttons(message) -> list[str]:
    return [link["href"] for link in BeautifulSoup(str(message), "html.parser").select("a")]


def errors(response) -> list[str]:
    """The form's error messages, in the page's order."""
    soup = BeautifulSoup(response.content, "html.parser")
    return [
        " ".join(node.get_text().split())
        for node in soup.select("ul.errorlist li, .help-critical p, p.error-message")
    ]


def test_a_programme_manager_issues_a_certificate_through_the_add_form(staff, programme, earned):
    response = programme.post(
        url("add"), {"enrolment": earned.pk, "holder_name": " Amina   B. ", "language": "fr"}
    )

    certificate = Certificate.objects.get()
    assert (response.status_code, response["Location"]) == (302, url("inspect", certificate.pk))
    assert (
        certificate.enrolment,
        certificate.holder_name,
        certificate.language,
        certificate.issued_on,
        certificate.issued_by,
        certificate.key_id,
        certificate.revoked_on,
        certificate.revocation_reason,
        certificate.superseded_by,
    ) == (
        earned,
        HOLDER,
        "fr",
        timezone.localdate(),
        staff["programme"],
        "test-2026",
        None,
        "",
        None,
    )
    assert certificate.content == {
        "version": 2,
        "certificate": certificate.public_id,
        "holder": HOLDER,
        "language": "fr",
        "qualification": "Garment maker",
        "qualification_code": "NVA-GM-2",
        "level": "EQF level 2",
        "awarding_body": "National Vocational Authority",
        "awarded_on": "2026-11-06",
        "translated": {"qualification": "Couturier confirmé"},
    }
    assert log_of(certificate) == [("bridgework.certificate_issued", "programme")]
    inspect = programme.get(response["Location"])
    assert inspect.status_code == 200
    assert [message_text(message) for message in inspect.context["messages"]] == [
        "Certificate issued to Amina B.."  # the name's own full stop, then the sentence's
    ]


def test_the_issued_message_offers_no_edit_button(programme, earned):
    programme.post(url("add"), {"enrolment": earned.pk, "holder_name": HOLDER, "language": "fr"})

    inspect = programme.get(url("inspect", Certificate.objects.get().pk))

    assert [message_buttons(message) for message in inspect.context["messages"]] == [[]]


@pytest.mark.parametrize(
    ("days", "outcome", "message"),
    [
        ((1,), "passed", "2.00 of the 4.00 hours the course requires were attended."),
        ((1, 2), "failed", "No passed assessment is recorded for this enrolment."),
        ((1, 2), None, "No passed assessment is recorded for this enrolment."),
    ],
    ids=["short-of-hours", "assessment-failed", "no-assessment"],
)
def test_issuing_is_refused_short_of_the_hours_or_without_a_passed_assessment(
    world, course, programme, days, outcome, message
):
    enrolment = enrol(world, course, world.workers[0], days=days, outcome=outcome)
    before = recorded()
    assert Certificate.objects.count() == 0

    response = programme.post(
        url("add"), {"enrolment": enrolment.pk, "holder_name": HOLDER, "language": "fr"}
    )

    assert response.status_code == 200
    assert errors(response) == [message]
    assert Certificate.objects.count() == 0
    assert recorded() == before


def test_a_second_certificate_in_force_is_refused_through_the_add_form(programme, certificate):
    before = recorded()

    response = programme.post(
        url("add"),
        {"enrolment": certificate.enrolment_id, "holder_name": "Other", "language": "en"},
    )

    assert response.status_code == 200
    assert errors(response) == [
        "A certificate of this enrolment is in force: reissue or revoke it instead."
    ]
    assert (Certificate.objects.count(), recorded()) == (1, before)


def test_revoking_records_the_date_and_reason_once(programme, certificate):
    today = timezone.localdate()

    response = programme.post(
        url("revoke", certificate.pk), {"reason": "Issued in error", "on": today.isoformat()}
    )

    assert (response.status_code, response["Location"]) == (302, url("inspect", certificate.pk))
    certificate.refresh_from_db()
    assert (certificate.revoked_on, certificate.revocation_reason) == (today, "Issued in error")
    assert log_of(certificate) == [
        ("bridgework.certificate_issued", "programme"),
        ("bridgework.certificate_revoked", "programme"),
    ]
    before = recorded()

    again = programme.post(
        url("revoke", certificate.pk), {"reason": "Again", "on": today.isoformat()}
    )

    assert again.status_code == 400
    assert errors(again) == ["This certificate is already revoked."]
    assert recorded() == before


@pytest.mark.parametrize(
    ("reason", "days_from_today", "message"),
    [
        ("Issued in error", 1, "A revocation cannot be dated in the future."),
        ("Issued in error", -1, "A certificate cannot be revoked before it is issued."),
        ("", 0, "This field is required."),
        ("   ", 0, "This field is required."),
    ],
    ids=["future", "before-issue", "no-reason", "blank-reason"],
)
def test_a_refused_revocation_changes_nothing(
    programme, certificate, reason, days_from_today, message
):
    on = timezone.localdate() + datetime.timedelta(days=days_from_today)
    before = recorded()

    response = programme.post(
        url("revoke", certificate.pk), {"reason": reason, "on": on.isoformat()}
    )

    assert response.status_code == 400
    assert errors(response) == [message]
    assert recorded() == before


def test_reissuing_supersedes_the_old_certificate_once(programme, certificate):
    response = programme.post(
        url("reissue", certificate.pk), {"holder_name": "Amina Haddad", "language": "en"}
    )

    new = Certificate.objects.exclude(pk=certificate.pk).get()
    assert (response.status_code, response["Location"]) == (302, url("inspect", new.pk))
    certificate.refresh_from_db()
    assert certificate.superseded_by == new
    assert (new.enrolment_id, new.holder_name, new.language, new.superseded_by) == (
        certificate.enrolment_id,
        "Amina Haddad",
        "en",
        None,
    )
    assert (new.content["holder"], new.content["awarded_on"]) == ("Amina Haddad", "2026-11-06")
    assert log_of(certificate) == [
        ("bridgework.certificate_issued", "programme"),
        ("bridgework.certificate_superseded", "programme"),
    ]
    assert log_of(new) == [("bridgework.certificate_issued", "programme")]
    before = recorded()

    again = programme.post(
        url("reissue", certificate.pk), {"holder_name": "Amina H.", "language": "en"}
    )

    assert again.status_code == 400
    assert errors(again) == ["This certificate was already reissued."]
    assert (Certificate.objects.count(), recorded()) == (2, before)


def test_a_revoked_certificate_is_not_reissued(staff, programme, certificate):
    programme.post(
        url("revoke", certificate.pk),
        {"reason": "Issued in error", "on": timezone.localdate().isoformat()},
    )
    before = recorded()

    response = programme.post(
        url("reissue", certificate.pk), {"holder_name": "Amina Haddad", "language": "en"}
    )

    assert response.status_code == 400
    assert errors(response) == ["A revoked certificate cannot be reissued."]
    assert (Certificate.objects.count(), recorded()) == (1, before)


def pdf_text(pdf: bytes, tmp_path) -> str:
    """The PDF's text in content order (``-raw`` keeps a hyphen where a line breaks)."""
    path = tmp_path / "certificate.pdf"
    path.write_bytes(pdf)
    command = [require_executable("pdftotext", "/usr/bin/pdftotext"), "-raw", str(path), "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def test_the_pdf_is_in_the_holders_language_and_names_no_prison_or_brand(
    world, programme, certificate, settings, tmp_path
):
    response = programme.get(url("pdf", certificate.pk))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="certificate-{certificate.public_id}.pdf"'
    )
    text = pdf_text(response.content, tmp_path)
    words = " ".join(text.split())
    joined = "".join(text.split())  # the narrow address column breaks lines anywhere
    assert "Amina B." in words
    assert "Couturier confirmé" in words
    assert "Date d’obtention : 6 novembre 2026" in words
    assert certificate.public_id in joined
    assert verify_url(certificate) in joined
    worker = world.workers[0]
    for absent in [
        "Garment maker",  # the qualification in English: the certificate is in French
        settings.WAGTAIL_SITE_NAME,
        world.workshop.prison.name,
        world.workshop.name,
        world.workshop.public_name,
        worker.reference,
        worker.prison_number,
        worker.legal_name,
    ]:
        assert absent not in words
        assert "".join(absent.split()) not in joined
    assert "prison" not in joined.lower()


def answers(client, requests: dict) -> dict:
    """Each request's answer: the status, and where a redirect goes."""
    found = {}
    for name, (method, address, data) in requests.items():
        response = getattr(client, method)(address, data or {})
        found[name] = (response.status_code, response.get("Location"))
    return found


def operations(certificate, eligible) -> dict:
    return {
        "list": ("get", url("index"), None),
        "add": ("get", url("add"), None),
        "add-post": (
            "post",
            url("add"),
            {"enrolment": eligible.pk, "holder_name": "Someone", "language": "en"},
        ),
        "revoke": ("get", url("revoke", certificate.pk), None),
        "revoke-post": (
            "post",
            url("revoke", certificate.pk),
            {"reason": "Refused", "on": timezone.localdate().isoformat()},
        ),
        "reissue": ("get", url("reissue", certificate.pk), None),
        "reissue-post": (
            "post",
            url("reissue", certificate.pk),
            {"holder_name": "Someone", "language": "en"},
        ),
        "inspect": ("get", url("inspect", certificate.pk), None),
        "pdf": ("get", url("pdf", certificate.pk), None),
    }


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


def listing(response) -> list[tuple[str, str, list[str]]]:
    """Each row of the listing: the name, the status column, and the row's more buttons."""
    soup = BeautifulSoup(response.content, "html.parser")
    rows = []
    for row in soup.select("table.listing tbody tr"):
        cells = row.find_all("td", recursive=False)
        buttons = [" ".join(link.get_text().split()) for link in row.select(".actions a")]
        name = cells[0].select_one(".title-wrapper").get_text(strip=True)
        rows.append((name, cells[-1].get_text().strip(), buttons))
    return rows


def test_the_listing_shows_each_certificates_status(staff, programme, certificate):
    programme.post(
        url("reissue", certificate.pk), {"holder_name": "Amina Haddad", "language": "en"}
    )
    reissued = Certificate.objects.get(holder_name="Amina Haddad")
    programme.post(
        url("revoke", reissued.pk), {"reason": "Wrong name", "on": timezone.localdate().isoformat()}
    )
    programme.post(
        url("add"),
        {"enrolment": certificate.enrolment_id, "holder_name": "Amina H.", "language": "en"},
    )

    every = ["Inspect", "Verification page"]  # only a certificate in force is downloaded
    in_force = ["Inspect", "Download PDF", "Verification page"]
    assert listing(programme.get(url("index"))) == [
        ("Amina H.", "Valid", [*in_force, "Reissue", "Revoke"]),
        ("Amina Haddad", "Revoked", every),
        (HOLDER, "Replaced", every),
    ]
    assert listing(signed_in(staff["auditor"]).get(url("index"))) == [
        ("Amina H.", "Valid", in_force),
        ("Amina Haddad", "Revoked", every),
        (HOLDER, "Replaced", every),
    ]


def test_a_certificate_no_longer_in_force_is_not_downloaded(programme, certificate):
    programme.post(
        url("revoke", certificate.pk),
        {"reason": "Issued in error", "on": timezone.localdate().isoformat()},
    )

    response = programme.get(url("pdf", certificate.pk), follow=True)

    assert response.redirect_chain == [(url("inspect", certificate.pk), 302)]
    assert [str(m) for m in response.context["messages"]] == [
        "The certificate of Amina B. is revoked.",
        "This certificate is not in force (Revoked): it cannot be downloaded.",
    ]
    assert b"Download PDF" not in response.content


def test_the_add_form_lists_enrolments_ready_for_a_certificate_first(world, programme, earned):
    course = earned.course
    enrol(world, course, world.workers[1], days=(1,), outcome="")  # 2 of 4 hours, no assessment
    enrol(world, course, world.workers[2], days=(1,))  # 2 of 4 hours, assessment passed

    response = programme.get(url("add") + f"?enrolment={earned.pk}")

    document = BeautifulSoup(response.content, "html.parser")
    groups = [
        (group["label"], [option.get_text() for option in group.select("option")])
        for group in document.select("select[name=enrolment] optgroup")
    ]
    assert groups == [
        (
            "Ready for a certificate",
            ["W-000000 · Garment maker — ready: 4 hours, assessment passed"],
        ),
        (
            "Not yet ready",
            [
                "W-000001 · Garment maker — 2 of 4 hours, no passed assessment",
                "W-000002 · Garment maker — 2 of 4 hours, assessment passed",
            ],
        ),
    ]
    chosen = document.select_one("select[name=enrolment] option[selected]")
    assert chosen["value"] == str(earned.pk)
