"""Compliance checks in the back office: ``start_check`` (refusals in words, nothing saved), the
task storing the findings, and the screens (the run form, a check's page, the findings report
with filters and CSV/XLSX export, a finding's page). A small fake rule stands in for the 18."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from compliance.checks.operations import start_check
from compliance.models import CheckFinding, ComplianceCheck
from core.jobs import Job
from core.testing.twofactor import login_with_second_factor
from tests.brand.builders import build_home
from tests.compliance.office_builders import build_partner_world, fake_rules, staff
from workshops.models import SKU, ProductionRecord

pytestmark = pytest.mark.django_db
D = datetime.date
IDENTITY = ("Legal W-000001", "PW-000001", "Legal W-000002", "PW-000002")


@pytest.fixture
def world(monkeypatch):
    fake_rules(monkeypatch)
    partner, workshop, worker = build_partner_world()
    other = type(worker).objects.create(
        reference="W-000002", legal_name="Legal W-000002", prison_number="PW-000002", sex="male"
    )
    sku = SKU.objects.create(code="SKU-1", name="Loaf", workshop=workshop)
    supervisor = staff("supervisor")
    records = [
        ProductionRecord.objects.create(
            worker=who, workshop=workshop, day=day, sku=sku, hours=Decimal(7), supervisor=supervisor
        )
        for who, day in ((worker, D(2026, 2, 2)), (worker, D(2026, 2, 3)), (other, D(2026, 2, 2)))
    ]
    return partner, workshop, worker, records


def run(user, **fields):
    fields = {
        "scope_kind": "partner",
        "slug": "acme",
        "start": D(2026, 2, 1),
        "end": D(2026, 2, 28),
    } | fields
    return start_check(user=user, **fields)


def test_a_check_runs_as_a_job_and_stores_its_findings(world):
    _, _, worker, records = world
    auditor = staff("auditor")

    check = run(auditor)

    check.refresh_from_db()
    job = Job.objects.get(pk=check.job_id)
    assert (job.kind, job.status, job.done, job.total) == (
        "compliance.run_check",
        "succeeded",
        1,
        1,
    )
    assert job.result == {"findings": 3}
    assert check.findings_count == 3 and check.finished_at is not None
    stored = list(
        CheckFinding.objects.filter(check_run=check)
        .order_by("severity", "worker__reference")
        .values_list("code", "severity", "scope", "worker", "missing_data", "detail")
    )
    assert stored == [
        ("FAKE_RULE", "major", "partner:acme", worker.pk, False, "W-000001 worked too long"),
        (
            "FAKE_RULE",
            "major",
            "partner:acme",
            records[2].worker_id,
            False,
            "W-000002 worked too long",
        ),
        ("FAKE_RULE", "minor", "partner:acme", None, True, "No inspection on file."),
    ]
    first = CheckFinding.objects.get(check_run=check, worker=worker)
    assert first.figures == {"hours": "9.5", "limit": "8"}
    assert first.evidence == [
        {
            "model": "workshops.productionrecord",
            "id": record.pk,
            "url": f"/admin/workshops/productionrecord/inspect/{record.pk}/",
        }
        for record in records[:2]
    ]
    assert (first.start, first.end) == (D(2026, 2, 1), D(2026, 2, 28))


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"slug": "nope"}, "No partner has the slug 'nope'."),
        ({"scope_kind": "region"}, "Unknown scope 'region'."),
        (
            {"start": D(2026, 3, 1), "end": D(2026, 2, 1)},
            "The period is reversed: 2026-02-01 is before 2026-03-01.",
        ),
    ],
)
def test_a_bad_scope_or_period_is_refused_in_words_and_nothing_is_saved(world, fields, message):
    with pytest.raises(ValidationError) as refused:
        run(staff("auditor"), **fields)
    assert refused.value.messages == [message]
    assert not ComplianceCheck.objects.exists() and not Job.objects.exists()


def test_a_period_in_the_future_is_refused(world):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        run(staff("auditor"), start=today, end=today + datetime.timedelta(days=1))
    assert "in the future" in refused.value.messages[0]
    assert not ComplianceCheck.objects.exists()


@pytest.mark.parametrize("role", ["supervisor", "finance"])
def test_only_auditors_and_programme_managers_run_checks(world, role):
    with pytest.raises(PermissionDenied):
        run(staff(role, f"{role}-2"))
    assert not ComplianceCheck.objects.exists()


def test_the_whole_country_is_checked_prison_by_prison(world):
    check = run(staff("programme"), scope_kind="all", slug="ignored")
    assert (check.scope_kind, check.scope_slug, check.scope) == ("all", "", "all")
    assert set(CheckFinding.objects.values_list("scope", flat=True)) == {"prison:north-prison"}


# Screens ----------------------------------------------------------------------------------


def signed_in(client, role):
    build_home()
    user = staff(role, f"{role}-screens")
    login_with_second_factor(client, user)
    return user


def test_the_run_form_starts_a_check_and_shows_its_page(client, world):
    signed_in(client, "auditor")
    partner = world[0]
    response = client.post(
        "/admin/compliance/compliancecheck/new/",
        {
            "scope_kind": "partner",
            "partner": partner.pk,
            "start": "2026-02-01",
            "end": "2026-02-28",
        },
    )
    check = ComplianceCheck.objects.get()
    assert "Run a check" in client.get("/admin/compliance/compliancecheck/").content.decode()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/compliance/compliancecheck/inspect/{check.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "1 of 1 rules run." in page
    assert "FAKE_RULE" in page


def test_the_run_form_shows_a_refusal_and_saves_nothing(client, world):
    signed_in(client, "programme")
    response = client.post(
        "/admin/compliance/compliancecheck/new/",
        {
            "scope_kind": "partner",
            "partner": world[0].pk,
            "start": "2026-03-01",
            "end": "2026-02-01",
        },
    )
    assert response.status_code == 200
    assert "last day is on or after its first." in response.content.decode()
    assert not ComplianceCheck.objects.exists()


def test_the_run_form_asks_for_the_partner_of_a_partner_check(client, world):
    signed_in(client, "programme")
    response = client.post(
        "/admin/compliance/compliancecheck/new/",
        {"scope_kind": "partner", "start": "2026-02-01", "end": "2026-02-28"},
    )
    assert response.status_code == 200
    assert "Choose the partner to check." in response.content.decode()


@pytest.mark.parametrize("role", ["auditor", "programme"])
def test_findings_filter_and_export_without_a_legal_name_or_prison_number(client, world, role):
    """Programme managers may see identities elsewhere; a finding never shows them."""
    check = run(staff("auditor", "runner"))
    signed_in(client, role)
    base = f"/admin/compliance/compliancecheck/{check.pk}/findings/"

    listing = client.get(base).content.decode()
    major = client.get(f"{base}?severity=major").content.decode()
    one = client.get(f"{base}?worker=w-000002").content.decode()
    exported = client.get(f"{base}?export=csv")
    rows = list(csv.reader(io.StringIO(b"".join(exported.streaming_content).decode())))
    xlsx = client.get(f"{base}?export=xlsx&severity=minor")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    finding = CheckFinding.objects.get(worker__reference="W-000001")
    detail = client.get(f"{base}{finding.pk}/").content.decode()

    assert "W-000001" in listing and "W-000002" in listing and "No inspection on file." in listing
    assert "W-000001" in major and "No inspection on file." not in major
    assert "W-000002" in one and "W-000001" not in one
    assert rows[0] == [
        "Rule",
        "Severity",
        "Scope",
        "Worker",
        "From",
        "Until",
        "Missing data",
        "Detail",
        "Figures compared",
        "Evidence",
    ]
    assert [row[:4] for row in rows[1:]] == [
        ["FAKE_RULE", "major", "partner:acme", "W-000001"],
        ["FAKE_RULE", "major", "partner:acme", "W-000002"],
        ["FAKE_RULE", "minor", "partner:acme", ""],
    ]
    assert rows[1][8:] == [
        "hours: 9.5; limit: 8",
        " ".join(
            f"/admin/workshops/productionrecord/inspect/{pk}/"
            for pk in ProductionRecord.objects.filter(worker=finding.worker)
            .order_by("pk")
            .values_list("pk", flat=True)
        ),
    ]
    assert [row[3] for row in sheet.iter_rows(min_row=2, values_only=True)] == [None]
    assert "hours" in detail and "9.5" in detail
    assert f"/admin/workshops/productionrecord/inspect/{world[3][0].pk}/" in detail
    shown = "\n".join([listing, major, one, detail, *(",".join(row) for row in rows)])
    assert [secret for secret in IDENTITY if secret in shown] == []


def test_a_check_page_counts_its_findings_by_rule_and_severity(client, world):
    check = run(staff("auditor", "runner"))
    signed_in(client, "auditor")
    page = client.get(f"/admin/compliance/compliancecheck/inspect/{check.pk}/").content.decode()
    assert "?code=FAKE_RULE&amp;severity=major" in page
    assert "?code=FAKE_RULE&amp;severity=minor" in page
    assert [secret for secret in IDENTITY if secret in page] == []


def test_a_supervisor_cannot_open_a_check_or_its_findings(client, world):
    check = run(staff("auditor", "runner"))
    signed_in(client, "supervisor")
    for url in (
        f"/admin/compliance/compliancecheck/inspect/{check.pk}/",
        f"/admin/compliance/compliancecheck/{check.pk}/findings/",
        f"/admin/compliance/compliancecheck/{check.pk}/findings/?export=csv",
    ):
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, "/admin/")
