"""Who reads which payslips (``wages.payslips.access``): the supervisor of a workshop reads its
workers' slips, another workshop's supervisor does not; finance officers and auditors read every
slip and the whole prison's; a programme manager none. Supervisors: ``sup`` supervises tailoring
(W-000000 and W-000001 worked there), ``sup-other`` the bakery (W-000000 only)."""

import pytest
from pypdf import PdfReader

from core.testing.twofactor import login_with_second_factor
from tests.wages.payrun_builders import build_finance_officer
from tests.wages.payslip_builders import build_slips_world
from wages.models import Payslip
from wages.payslips.generation import generate_payslips

pytestmark = pytest.mark.django_db


@pytest.fixture
def slips(pay_world):
    pay = build_slips_world(pay_world)
    generate_payslips(pay.run, user=pay.approver)
    pay.slips = {s.worker.reference: s for s in Payslip.objects.select_related("worker")}
    return pay


def answers(client, user, pay) -> dict:
    login_with_second_factor(client, user)
    run = pay.run.pk
    urls = {
        "listing": "/admin/wages/payslips/",
        "run": f"/admin/wages/payslips/run/{run}/",
        "prison": f"/admin/wages/payslips/run/{run}/prison.pdf",
        "tailoring": f"/admin/wages/payslips/run/{run}/workshop/{pay.tailoring.pk}.pdf",
        "bakery": f"/admin/wages/payslips/run/{run}/workshop/{pay.bakery.pk}.pdf",
        "W-000000": f"/admin/wages/payslips/{pay.slips['W-000000'].pk}.pdf",
        "W-000001": f"/admin/wages/payslips/{pay.slips['W-000001'].pk}.pdf",
        "file W-000001": f"/files/{pay.slips['W-000001'].document_id}/",
    }
    # a 404 outside the admin is retried under /en/ by the language middleware first
    return {
        name: client.get(url, follow=name.startswith("file")).status_code
        for name, url in urls.items()
    }


def pages(response) -> int:
    import io

    return len(PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages)


ALL = {
    "listing": 200,
    "run": 200,
    "prison": 200,
    "tailoring": 200,
    "bakery": 200,
    "W-000000": 200,
    "W-000001": 200,
    "file W-000001": 200,
}


def test_finance_officers_and_auditors_read_every_slip(slips, client):
    assert answers(client, slips.approver, slips) == ALL
    assert answers(client, build_finance_officer("aud", role="auditor"), slips) == ALL


def test_a_supervisor_reads_only_the_slips_of_their_workshops(slips, client):
    assert answers(client, slips.world.supervisor, slips) == ALL | {"prison": 404, "bakery": 404}
    assert answers(client, slips.world.other_supervisor, slips) == ALL | {
        "prison": 404,
        "tailoring": 404,
        "W-000001": 404,
        "file W-000001": 404,
    }


def test_a_programme_manager_reads_none(slips, client):
    manager = build_finance_officer("manager", role="programme")
    found = answers(client, manager, slips)
    assert found == dict.fromkeys(ALL, 302) | {"file W-000001": 404}


def test_a_workshops_pdf_joins_its_workers_slips(slips, client):
    login_with_second_factor(client, slips.world.supervisor)
    run = slips.run.pk
    response = client.get(f"/admin/wages/payslips/run/{run}/workshop/{slips.tailoring.pk}.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert pages(response) == 2
    login_with_second_factor(client, slips.world.other_supervisor)
    response = client.get(f"/admin/wages/payslips/run/{run}/workshop/{slips.bakery.pk}.pdf")
    assert pages(response) == 1
    page = client.get(f"/admin/wages/payslips/run/{run}/").content.decode()
    assert "W-000000" in page
    assert "W-000001" not in page
    assert "All payslips of" not in page
