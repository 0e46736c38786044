"""The assessment operations (``compliance.assessments.operations``), from the start to the
sign-off: each one's result and audit log entry, and each refusal in its own words with nothing
changed. Small fake rules, one finding each, stand in for the 18."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from compliance.assessments.operations import (
    Judgement,
    add_observation,
    close_action,
    outcome_of,
    record_response,
    set_corrective_action,
    sign_assessment,
    start_assessment,
    update_summary,
)
from compliance.models import (
    Assessment,
    CheckFinding,
    ComplianceCheck,
    CorrectiveAction,
    Observation,
    Response,
)
from core.formatting import format_day
from core.jobs import Job
from core.private_files import PrivateFile
from tests.compliance.assessment_ops_builders import (
    CRITICAL_A,
    CRITICAL_B,
    FEBRUARY,
    MAJOR_C,
    MINOR_D,
    PDF_BYTES,
    act_on,
    build_world,
    fake_rules,
    finding,
    logged,
    pdf,
    png,
    signed,
    snapshot,
    start,
    stored_blobs,
)
from workshops.models import Partner

pytestmark = pytest.mark.django_db
D = datetime.date
DAY = datetime.timedelta(days=1)


@pytest.fixture
def world(monkeypatch):
    fake_rules(monkeypatch, CRITICAL_A, MAJOR_C, MINOR_D)
    return build_world()


@pytest.fixture
def assessment(world):
    return start(world)


def today():
    return timezone.localdate()


def assert_refused(assessment, call, message, *, error=ValidationError):
    """``call`` is refused with exactly ``message``, and nothing about the assessment changed."""
    before = snapshot(assessment)
    with pytest.raises(error) as refused:
        call()
    said = refused.value.messages if error is ValidationError else [str(refused.value)]
    assert said == [message]
    assert snapshot(assessment) == before


# start_assessment ---------------------------------------------------------------------------


def test_an_auditor_starts_an_assessment_whose_snapshot_is_the_findings_of_its_check(world):
    assessment = start(world)

    assessment.refresh_from_db()
    assert assessment.reference == f"AS-{today():%Y}-{assessment.pk:04d}"
    assert (
        assessment.kind,
        assessment.partner,
        assessment.workshop,
        assessment.start,
        assessment.end,
        assessment.auditor,
        assessment.status,
        assessment.summary,
        assessment.default_outcome,
        assessment.outcome,
        assessment.signed_by,
        assessment.signed_at,
        assessment.supersedes,
    ) == (
        "partner",
        world.partner,
        None,
        *FEBRUARY,
        world.auditor,
        "in_progress",
        "",
        "",
        "",
        None,
        None,
        None,
    )
    assert assessment.subject == world.partner and assessment.is_signed is False
    check = assessment.check_run
    assert (check.scope, check.start, check.end, check.requested_by) == (
        "partner:acme",
        *FEBRUARY,
        world.auditor,
    )
    assert check.finished_at is not None and check.findings_count == 3
    assert list(
        CheckFinding.objects.filter(check_run=check)
        .order_by("code")
        .values_list("code", "severity", "scope", "detail", "figures")
    ) == [
        ("CRIT_A", "critical", "partner:acme", "crit_a found", {"hours": "9.5", "limit": "8"}),
        ("MAJOR_C", "major", "partner:acme", "major_c found", {"hours": "9.5", "limit": "8"}),
        ("MINOR_D", "minor", "partner:acme", "minor_d found", {"hours": "9.5", "limit": "8"}),
    ]
    assert logged(assessment) == [("wagtail.create", "auditor", {})]
    assert logged(check) == [
        ("bridgework.compliance_check_started", "auditor", {"scope": "partner:acme"})
    ]


def test_a_workshop_is_assessed_by_its_slug_and_a_programme_manager_may_start_one(world):
    assessment = start(world, user=world.programme, kind="workshop", slug="bakery-north")

    assert (assessment.kind, assessment.partner, assessment.workshop, assessment.auditor) == (
        "workshop",
        None,
        world.workshop,
        world.programme,
    )
    assert assessment.subject == world.workshop
    assert assessment.check_run.scope == "workshop:bakery-north"
    assert logged(assessment) == [("wagtail.create", "programme", {})]


def test_a_partner_and_its_workshop_may_each_have_one_in_progress(world):
    first = start(world)
    second = start(world, user=world.other_auditor, kind="workshop", slug="bakery-north")
    assert list(Assessment.objects.order_by("pk").values_list("pk", "status")) == [
        (first.pk, "in_progress"),
        (second.pk, "in_progress"),
    ]
    assert second.reference == f"AS-{today():%Y}-{second.pk:04d}" != first.reference


def nothing_started():
    return (Assessment.objects.count(), ComplianceCheck.objects.count(), Job.objects.count())


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"start": D(2026, 3, 1), "end": D(2026, 2, 1)},
            "The period is reversed: 2026-02-01 is before 2026-03-01.",
        ),
        ({"slug": "nope"}, "No partner has the slug 'nope'."),
        ({"kind": "workshop", "slug": "acme"}, "No workshop has the slug 'acme'."),
        (
            {"kind": "prison", "slug": "north-prison"},
            "An assessment is of a partner or a workshop.",
        ),
    ],
)
def test_a_bad_period_or_subject_is_refused_in_words_and_nothing_is_started(world, fields, message):
    with pytest.raises(ValidationError) as refused:
        start(world, **fields)
    assert refused.value.messages == [message]
    assert nothing_started() == (0, 0, 0)


def test_a_period_in_the_future_is_refused_and_nothing_is_started(world):
    end = today() + DAY
    with pytest.raises(ValidationError) as refused:
        start(world, start=today(), end=end)
    assert refused.value.messages == [
        f"The period ends on {end.isoformat()}, in the future: check up to today "
        f"({today().isoformat()}) at most."
    ]
    assert nothing_started() == (0, 0, 0)


@pytest.mark.parametrize("who", ["supervisor", None])
def test_a_user_without_the_permission_may_not_start_one(world, who):
    with pytest.raises(PermissionDenied) as refused:
        start_assessment(
            user=getattr(world, who) if who else None,
            kind="partner",
            slug="acme",
            start=FEBRUARY[0],
            end=FEBRUARY[1],
        )
    assert str(refused.value) == "You may not start assessments."
    assert nothing_started() == (0, 0, 0)


def test_a_second_assessment_of_a_partner_in_progress_is_refused_naming_the_first(world):
    first = start(world)
    before = nothing_started()

    with pytest.raises(ValidationError) as refused:
        start(world, user=world.other_auditor, start=D(2026, 1, 1), end=D(2026, 1, 31))

    assert refused.value.messages == [
        f"Acme already has assessment {first.reference} in progress, started by auditor on "
        f"{format_day(today())}: finish it first."
    ]
    assert nothing_started() == before == (1, 1, 1)


def test_a_second_assessment_of_a_workshop_in_progress_is_refused(world):
    first = start(world, kind="workshop", slug="bakery-north")
    with pytest.raises(ValidationError) as refused:
        start(world, user=world.programme, kind="workshop", slug="bakery-north")
    assert refused.value.messages == [
        f"{world.workshop} already has assessment {first.reference} in progress, started by "
        f"auditor on {format_day(today())}: finish it first."
    ]
    assert nothing_started() == (1, 1, 1)


def test_once_signed_a_new_assessment_of_the_partner_may_start(world, assessment):
    signed(assessment)
    second = start(world, user=world.other_auditor)
    assert second.status == "in_progress" and second.auditor == world.other_auditor


# update_summary -----------------------------------------------------------------------------


def test_the_auditor_writes_the_summary(world, assessment):
    updated = update_summary(
        user=world.auditor, assessment=assessment, summary="  Hours too long.  "
    )
    assert updated.summary == "Hours too long."
    assert Assessment.objects.get().summary == "Hours too long."
    assert logged(assessment)[-1] == ("wagtail.edit", "auditor", {})


def test_another_auditor_may_read_but_not_write_the_summary_and_a_programme_manager_may(
    world, assessment
):
    assert_refused(
        assessment,
        lambda: update_summary(user=world.other_auditor, assessment=assessment, summary="Mine"),
        f"Assessment {assessment.reference} is auditor's: you may read it, not change it.",
        error=PermissionDenied,
    )
    update_summary(user=world.programme, assessment=assessment, summary="Checked.")
    assert Assessment.objects.get().summary == "Checked."
    assert logged(assessment)[-1] == ("wagtail.edit", "programme", {})


# add_observation ----------------------------------------------------------------------------


def test_the_auditor_adds_an_observation_with_its_attachments_stored_privately(world, assessment):
    observation = add_observation(
        user=world.auditor,
        assessment=assessment,
        kind="site_visit",
        observed_on=D(2026, 3, 3),
        text="  No guard on the oven.  ",
        files=[pdf("visit.pdf"), png("oven.png")],
    )

    observation = Observation.objects.get()
    assert (
        observation.assessment,
        observation.kind,
        observation.observed_on,
        observation.text,
        observation.recorded_by,
    ) == (assessment, "site_visit", D(2026, 3, 3), "No guard on the oven.", world.auditor)
    assert sorted(
        observation.attachments.values_list(
            "original_name", "content_type", "purpose", "uploaded_by__username", "size"
        )
    ) == [
        ("oven.png", "image/png", "assessment", "auditor", 32),
        ("visit.pdf", "application/pdf", "assessment", "auditor", len(PDF_BYTES)),
    ]
    stored = observation.attachments.get(original_name="visit.pdf")
    with stored.file.open("rb") as opened:
        assert opened.read() == PDF_BYTES
    assert logged(observation) == [
        ("wagtail.create", "auditor", {"assessment": assessment.reference})
    ]


def test_a_programme_manager_may_add_an_observation_and_another_auditor_may_not(world, assessment):
    assert_refused(
        assessment,
        lambda: add_observation(
            user=world.other_auditor,
            assessment=assessment,
            kind="interview",
            observed_on=D(2026, 3, 3),
            text="Mine",
        ),
        f"Assessment {assessment.reference} is auditor's: you may read it, not change it.",
        error=PermissionDenied,
    )
    observation = add_observation(
        user=world.programme,
        assessment=assessment,
        kind="interview",
        observed_on=D(2026, 3, 3),
        text="Workers say the breaks are short.",
    )
    assert (observation.recorded_by, observation.attachments.count()) == (world.programme, 0)


def observe(world, assessment, **fields):
    fields = {
        "kind": "site_visit",
        "observed_on": D(2026, 3, 3),
        "text": "No guard on the oven.",
    } | fields
    return lambda: add_observation(user=world.auditor, assessment=assessment, **fields)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"text": "   "}, "Write what was observed."),
        ({"kind": "chat"}, "Unknown kind of observation 'chat'."),
        (
            {"files": ["png-as-pdf"]},
            "The file is named “x.pdf” but its content is PNG.",
        ),
        (
            {"files": ["pdf", "png-as-pdf"]},
            "The file is named “x.pdf” but its content is PNG.",
        ),
        (
            {"files": ["text"]},
            "This file is not a PDF, PNG, JPEG file: its content is CSV.",
        ),
    ],
)
def test_a_bad_observation_is_refused_and_nothing_is_stored(world, assessment, fields, message):
    files = {"pdf": lambda: pdf(), "png-as-pdf": lambda: png("x.pdf"), "text": lambda: text()}
    if "files" in fields:
        fields["files"] = [files[name]() for name in fields["files"]]
    blobs, private = stored_blobs(), PrivateFile.objects.count()

    assert_refused(assessment, observe(world, assessment, **fields), message)

    assert (Observation.objects.count(), PrivateFile.objects.count(), stored_blobs()) == (
        0,
        private,
        blobs,
    )


def text():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("notes.pdf", b"just words\n")


def test_an_observation_in_the_future_is_refused(world, assessment):
    tomorrow = today() + DAY
    assert_refused(
        assessment,
        observe(world, assessment, observed_on=tomorrow),
        f"The observation's day {format_day(tomorrow)} is in the future.",
    )


def test_no_observation_is_added_to_a_signed_assessment(world, assessment):
    signed(assessment)
    assert_refused(
        assessment,
        observe(world, assessment, files=[pdf()]),
        f"Assessment {assessment.reference} was signed on {format_day(today())} and never "
        "changes; start a new assessment to supersede it.",
    )


# set_corrective_action ----------------------------------------------------------------------


def test_the_auditor_sets_a_corrective_action_for_a_finding(world, assessment):
    critical = finding(assessment, "CRIT_A")
    action = set_corrective_action(
        user=world.auditor,
        assessment=assessment,
        finding=critical,
        what="  Fit a guard to the oven.  ",
        owner="  Workshop manager ",
        due_on=D(2026, 4, 30),
        set_on=D(2026, 3, 2),
    )

    action = CorrectiveAction.objects.get()
    assert (
        action.assessment,
        action.finding,
        action.what,
        action.owner,
        action.set_on,
        action.due_on,
        action.state,
        action.closed_on,
        action.closure_note,
        action.set_by,
    ) == (
        assessment,
        critical,
        "Fit a guard to the oven.",
        "Workshop manager",
        D(2026, 3, 2),
        D(2026, 4, 30),
        "open",
        None,
        "",
        world.auditor,
    )
    assert logged(action) == [("wagtail.create", "auditor", {"assessment": assessment.reference})]


def test_a_corrective_action_is_set_today_unless_told(world, assessment):
    action = set_corrective_action(
        user=world.programme,
        assessment=assessment,
        finding=finding(assessment, "MAJOR_C"),
        what="Shorter shifts",
        owner="Acme",
        due_on=today(),
    )
    assert (action.set_on, action.due_on, action.set_by) == (today(), today(), world.programme)


def set_action(world, assessment, code="CRIT_A", **fields):
    fields = {
        "finding": finding(assessment, code),
        "what": "Fit a guard to the oven.",
        "owner": "Workshop manager",
        "due_on": D(2026, 4, 30),
        "set_on": D(2026, 3, 2),
    } | fields
    return lambda: set_corrective_action(user=world.auditor, assessment=assessment, **fields)


def test_an_action_due_before_it_was_set_is_refused(world, assessment):
    assert_refused(
        assessment,
        set_action(world, assessment, due_on=D(2026, 3, 1)),
        "The action is due on Mar 1, 2026, before the day it was set (Mar 2, 2026).",
    )


@pytest.mark.parametrize(("field", "value"), [("what", "  "), ("owner", "")])
def test_an_action_without_what_or_owner_is_refused(world, assessment, field, value):
    assert_refused(
        assessment,
        set_action(world, assessment, **{field: value}),
        "A corrective action says what must be done and who owns it.",
    )


def test_an_action_set_in_the_future_is_refused(world, assessment):
    tomorrow = today() + DAY
    assert_refused(
        assessment,
        set_action(world, assessment, set_on=tomorrow, due_on=tomorrow),
        f"The day the action was set, {format_day(tomorrow)} is in the future.",
    )


def test_an_action_for_a_finding_of_another_assessment_is_refused(world, assessment):
    other = start(world, kind="workshop", slug="bakery-north")
    assert_refused(
        assessment,
        set_action(world, assessment, finding=finding(other, "CRIT_A")),
        f"That finding is not one of assessment {assessment.reference}'s.",
    )
    assert not CorrectiveAction.objects.exists()


def test_a_second_action_for_the_same_finding_is_refused(world, assessment):
    set_action(world, assessment)()
    assert_refused(
        assessment,
        set_action(world, assessment, what="Another"),
        "This finding already has a corrective action.",
    )
    assert CorrectiveAction.objects.get().what == "Fit a guard to the oven."


def test_another_auditor_may_not_set_an_action(world, assessment):
    assert_refused(
        assessment,
        lambda: set_corrective_action(
            user=world.other_auditor,
            assessment=assessment,
            finding=finding(assessment, "CRIT_A"),
            what="Mine",
            owner="Me",
            due_on=D(2026, 4, 30),
        ),
        f"Assessment {assessment.reference} is auditor's: you may read it, not change it.",
        error=PermissionDenied,
    )


def test_no_action_is_set_on_a_signed_assessment(world, assessment):
    signed(assessment)
    assert_refused(
        assessment,
        set_action(world, assessment, "MINOR_D"),
        f"Assessment {assessment.reference} was signed on {format_day(today())} and never "
        "changes; start a new assessment to supersede it.",
    )


# close_action -------------------------------------------------------------------------------


def test_the_auditor_closes_an_action_with_its_evidence(world, assessment):
    action = act_on(assessment, "CRIT_A")

    closed = close_action(
        user=world.auditor,
        action=action,
        closed_on=D(2026, 3, 10),
        note="  Guard fitted; photo attached.  ",
        files=[png("guard.png")],
    )

    closed = CorrectiveAction.objects.get()
    assert (closed.state, closed.closed_on, closed.closure_note) == (
        "closed",
        D(2026, 3, 10),
        "Guard fitted; photo attached.",
    )
    assert list(closed.closure_evidence.values_list("original_name", "purpose")) == [
        ("guard.png", "assessment")
    ]
    assert logged(action)[-1] == (
        "bridgework.action_closed",
        "auditor",
        {"closed_on": "2026-03-10"},
    )


def test_a_programme_manager_follows_up_an_action_after_the_sign_off(world, assessment):
    signed(assessment)
    action = CorrectiveAction.objects.get(finding__code="CRIT_A")
    close_action(user=world.programme, action=action, closed_on=today(), note="Guard fitted.")
    action.refresh_from_db()
    assert (action.state, action.closed_on) == ("closed", today())
    assert logged(action)[-1] == (
        "bridgework.action_closed",
        "programme",
        {"closed_on": today().isoformat()},
    )


def close(world, action, user=None, **fields):
    fields = {"closed_on": D(2026, 3, 10), "note": "Guard fitted."} | fields
    return lambda: close_action(user=user or world.auditor, action=action, **fields)


def test_an_action_closed_twice_is_refused_the_second_time(world, assessment):
    action = act_on(assessment, "CRIT_A")
    close(world, action)()
    assert_refused(
        assessment,
        close(world, action, closed_on=D(2026, 3, 12), note="Again"),
        "This corrective action was closed on Mar 10, 2026.",
    )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"closed_on": D(2026, 3, 1)},
            "The action cannot close on Mar 1, 2026, before it was set (Mar 2, 2026).",
        ),
        ({"note": "  "}, "Say how the action was closed: what changed, and what shows it."),
        (
            {"files": ["png-as-pdf"]},
            "The file is named “x.pdf” but its content is PNG.",
        ),
    ],
)
def test_a_bad_closure_is_refused_and_the_action_stays_open(world, assessment, fields, message):
    action = act_on(assessment, "CRIT_A")
    if "files" in fields:
        fields["files"] = [png("x.pdf")]
    blobs = stored_blobs()
    assert_refused(assessment, close(world, action, **fields), message)
    assert CorrectiveAction.objects.get().state == "open"
    assert stored_blobs() == blobs


def test_an_action_closed_in_the_future_is_refused(world, assessment):
    action = act_on(assessment, "CRIT_A")
    tomorrow = today() + DAY
    assert_refused(
        assessment,
        close(world, action, closed_on=tomorrow),
        f"The closing day {format_day(tomorrow)} is in the future.",
    )


def test_another_auditor_may_not_close_an_action(world, assessment):
    action = act_on(assessment, "CRIT_A")
    assert_refused(
        assessment,
        close(world, action, user=world.other_auditor),
        "You may not follow up this assessment's corrective actions.",
        error=PermissionDenied,
    )


# record_response ----------------------------------------------------------------------------


def test_the_auditor_records_a_response_with_its_document(world, assessment):
    action = act_on(assessment, "CRIT_A")

    response = record_response(
        user=world.auditor,
        assessment=assessment,
        received_on=today(),
        responder="  Acme's manager ",
        text=" The guard is ordered. ",
        action=action,
        document=pdf("letter.pdf"),
    )

    response = Response.objects.get()
    assert (
        response.assessment,
        response.action,
        response.received_on,
        response.responder,
        response.text,
        response.recorded_by,
        response.document.original_name,
        response.document.purpose,
    ) == (
        assessment,
        action,
        today(),
        "Acme's manager",
        "The guard is ordered.",
        world.auditor,
        "letter.pdf",
        "assessment",
    )
    assert logged(response) == [("wagtail.create", "auditor", {"assessment": assessment.reference})]


def test_a_programme_manager_records_a_response_after_the_sign_off(world, assessment):
    signed(assessment)
    response = record_response(
        user=world.programme,
        assessment=assessment,
        received_on=today(),
        responder="Acme",
        text="We disagree.",
    )
    assert (response.action, response.document, response.recorded_by) == (
        None,
        None,
        world.programme,
    )


def respond(world, assessment, user=None, **fields):
    fields = {"received_on": today(), "responder": "Acme", "text": "Noted."} | fields
    return lambda: record_response(user=user or world.auditor, assessment=assessment, **fields)


def test_a_response_dated_before_the_assessment_began_is_refused(world, assessment):
    yesterday = today() - DAY
    assert_refused(
        assessment,
        respond(world, assessment, received_on=yesterday),
        f"The response is dated {format_day(yesterday)}, before the assessment began "
        f"({format_day(today())}).",
    )


def test_a_response_in_the_future_is_refused(world, assessment):
    tomorrow = today() + DAY
    assert_refused(
        assessment,
        respond(world, assessment, received_on=tomorrow),
        f"The day it was received, {format_day(tomorrow)} is in the future.",
    )


@pytest.mark.parametrize(("field", "value"), [("responder", " "), ("text", "")])
def test_a_response_without_who_or_what_is_refused(world, assessment, field, value):
    assert_refused(
        assessment,
        respond(world, assessment, **{field: value}),
        "A response says who answered and what they said.",
    )


def test_a_response_about_another_assessments_action_is_refused(world, assessment):
    other = start(world, kind="workshop", slug="bakery-north")
    action = act_on(other, "CRIT_A")
    assert_refused(
        assessment,
        respond(world, assessment, action=action),
        f"That corrective action is not one of assessment {assessment.reference}'s.",
    )


def test_a_response_with_a_document_that_is_not_what_its_name_says_is_refused(world, assessment):
    blobs = stored_blobs()
    assert_refused(
        assessment,
        respond(world, assessment, document=png("letter.pdf")),
        "The file is named “letter.pdf” but its content is PNG.",
    )
    assert stored_blobs() == blobs


def test_another_auditor_may_not_record_a_response(world, assessment):
    assert_refused(
        assessment,
        respond(world, assessment, user=world.other_auditor),
        "You may not record responses to this assessment.",
        error=PermissionDenied,
    )


# outcome_of ---------------------------------------------------------------------------------


def judged(assessment):
    judgement = outcome_of(assessment)
    return (
        judgement.outcome,
        judgement.open_critical,
        judgement.open_major,
        judgement.open_minor,
        [found.code for found in judgement.without_action],
    )


@pytest.mark.parametrize(
    ("rules", "expected"),
    [
        (
            (CRITICAL_A, CRITICAL_B, MAJOR_C, MINOR_D),
            ("suspended", 2, 1, 1, ["CRIT_A", "CRIT_B", "MAJOR_C"]),
        ),
        ((CRITICAL_A,), ("suspended", 1, 0, 0, ["CRIT_A"])),
        ((MAJOR_C, MINOR_D), ("action_required", 0, 1, 1, ["MAJOR_C"])),
        ((MINOR_D,), ("compliant", 0, 0, 1, [])),
        ((), ("compliant", 0, 0, 0, [])),
    ],
)
def test_the_outcome_the_open_findings_give(monkeypatch, rules, expected):
    fake_rules(monkeypatch, *rules)
    assessment = start(build_world())
    assert judged(assessment) == expected


def test_a_finding_with_an_open_action_is_still_open_and_a_closed_one_is_not(world, assessment):
    critical = act_on(assessment, "CRIT_A")
    assert judged(assessment) == ("suspended", 1, 1, 1, ["MAJOR_C"])

    close(world, critical)()
    assert judged(assessment) == ("action_required", 0, 1, 1, ["MAJOR_C"])

    close(world, act_on(assessment, "MAJOR_C"))()
    assert judged(assessment) == ("compliant", 0, 0, 1, [])

    close(world, act_on(assessment, "MINOR_D"))()
    assert outcome_of(assessment) == Judgement("compliant", 0, 0, 0, [])


def test_the_outcome_reads_the_findings_in_two_queries(
    world, assessment, django_assert_num_queries
):
    with django_assert_num_queries(2):  # the actions, the findings
        outcome_of(assessment)


# sign_assessment ----------------------------------------------------------------------------


def sign(world, assessment, user=None, **fields):
    return lambda: sign_assessment(user=user or world.auditor, assessment=assessment, **fields)


def ready(assessment, summary="Seen in February."):
    for code in ("CRIT_A", "MAJOR_C"):
        act_on(assessment, code)
    update_summary(user=assessment.auditor, assessment=assessment, summary=summary)


def test_signing_with_an_empty_summary_and_findings_without_actions_says_both(world, assessment):
    assert_refused(
        assessment,
        sign(world, assessment),
        f"Assessment {assessment.reference} cannot be signed yet: the summary is empty; 2 open "
        "critical or major findings have no corrective action (CRIT_A, MAJOR_C).",
    )


def test_signing_with_an_open_critical_finding_without_action_names_its_code(world, assessment):
    act_on(assessment, "MAJOR_C")
    update_summary(user=world.auditor, assessment=assessment, summary="Seen.")
    assert_refused(
        assessment,
        sign(world, assessment),
        f"Assessment {assessment.reference} cannot be signed yet: 1 open critical or major "
        "finding has no corrective action (CRIT_A).",
    )


def test_signing_with_an_empty_summary_is_refused(world, assessment):
    ready(assessment, summary="   ")
    assert_refused(
        assessment,
        sign(world, assessment),
        f"Assessment {assessment.reference} cannot be signed yet: the summary is empty.",
    )


def test_signing_before_the_check_finished_is_refused(world, assessment):
    ready(assessment)
    ComplianceCheck.objects.filter(pk=assessment.check_run_id).update(finished_at=None)
    assert_refused(
        assessment,
        sign(world, assessment),
        "The check behind this assessment has not finished yet.",
    )


def test_another_outcome_without_a_reason_is_refused(world, assessment):
    ready(assessment)
    assert_refused(
        assessment,
        sign(world, assessment, outcome="compliant", reason="  "),
        "The open findings give the outcome “suspended”; to sign “compliant” instead, write "
        "the reason (the report prints it).",
    )


def test_an_unknown_outcome_is_refused(world, assessment):
    ready(assessment)
    assert_refused(assessment, sign(world, assessment, outcome="great"), "Unknown outcome 'great'.")


@pytest.mark.parametrize("who", ["other_auditor", "programme", "supervisor"])
def test_only_its_auditor_signs_an_assessment(world, assessment, who):
    ready(assessment)
    assert_refused(
        assessment,
        sign(world, assessment, user=getattr(world, who)),
        f"Only its auditor, auditor, may sign assessment {assessment.reference} off.",
        error=PermissionDenied,
    )


def test_an_assessment_is_signed_once(world, assessment):
    signed(assessment)
    assert_refused(
        assessment,
        sign(world, assessment),
        f"Assessment {assessment.reference} was signed on {format_day(today())} and never "
        "changes; start a new assessment to supersede it.",
    )


@pytest.mark.parametrize(
    ("rules", "outcome"),
    [
        ((CRITICAL_A, MAJOR_C, MINOR_D), "suspended"),
        ((MAJOR_C, MINOR_D), "action_required"),
        ((MINOR_D,), "compliant"),
    ],
)
def test_signing_gives_the_default_outcome_and_sets_the_partners_fairness(
    monkeypatch, rules, outcome
):
    fake_rules(monkeypatch, *rules)
    world = build_world()
    assessment = start(world)

    before = timezone.now()
    result = signed(assessment)

    assessment.refresh_from_db()
    assert result == assessment
    assert (
        assessment.status,
        assessment.default_outcome,
        assessment.outcome,
        assessment.override_reason,
        assessment.signed_by,
        assessment.supersedes,
    ) == ("signed", outcome, outcome, "", world.auditor, None)
    assert before <= assessment.signed_at <= timezone.now()
    partner = Partner.objects.get()
    assert (partner.fairness, partner.fairness_since, partner.fairness_assessment) == (
        outcome,
        today(),
        assessment.reference,
    )
    assert logged(partner) == [
        (
            "bridgework.partner_fairness",
            "auditor",
            {
                "from": "not_assessed",
                "to": outcome,
                "reason": "Seen in February.",
                "assessment": assessment.reference,
                "on": today().isoformat(),
            },
        )
    ]
    assert logged(assessment)[-1] == (
        "bridgework.assessment_signed",
        "auditor",
        {"outcome": outcome, "default": outcome, "reason": ""},
    )


def test_a_closed_critical_action_no_longer_suspends(world, assessment):
    ready(assessment)
    close(world, CorrectiveAction.objects.get(finding__code="CRIT_A"))()
    sign(world, assessment)()
    assessment.refresh_from_db()
    assert (assessment.default_outcome, assessment.outcome) == ("action_required",) * 2


def test_another_outcome_is_signed_with_its_reason_stored(world, assessment):
    ready(assessment)

    sign(world, assessment, outcome="action_required", reason="  The oven is already fixed. ")()

    assessment.refresh_from_db()
    assert (assessment.default_outcome, assessment.outcome, assessment.override_reason) == (
        "suspended",
        "action_required",
        "The oven is already fixed.",
    )
    assert Partner.objects.get().fairness == "action_required"
    assert logged(Partner.objects.get())[-1][2]["reason"] == "The oven is already fixed."
    assert logged(assessment)[-1] == (
        "bridgework.assessment_signed",
        "auditor",
        {
            "outcome": "action_required",
            "default": "suspended",
            "reason": "The oven is already fixed.",
        },
    )


def test_a_reason_given_for_the_default_outcome_is_not_an_override(world, assessment):
    ready(assessment)
    sign(world, assessment, outcome="suspended", reason="Agreed.")()
    assessment.refresh_from_db()
    assert (assessment.default_outcome, assessment.outcome, assessment.override_reason) == (
        "suspended",
        "suspended",
        "",
    )
    assert logged(assessment)[-1][2] == {
        "outcome": "suspended",
        "default": "suspended",
        "reason": "",
    }


def test_signing_supersedes_the_last_signed_assessment_of_the_partner(world, assessment):
    signed(assessment)
    second = start(world, user=world.other_auditor, start=D(2026, 3, 1), end=D(2026, 3, 31))
    for code in ("CRIT_A", "MAJOR_C"):
        act_on(second, code, set_on=today())
    close(
        world,
        CorrectiveAction.objects.get(assessment=second, finding__code="CRIT_A"),
        user=world.other_auditor,
        closed_on=today(),
    )()
    update_summary(user=world.other_auditor, assessment=second, summary="Better.")

    sign(world, second, user=world.other_auditor)()

    assessment.refresh_from_db()
    second.refresh_from_db()
    assert (assessment.status, assessment.outcome, assessment.supersedes) == (
        "superseded",
        "suspended",
        None,
    )
    assert (second.status, second.outcome, second.supersedes) == (
        "signed",
        "action_required",
        assessment,
    )
    assert assessment.superseded_by == second
    assert Partner.objects.get().fairness == "action_required"
    assert logged(assessment)[-1] == ("bridgework.assessment_superseded", "auditor-2", {})


def test_a_workshop_assessment_supersedes_only_the_workshops(world):
    partner_one = signed(start(world))
    workshop_one = signed(start(world, kind="workshop", slug="bakery-north"))
    workshop_two = signed(
        start(world, kind="workshop", slug="bakery-north", start=D(2026, 3, 1), end=D(2026, 3, 31))
    )

    assert list(Assessment.objects.order_by("pk").values_list("pk", "status", "supersedes")) == [
        (partner_one.pk, "signed", None),
        (workshop_one.pk, "superseded", None),
        (workshop_two.pk, "signed", workshop_one.pk),
    ]
    world.workshop.refresh_from_db()
    assert (
        world.workshop.fairness,
        world.workshop.fairness_since,
        world.workshop.fairness_assessment,
    ) == ("suspended", today(), workshop_two.reference)
    assert Partner.objects.get().fairness_assessment == partner_one.reference
    assert [entry[0] for entry in logged(world.workshop)] == ["bridgework.workshop_fairness"] * 2


def test_a_sign_off_the_fairness_operation_refuses_changes_nothing(world, assessment):
    """The partner's status was set by a later assessment (a clock put right): the sign-off is
    refused in the fairness operation's words, and neither assessment changes."""
    earlier = signed(assessment)
    later = today() + DAY
    Partner.objects.filter(pk=world.partner.pk).update(fairness_since=later)
    second = start(world, user=world.other_auditor, start=D(2026, 3, 1), end=D(2026, 3, 31))
    for code in ("CRIT_A", "MAJOR_C"):
        act_on(second, code, user=world.other_auditor, set_on=today())
    update_summary(user=world.other_auditor, assessment=second, summary="Better.")

    assert_refused(
        second,
        sign(world, second, user=world.other_auditor),
        f"The fairness status of Acme was set by an assessment signed {format_day(later)}; "
        f"one signed {format_day(today())} is older and cannot replace it.",
    )
    assert Assessment.objects.get(pk=earlier.pk).status == "signed"
    assert Assessment.objects.get(pk=second.pk).status == "in_progress"
