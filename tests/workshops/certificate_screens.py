"""What the tests of the certificates' back office share: its addresses, an enrolment with hours
attended and an assessment, a client signed in with the second factor, what a refused request
must leave unchanged, the audit log, what a page says (messages, form errors, the listing's rows),
the answers to every operation and the text of a PDF."""

import subprocess

from bs4 import BeautifulSoup
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from core.testing.tools import require_executable
from core.testing.twofactor import login_with_second_factor
from tests.workshops.production_builders import TODAY, day
from workshops.models import Assessment, Certificate, Enrolment
from workshops.training.attendance import record_attendance

NAMESPACE = "workshops_certificate"
CHOOSER = "workshops_certificate_chooser:choose"
HOLDER = "Amina B."  # the name the holder chose: not the worker's legal name
AWAY = (302, "/admin/")  # Wagtail's answer to a member of staff who may not enter


def url(name: str, *args) -> str:
    return reverse(f"{NAMESPACE}:{name}", args=args)


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


def signed_in(user) -> Client:
    client = Client()
    login_with_second_factor(client, user)
    return client


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


def pdf_text(pdf: bytes, tmp_path) -> str:
    """The PDF's text in content order (``-raw`` keeps a hyphen where a line breaks)."""
    path = tmp_path / "certificate.pdf"
    path.write_bytes(pdf)
    command = [require_executable("pdftotext", "/usr/bin/pdftotext"), "-raw", str(path), "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


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
