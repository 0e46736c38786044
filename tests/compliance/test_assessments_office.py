"""Assessments in the back office (``compliance.assessments.admin``): the listing, the start form,
an assessment's page and each of its forms (a happy path and a refusal shown in words with nothing
changed), other auditors kept read-only, a signed assessment frozen but for its follow-up, the
attachments served privately, and the page's query count fixed whatever the number of findings."""

import datetime
import html

import pytest
from django.utils import timezone

from compliance.models import Assessment, CorrectiveAction, Observation, Response
from core.private_files import PrivateFile, store_private_file
from core.testing.twofactor import login_with_second_factor
from core.uploads import PDF, PNG
from tests.brand.builders import build_home
from tests.compliance.assessment_builders import build_assessment, pdf, png
from tests.compliance.office_builders import build_partner_world, fake_rules, staff
from tests.workshops.builders import build_partner

pytestmark = pytest.mark.django_db
D = datetime.date
BASE = "/admin/compliance/assessment/"
IDENTITY = ("Legal W-000001", "PW-000001")
READ_ONLY = "is auditor's: you may read it, not change it."
QUERIES = 31  # the assessment's page with its charts, whatever its number of findings


@pytest.fixture
def world():
    build_home()
    partner, workshop, worker = build_partner_world()
    auditor = staff("auditor")
    return {
        "partner": partner,
        "workshop": workshop,
        "worker": worker,
        "auditor": auditor,
        "assessment": build_assessment(auditor, partner, worker=worker),
    }


def signed_in(client, user):
    login_with_second_factor(client, user)
    return client


def page_of(assessment) -> str:
    return f"{BASE}inspect/{assessment.pk}/"


def state(assessment) -> tuple:
    """What a refused POST must leave as it was."""
    assessment.refresh_from_db()
    return (
        assessment.summary,
        assessment.status,
        assessment.outcome,
        list(Observation.objects.values_list("pk", "text")),
        list(CorrectiveAction.objects.values_list("pk", "state", "closure_note", "due_on")),
        list(Response.objects.values_list("pk", "text")),
        PrivateFile.objects.count(),
    )


def text(response) -> str:
    return html.unescape(response.content.decode())


def sign_off(assessment, user, outcome="action_required"):
    """Signed as ``sign_assessment`` leaves it (the screens' tests do not need its effects)."""
    Assessment.objects.filter(pk=assessment.pk).update(
        status=Assessment.Status.SIGNED,
        summary="Signed summary.",
        default_outcome=outcome,
        outcome=outcome,
        signed_by=user,
        signed_at=timezone.now(),
    )
    assessment.refresh_from_db()


def first_finding(assessment, severity="critical"):
    return assessment.check_run.findings.get(severity=severity)


def set_action(assessment, finding, user, **fields):
    return CorrectiveAction.objects.create(
        assessment=assessment,
        finding=finding,
        what="Cap the shifts at 8 h",
        owner="Workshop manager",
        set_on=fields.get("set_on", D(2026, 3, 1)),
        due_on=fields.get("due_on", D(2026, 3, 31)),
        set_by=user,
    )


# The listing and the start form -----------------------------------------------------------------


def test_the_listing_shows_each_assessment_and_filters_them(client, world):
    assessment = world["assessment"]
    signed_in(client, world["auditor"])

    listing = text(client.get(BASE))
    in_progress = text(client.get(f"{BASE}?status=in_progress"))
    signed = text(client.get(f"{BASE}?status=signed"))
    of_workshops = text(client.get(f"{BASE}?kind=workshop"))
    compliant = text(client.get(f"{BASE}?outcome=compliant"))

    assert assessment.reference in listing
    assert "Acme" in listing
    assert "Feb 1, 2026 – Feb 28, 2026" in listing
    assert "In progress" in listing
    assert "Start an assessment" in listing
    assert f'href="{page_of(assessment)}"' in listing
    assert assessment.reference in in_progress
    assert assessment.reference not in signed
    assert assessment.reference not in of_workshops
    assert assessment.reference not in compliant


def test_the_listing_shows_the_outcome_and_day_of_a_signed_assessment(client, world):
    assessment = world["assessment"]
    sign_off(assessment, world["auditor"], outcome="suspended")
    signed_in(client, staff("programme"))

    listing = text(client.get(f"{BASE}?status=signed&outcome=suspended"))

    assert assessment.reference in listing
    assert "Suspended" in listing
    assert timezone.localdate().strftime("%b") in listing


def test_the_start_form_starts_an_assessment_and_opens_its_page(client, world, monkeypatch):
    fake_rules(monkeypatch)
    world["assessment"].delete()
    signed_in(client, world["auditor"])

    response = client.post(
        f"{BASE}new/",
        {"kind": "partner", "partner": "acme", "start": "2026-02-01", "end": "2026-02-28"},
    )

    assessment = Assessment.objects.get()
    assert (assessment.kind, assessment.partner, assessment.auditor) == (
        "partner",
        world["partner"],
        world["auditor"],
    )
    assert (assessment.start, assessment.end) == (D(2026, 2, 1), D(2026, 2, 28))
    assert (response.status_code, response["Location"]) == (302, page_of(assessment))
    page = text(client.get(response["Location"]))
    assert "FAKE_RULE" in page
    assert "No inspection on file." in page


def test_the_start_form_shows_a_second_assessment_in_progress_refused(client, world):
    signed_in(client, staff("programme"))

    response = client.post(
        f"{BASE}new/",
        {"kind": "partner", "partner": "acme", "start": "2026-02-01", "end": "2026-02-28"},
    )

    assert response.status_code == 200
    assert (
        f"Acme already has assessment {world['assessment'].reference} in progress, started by "
        "auditor on " in text(response)
    )
    assert Assessment.objects.count() == 1


def test_the_start_form_asks_for_the_workshop_of_a_workshop_assessment(client, world):
    signed_in(client, world["auditor"])

    response = client.post(
        f"{BASE}new/", {"kind": "workshop", "start": "2026-02-01", "end": "2026-02-28"}
    )

    assert response.status_code == 200
    assert "Choose the workshop to assess." in text(response)
    assert Assessment.objects.count() == 1


# The page ---------------------------------------------------------------------------------------


def test_its_auditor_sees_the_findings_the_outcome_and_every_form(client, world):
    assessment = world["assessment"]
    signed_in(client, world["auditor"])

    page = text(client.get(page_of(assessment)))

    assert "The outcome the open findings give" in page
    assert "<strong>Suspended</strong>." in page
    assert "Open findings: 1 critical, 1 major, 1 minor." in page
    assert "Critical or major findings without a corrective action: RULE_A, RULE_B." in page
    # by severity, then rule
    assert page.index(">Critical<") < page.index(">Major<") < page.index(">Minor<")
    assert "Finding number 1 of the test" in page
    assert "/admin/workshops/productionrecord/inspect/1000/" in page
    critical = first_finding(assessment)
    assert (
        f"/admin/compliance/compliancecheck/{assessment.check_run_id}/findings/{critical.pk}/"
        in (page)
    )
    assert "W-000001" in page
    for form in ("summary/", "observations/", f"findings/{critical.pk}/action/", "responses/"):
        assert f'action="{BASE}{assessment.pk}/{form}"' in page
    assert f'action="{BASE}{assessment.pk}/sign/"' in page
    assert f'href="{BASE}{assessment.pk}/report.pdf"' in page
    assert [secret for secret in IDENTITY if secret in page] == []


def test_another_auditor_reads_the_page_without_a_form(client, world):
    assessment = world["assessment"]
    set_action(assessment, first_finding(assessment), world["auditor"])
    signed_in(client, staff("auditor", "auditor-2"))

    response = client.get(page_of(assessment))

    page = text(response)
    assert response.status_code == 200
    assert "Finding number 1 of the test" in page
    assert "Cap the shifts at 8 h" in page
    assert "<form" not in page.split('id="judgement-heading"')[1]
    assert "Not signed yet: only its auditor, auditor, signs it off." in page


def forms_posted(assessment):
    """Each form's URL and a valid POST."""
    finding = first_finding(assessment, "major")
    action = CorrectiveAction.objects.filter(assessment=assessment).first()
    return [
        ("summary/", {"summary": "Changed"}),
        ("observations/", {"kind": "interview", "observed_on": "2026-03-02", "text": "Talked"}),
        (
            f"findings/{finding.pk}/action/",
            {
                f"finding-{finding.pk}-what": "Do",
                f"finding-{finding.pk}-owner": "Boss",
                f"finding-{finding.pk}-due_on": "2026-04-01",
            },
        ),
        (
            f"actions/{action.pk}/close/",
            {f"close-{action.pk}-closed_on": "2026-03-05", f"close-{action.pk}-note": "Done"},
        ),
        ("responses/", {"received_on": "2026-03-05", "responder": "Acme", "text": "We agree"}),
        ("sign/", {"outcome": "suspended"}),
    ]


def test_another_auditor_is_refused_every_form_with_403_and_nothing_changes(client, world):
    assessment = world["assessment"]
    set_action(assessment, first_finding(assessment), world["auditor"])
    signed_in(client, staff("auditor", "auditor-2"))
    before = state(assessment)

    for url, data in forms_posted(assessment):
        response = client.post(f"{BASE}{assessment.pk}/{url}", data)
        assert response.status_code == 403, url
        assert f"Assessment {assessment.reference} {READ_ONLY}" in text(response), url

    assert state(assessment) == before


def test_a_programme_manager_works_on_any_assessment_but_does_not_sign_it(client, world):
    assessment = world["assessment"]
    signed_in(client, staff("programme"))

    page = text(client.get(page_of(assessment)))
    saved = client.post(f"{BASE}{assessment.pk}/summary/", {"summary": "From the programme."})
    before = state(assessment)
    signing = client.post(f"{BASE}{assessment.pk}/sign/", {"outcome": "suspended"})

    assert f'action="{BASE}{assessment.pk}/summary/"' in page
    assert f'action="{BASE}{assessment.pk}/sign/"' not in page
    assert saved.status_code == 302
    assert before[0] == "From the programme."
    assert signing.status_code == 403
    assert state(assessment) == before
    assert [secret for secret in IDENTITY if secret in page] == []


@pytest.mark.parametrize("role", ["supervisor", "finance", "editor", "fulfilment"])
def test_staff_who_may_not_read_assessments_are_sent_home(client, world, role):
    assessment = world["assessment"]
    signed_in(client, staff(role, f"{role}-2"))
    before = state(assessment)

    answers = [
        client.get(BASE),
        client.get(page_of(assessment)),
        client.post(f"{BASE}{assessment.pk}/summary/", {"summary": "Changed"}),
        client.get(f"{BASE}{assessment.pk}/report.pdf"),
    ]

    assert [(a.status_code, a["Location"]) for a in answers] == [(302, "/admin/")] * 4
    assert state(assessment) == before


def test_a_form_url_answers_only_a_post(client, world):
    assessment = world["assessment"]
    signed_in(client, world["auditor"])

    assert client.get(f"{BASE}{assessment.pk}/summary/").status_code == 405
    assert client.post(page_of(assessment), {"summary": "x"}).status_code == 405


# Each form: a happy path and a refusal ----------------------------------------------------------


def test_the_summary_is_saved(client, world):
    assessment = world["assessment"]
    signed_in(client, world["auditor"])

    response = client.post(f"{BASE}{assessment.pk}/summary/", {"summary": "  Hours too long. "})

    assessment.refresh_from_db()
    assert (response.status_code, response["Location"]) == (302, page_of(assessment))
    assert assessment.summary == "Hours too long."
    page = text(client.get(page_of(assessment)))
    assert "The summary is saved." in page
    assert "Hours too long.</textarea>" in page


def test_an_observation_is_recorded_with_its_attachments_which_readers_download(client, world):
    assessment = world["assessment"]
    signed_in(client, world["auditor"])

    response = client.post(
        f"{BASE}{assessment.pk}/observations/",
        {
            "kind": "site_visit",
            "observed_on": "2026-03-02",
            "text": "The workshop was visited.",
            "files": [pdf("visit.pdf"), png("floor.png")],
        },
    )

    assert response.status_code == 302
    observation = Observation.objects.get()
    assert (observation.kind, observation.observed_on, observation.text) == (
        "site_visit",
        D(2026, 3, 2),
        "The workshop was visited.",
    )
    files = sorted(observation.attachments.all(), key=lambda f: f.original_name)
    assert [(f.original_name, f.content_type, f.purpose) for f in files] == [
        ("floor.png", "image/png", "assessment"),
        ("visit.pdf", "application/pdf", "assessment"),
    ]
    page = text(client.get(page_of(assessment)))
    assert "The workshop was visited." in page
    assert f'href="/files/{files[1].pk}/">visit.pdf</a>' in page
    assert client.get(f"/files/{files[1].pk}/").status_code == 200
    reader = client.__class__()
    signed_in(reader, staff("auditor", "auditor-2"))
    assert reader.get(f"/files/{files[1].pk}/").status_code == 200
    signed_in(reader, staff("programme"))
    assert reader.get(f"/files/{files[0].pk}/").status_code == 200
    signed_in(reader, staff("supervisor"))
    assert reader.get(f"/files/{files[0].pk}/", follow=True).status_code == 404


def test_an_attachment_that_is_not_what_its_name_says_is_refused(client, world):
    assessment = world["assessment"]
    signed_in(client, world["auditor"])
    before = state(assessment)

    response = client.post(
        f"{BASE}{assessment.pk}/observations/",
        {
            "kind": "site_visit",
            "observed_on": "2026-03-02",
            "text": "The workshop was visited.",
            "files": [png("report.pdf")],
        },
    )

    assert response.status_code == 200
    assert "The file is named “report.pdf” but its content is PNG." in text(response)
    assert state(assessment) == before


def test_a_corrective_action_is_set_for_a_finding(client, world):
    assessment = world["assessment"]
    finding = first_finding(assessment)
    signed_in(client, world["auditor"])
    prefix = f"finding-{finding.pk}"

    response = client.post(
        f"{BASE}{assessment.pk}/findings/{finding.pk}/action/",
        {
            f"{prefix}-what": "Cap the shifts at 8 h",
            f"{prefix}-owner": "Workshop manager",
            f"{prefix}-set_on": "2026-03-01",
            f"{prefix}-due_on": "2026-03-31",
        },
    )

    assert response.status_code == 302
    action = CorrectiveAction.objects.get()
    assert (action.finding, action.what, action.owner, action.set_on, action.due_on) == (
        finding,
        "Cap the shifts at 8 h",
        "Workshop manager",
        D(2026, 3, 1),
        D(2026, 3, 31),
    )
    page = text(client.get(page_of(assessment)))
    assert "Cap the shifts at 8 h" in page
    assert "Owner: Workshop manager · set on Mar 1, 2026 · due on Mar 31, 2026" in page
    assert "Overdue" in page  # due on a day past


def test_a_corrective_action_due_before_it_was_set_is_refused(client, world):
    assessment = world["assessment"]
    finding = first_finding(assessment)
    signed_in(client, world["auditor"])
    prefix = f"finding-{finding.pk}"
    before = state(assessment)

    response = client.post(
        f"{BASE}{assessment.pk}/findings/{finding.pk}/action/",
        {
            f"{prefix}-what": "Cap the shifts",
            f"{prefix}-owner": "Workshop manager",
            f"{prefix}-set_on": "2026-03-10",
            f"{prefix}-due_on": "2026-03-01",
        },
    )

    assert response.status_code == 200
    assert "The action is due on Mar 1, 2026, before the day it was set (Mar 10, 2026)." in text(
        response
    )
    assert state(assessment) == before


def test_a_corrective_action_is_closed_with_its_evidence(client, world):
    assessment = world["assessment"]
    action = set_action(assessment, first_finding(assessment), world["auditor"])
    signed_in(client, world["auditor"])
    prefix = f"close-{action.pk}"

    response = client.post(
        f"{BASE}{assessment.pk}/actions/{action.pk}/close/",
        {
            f"{prefix}-closed_on": "2026-03-20",
            f"{prefix}-note": "Rota changed",
            f"{prefix}-files": [pdf("rota.pdf")],
        },
    )

    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.state, action.closed_on, action.closure_note) == (
        "closed",
        D(2026, 3, 20),
        "Rota changed",
    )
    evidence = action.closure_evidence.get()
    page = text(client.get(page_of(assessment)))
    assert f'href="/files/{evidence.pk}/">rota.pdf</a>' in page
    assert "Open findings: 0 critical, 1 major, 1 minor." in page


def test_closing_an_action_before_it_was_set_is_refused(client, world):
    assessment = world["assessment"]
    action = set_action(assessment, first_finding(assessment), world["auditor"])
    signed_in(client, world["auditor"])
    prefix = f"close-{action.pk}"
    before = state(assessment)

    response = client.post(
        f"{BASE}{assessment.pk}/actions/{action.pk}/close/",
        {f"{prefix}-closed_on": "2026-02-20", f"{prefix}-note": "Rota changed"},
    )

    assert response.status_code == 200
    assert "The action cannot close on Feb 20, 2026, before it was set (Mar 1, 2026)." in text(
        response
    )
    assert state(assessment) == before


def test_a_response_is_recorded_with_its_document(client, world):
    assessment = world["assessment"]
    action = set_action(assessment, first_finding(assessment), world["auditor"])
    signed_in(client, world["auditor"])
    today = timezone.localdate().isoformat()

    response = client.post(
        f"{BASE}{assessment.pk}/responses/",
        {
            "received_on": today,
            "responder": "Acme's director",
            "text": "The rota is changed.",
            "action": action.pk,
            "document": pdf("letter.pdf"),
        },
    )

    assert response.status_code == 302
    answer = Response.objects.get()
    assert (answer.responder, answer.text, answer.action, answer.document.original_name) == (
        "Acme's director",
        "The rota is changed.",
        action,
        "letter.pdf",
    )
    page = text(client.get(page_of(assessment)))
    assert "The rota is changed." in page
    assert f'href="/files/{answer.document.pk}/">letter.pdf</a>' in page


def test_a_response_dated_before_the_assessment_began_is_refused(client, world):
    assessment = world["assessment"]
    signed_in(client, world["auditor"])
    before = state(assessment)
    began = timezone.localdate(assessment.started_at)
    day = began - datetime.timedelta(days=1)

    response = client.post(
        f"{BASE}{assessment.pk}/responses/",
        {"received_on": day.isoformat(), "responder": "Acme", "text": "Late"},
    )

    assert response.status_code == 200
    assert "before the assessment began" in text(response)
    assert state(assessment) == before


def ready_to_sign(assessment, user):
    Assessment.objects.filter(pk=assessment.pk).update(summary="Long hours.")
    set_action(assessment, first_finding(assessment), user)
    set_action(assessment, first_finding(assessment, "major"), user)


def test_the_auditor_signs_the_default_outcome_and_the_partner_takes_it(client, world):
    assessment = world["assessment"]
    ready_to_sign(assessment, world["auditor"])
    signed_in(client, world["auditor"])

    response = client.post(f"{BASE}{assessment.pk}/sign/", {"outcome": "suspended"})

    assessment.refresh_from_db()
    world["partner"].refresh_from_db()
    assert (response.status_code, response["Location"]) == (302, page_of(assessment))
    assert (assessment.status, assessment.outcome, assessment.default_outcome) == (
        "signed",
        "suspended",
        "suspended",
    )
    assert (assessment.signed_by, assessment.override_reason) == (world["auditor"], "")
    assert world["partner"].fairness == "suspended"
    page = text(client.get(page_of(assessment)))
    assert f"Assessment {assessment.reference} is signed: suspended." in page
    assert f'action="{BASE}{assessment.pk}/sign/"' not in page


def test_the_auditor_signs_another_outcome_with_its_reason(client, world):
    assessment = world["assessment"]
    ready_to_sign(assessment, world["auditor"])
    signed_in(client, world["auditor"])

    client.post(
        f"{BASE}{assessment.pk}/sign/",
        {"outcome": "action_required", "reason": "The critical finding was fixed on the day."},
    )

    assessment.refresh_from_db()
    assert (assessment.outcome, assessment.default_outcome, assessment.override_reason) == (
        "action_required",
        "suspended",
        "The critical finding was fixed on the day.",
    )
    page = text(client.get(page_of(assessment)))
    assert "The open findings gave “suspended”; the auditor signed another outcome" in page
    assert "The critical finding was fixed on the day." in page


def test_signing_with_an_empty_summary_is_refused(client, world):
    assessment = world["assessment"]
    signed_in(client, world["auditor"])
    before = state(assessment)

    response = client.post(f"{BASE}{assessment.pk}/sign/", {"outcome": "suspended"})

    assert response.status_code == 200
    assert (
        f"Assessment {assessment.reference} cannot be signed yet: the summary is empty; "
        "2 open critical or major findings have no corrective action (RULE_A, RULE_B)."
        in text(response)
    )
    assert state(assessment) == before


def test_signing_another_outcome_without_a_reason_is_refused(client, world):
    assessment = world["assessment"]
    ready_to_sign(assessment, world["auditor"])
    signed_in(client, world["auditor"])
    before = state(assessment)

    response = client.post(f"{BASE}{assessment.pk}/sign/", {"outcome": "compliant"})

    assert response.status_code == 200
    assert (
        "The open findings give the outcome “suspended”; to sign “compliant” instead, write the "
        "reason (the report prints it)." in text(response)
    )
    assert state(assessment) == before


# A signed assessment ----------------------------------------------------------------------------


def test_a_signed_assessment_shows_only_its_follow_up_forms(client, world):
    assessment = world["assessment"]
    action = set_action(assessment, first_finding(assessment), world["auditor"])
    sign_off(assessment, world["auditor"])
    signed_in(client, world["auditor"])

    page = text(client.get(page_of(assessment)))

    assert "Signed by auditor on " in page
    for closed in ("summary/", "observations/", "sign/"):
        assert f'action="{BASE}{assessment.pk}/{closed}"' not in page
    assert "/action/" not in page
    assert f'action="{BASE}{assessment.pk}/actions/{action.pk}/close/"' in page
    assert f'action="{BASE}{assessment.pk}/responses/"' in page


def test_editing_a_signed_assessment_through_any_admin_url_is_refused(client, world):
    assessment = world["assessment"]
    sign_off(assessment, world["auditor"])
    signed_in(client, world["auditor"])
    before = state(assessment)
    finding = first_finding(assessment, "major")

    summary = client.post(f"{BASE}{assessment.pk}/summary/", {"summary": "Rewritten"})
    observation = client.post(
        f"{BASE}{assessment.pk}/observations/",
        {"kind": "other", "observed_on": "2026-03-02", "text": "Late"},
    )
    action = client.post(
        f"{BASE}{assessment.pk}/findings/{finding.pk}/action/",
        {
            f"finding-{finding.pk}-what": "Do",
            f"finding-{finding.pk}-owner": "Boss",
            f"finding-{finding.pk}-due_on": "2026-04-01",
        },
    )
    edit = client.get(f"{BASE}edit/{assessment.pk}/")
    delete = client.post(f"{BASE}delete/{assessment.pk}/")

    for response in (summary, observation, action):
        assert response.status_code == 200
        assert f"Assessment {assessment.reference} was signed on " in text(response)
        assert "never changes; start a new assessment to supersede it." in text(response)
    assert (edit.status_code, edit["Location"]) == (302, "/admin/")
    assert (delete.status_code, delete["Location"]) == (302, "/admin/")
    assert state(assessment) == before


# Queries ----------------------------------------------------------------------------------------


def with_follow_up(assessment, user):
    """An action on each critical finding (closed with evidence, answered with a document) and
    an observation with an attachment."""
    for finding in assessment.check_run.findings.filter(severity="critical"):
        action = set_action(assessment, finding, user)
        stored = store_private_file(pdf(), purpose="assessment", allowed=(PDF,))
        action.closure_evidence.add(stored)
        Response.objects.create(
            assessment=assessment,
            action=action,
            received_on=D(2026, 3, 2),
            responder="Acme",
            text="Noted",
            document=stored,
            recorded_by=user,
        )
    observation = Observation.objects.create(
        assessment=assessment,
        kind="interview",
        observed_on=D(2026, 3, 2),
        text="Met",
        recorded_by=user,
    )
    observation.attachments.add(store_private_file(png(), purpose="assessment", allowed=(PNG,)))


@pytest.mark.parametrize("findings", [3, 12])
def test_the_page_reads_a_fixed_number_of_queries(
    client, world, findings, django_assert_num_queries
):
    assessment = build_assessment(
        world["auditor"], build_partner("other"), findings=findings, worker=world["worker"]
    )
    with_follow_up(assessment, world["auditor"])
    signed_in(client, world["auditor"])
    client.get(page_of(assessment))  # warm-up: the session, the site, the permissions

    with django_assert_num_queries(QUERIES):
        response = client.get(page_of(assessment))

    assert response.status_code == 200
    assert text(response).count('class="bw-finding') == findings
