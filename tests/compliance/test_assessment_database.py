"""What PostgreSQL itself guarantees about assessments, past every Python check (compliance
migration 0003): a signed assessment, its check's findings and its observations never change,
except for the one move from signed to superseded; in-progress ones stay editable; the
constraints hold; and two auditors starting an assessment of one partner at once get one
assessment, the other refused in words."""

import datetime
from functools import partial

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from brand.demo.seed import ensure_wagtail_roots
from compliance.assessments.operations import (
    add_observation,
    sign_assessment,
    start_assessment,
    update_summary,
)
from compliance.models import Assessment, CheckFinding, ComplianceCheck, CorrectiveAction
from core.formatting import format_day
from core.testing.database import first_line, race, raw, refused_by_the_database
from tests.compliance.assessment_ops_builders import (
    CRITICAL_A,
    FEBRUARY,
    MAJOR_C,
    MINOR_D,
    act_on,
    build_world,
    fake_rules,
    finding,
    pdf,
    signed,
    start,
)
from workshops.models import Partner

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
at_once = pytest.mark.django_db(transaction=True)  # real connections see each other's commits
D = datetime.date


@pytest.fixture(autouse=True)
def locales():
    """A transactional test empties the database between tests, locales included."""
    ensure_wagtail_roots()


@pytest.fixture
def world(monkeypatch):
    fake_rules(monkeypatch, CRITICAL_A, MAJOR_C, MINOR_D)
    return build_world()


def observed(world, assessment, text="No guard on the oven."):
    return add_observation(
        user=world.auditor,
        assessment=assessment,
        kind="site_visit",
        observed_on=D(2026, 3, 3),
        text=text,
        files=[pdf()],
    )


def mark_signed(assessment, world) -> Assessment:
    """Signed as the sign-off leaves it (the trigger lets an in-progress row change freely)."""
    Assessment.objects.filter(pk=assessment.pk).update(
        status="signed",
        summary="Seen in February.",
        default_outcome="suspended",
        outcome="suspended",
        signed_by=world.auditor,
        signed_at=timezone.now(),
    )
    return Assessment.objects.get(pk=assessment.pk)


@pytest.fixture
def frozen(world):
    """A signed assessment of acme with one observation and its attachment, and an assessment
    of the workshop still in progress."""
    assessment = start(world)
    observation = observed(world, assessment)
    signed = mark_signed(assessment, world)
    other = start(world, kind="workshop", slug="bakery-north")
    return signed, observation, other


def message(reference, what="it never changes (a new assessment supersedes it)"):
    return f"assessment {reference} is signed: {what}"


PARTS = "its findings and observations never change"


# A signed assessment -----------------------------------------------------------------------


def test_the_summary_of_a_signed_assessment_cannot_be_updated_by_sql(frozen):
    signed, _, _ = frozen
    with refused_by_the_database() as refused:
        raw("UPDATE compliance_assessment SET summary = 'Rewritten' WHERE id = %s", signed.pk)
    assert first_line(refused) == message(signed.reference)
    assert Assessment.objects.get(pk=signed.pk).summary == "Seen in February."


def test_the_summary_of_a_signed_assessment_cannot_be_updated_through_the_orm(frozen):
    signed, _, _ = frozen
    with refused_by_the_database() as refused:
        Assessment.objects.filter(pk=signed.pk).update(summary="Rewritten")
    assert first_line(refused) == message(signed.reference)
    with refused_by_the_database():
        signed.outcome = "compliant"
        signed.override_reason = "Friends."
        signed.save()
    assert Assessment.objects.filter(pk=signed.pk).values_list("summary", "outcome").get() == (
        "Seen in February.",
        "suspended",
    )


def test_a_signed_assessment_cannot_be_deleted(frozen):
    signed, _, _ = frozen
    with refused_by_the_database() as refused:
        raw("DELETE FROM compliance_assessment WHERE id = %s", signed.pk)
    assert first_line(refused) == message(signed.reference)
    assert Assessment.objects.filter(pk=signed.pk).exists()


def test_signed_may_become_superseded_alone(frozen):
    signed, _, _ = frozen
    assert raw("UPDATE compliance_assessment SET status = 'superseded' WHERE id = %s", signed.pk)
    assert Assessment.objects.get(pk=signed.pk).status == "superseded"


@pytest.mark.parametrize(
    "change",
    [
        "status = 'superseded', summary = 'Rewritten'",
        "status = 'superseded', outcome = 'compliant', override_reason = 'Friends.'",
        "status = 'superseded', signed_at = now() - interval '1 day'",
        "status = 'in_progress'",
    ],
)
def test_signed_becomes_superseded_with_no_other_change(frozen, change):
    signed, _, _ = frozen
    with refused_by_the_database() as refused:
        raw(f"UPDATE compliance_assessment SET {change} WHERE id = %s", signed.pk)  # noqa: S608
    assert first_line(refused) == message(signed.reference)
    assert Assessment.objects.get(pk=signed.pk).status == "signed"


def test_a_superseded_assessment_never_changes_again(frozen):
    signed, _, _ = frozen
    raw("UPDATE compliance_assessment SET status = 'superseded' WHERE id = %s", signed.pk)
    for change in ("status = 'signed'", "summary = 'Rewritten'"):
        with refused_by_the_database() as refused:
            raw(f"UPDATE compliance_assessment SET {change} WHERE id = %s", signed.pk)  # noqa: S608
        assert first_line(refused) == message(signed.reference)
    with refused_by_the_database():
        raw("DELETE FROM compliance_assessment WHERE id = %s", signed.pk)


def test_the_findings_of_a_signed_assessments_check_cannot_change(frozen):
    signed, _, other = frozen
    critical = finding(signed, "CRIT_A")
    before = list(CheckFinding.objects.filter(check_run=signed.check_run_id).values())
    for sql, params in [
        ("UPDATE compliance_checkfinding SET detail = 'nothing' WHERE id = %s", [critical.pk]),
        ("UPDATE compliance_checkfinding SET severity = 'minor' WHERE id = %s", [critical.pk]),
        ("DELETE FROM compliance_checkfinding WHERE id = %s", [critical.pk]),
        (
            "INSERT INTO compliance_checkfinding (check_run_id, code, severity, scope, start, "
            "\"end\", detail, missing_data, figures, evidence) VALUES (%s, 'EXTRA', 'minor', "
            "'partner:acme', '2026-02-01', '2026-02-28', 'added', false, '{}', '[]')",
            [signed.check_run_id],
        ),
        # Moved to the check of an assessment in progress: gone from the signed one.
        (
            "UPDATE compliance_checkfinding SET check_run_id = %s WHERE id = %s",
            [other.check_run_id, critical.pk],
        ),
    ]:
        with refused_by_the_database() as refused:
            raw(sql, *params)
        assert first_line(refused) == message(signed.reference, PARTS)
    assert list(CheckFinding.objects.filter(check_run=signed.check_run_id).values()) == before


def test_the_observations_of_a_signed_assessment_cannot_change(world, frozen):
    signed, observation, other = frozen
    before = list(signed.observations.values())
    for sql, params in [
        ("UPDATE compliance_observation SET text = 'nothing' WHERE id = %s", [observation.pk]),
        ("DELETE FROM compliance_observation WHERE id = %s", [observation.pk]),
        (
            "INSERT INTO compliance_observation (assessment_id, kind, observed_on, text, "
            "recorded_by_id, recorded_at) VALUES (%s, 'other', '2026-03-04', 'added', %s, now())",
            [signed.pk, world.auditor.pk],
        ),
        # Moved to an assessment in progress: gone from the signed one.
        (
            "UPDATE compliance_observation SET assessment_id = %s WHERE id = %s",
            [other.pk, observation.pk],
        ),
    ]:
        with refused_by_the_database() as refused:
            raw(sql, *params)
        assert first_line(refused) == message(signed.reference, PARTS)
    assert list(signed.observations.values()) == before


def test_the_attachments_of_a_signed_assessments_observations_cannot_change(world, frozen):
    signed, observation, other = frozen
    attached = observation.attachments.get()
    elsewhere = observed(world, other)
    link = raw(
        "SELECT id FROM compliance_observation_attachments WHERE observation_id = %s",
        observation.pk,
    )[0]
    for sql, params in [
        ("DELETE FROM compliance_observation_attachments WHERE id = %s", [link]),
        (
            "INSERT INTO compliance_observation_attachments (observation_id, privatefile_id) "
            "VALUES (%s, %s)",
            [observation.pk, elsewhere.attachments.get().pk],
        ),
        # Moved to an observation of an assessment in progress: gone from the signed one.
        (
            "UPDATE compliance_observation_attachments SET observation_id = %s WHERE id = %s",
            [elsewhere.pk, link],
        ),
    ]:
        with refused_by_the_database() as refused:
            raw(sql, *params)
        assert first_line(refused) == message(signed.reference, PARTS)
    with refused_by_the_database():
        observation.attachments.clear()
    assert list(observation.attachments.all()) == [attached]


def test_an_assessment_in_progress_its_findings_and_observations_stay_editable(world, frozen):
    _, _, other = frozen
    observation = observed(world, other)
    critical = finding(other, "CRIT_A")

    Assessment.objects.filter(pk=other.pk).update(summary="Draft")
    CheckFinding.objects.filter(pk=critical.pk).update(detail="corrected")
    observation.attachments.clear()
    observation.text = "Guard missing."
    observation.save()
    assert (
        Assessment.objects.get(pk=other.pk).summary,
        CheckFinding.objects.get(pk=critical.pk).detail,
        type(observation).objects.get(pk=observation.pk).text,
    ) == ("Draft", "corrected", "Guard missing.")

    observation.delete()
    Assessment.objects.filter(pk=other.pk).delete()
    assert not Assessment.objects.filter(pk=other.pk).exists()


def test_corrective_actions_of_a_signed_assessment_are_followed_up(world, frozen):
    """Following actions up is what the sign-off asks for: they are not frozen."""
    signed, _, _ = frozen
    action = CorrectiveAction.objects.create(
        assessment=signed,
        finding=finding(signed, "CRIT_A"),
        what="Fit a guard",
        owner="Acme",
        set_on=D(2026, 3, 2),
        due_on=D(2026, 4, 30),
        set_by=world.auditor,
    )
    CorrectiveAction.objects.filter(pk=action.pk).update(
        state="closed", closed_on=D(2026, 3, 10), closure_note="Fitted."
    )
    assert CorrectiveAction.objects.get().state == "closed"


# The constraints ---------------------------------------------------------------------------


def a_check(world, kind="partner", slug="acme") -> ComplianceCheck:
    return ComplianceCheck.objects.create(
        scope_kind=kind,
        scope_slug=slug,
        start=FEBRUARY[0],
        end=FEBRUARY[1],
        requested_by=world.auditor,
    )


def assessment_fields(world, **fields) -> dict:
    return {
        "reference": fields.pop("reference", "AS-T-1"),
        "kind": "partner",
        "partner": world.partner,
        "start": FEBRUARY[0],
        "end": FEBRUARY[1],
        "auditor": world.auditor,
    } | fields


SIGNED = {"status": "signed", "default_outcome": "suspended", "outcome": "suspended"}


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"start": D(2026, 3, 1), "end": D(2026, 2, 28)}, "assessment_period_in_order"),
        ({"kind": "partner", "partner": None}, "assessment_names_its_subject"),
        ({"kind": "workshop"}, "assessment_names_its_subject"),
        (SIGNED, "assessment_signed_in_full"),
        ({"status": "signed"}, "assessment_signed_in_full"),
        (
            {**SIGNED, "outcome": "compliant", "signed_at": "now"},
            "assessment_override_has_reason",
        ),
    ],
)
def test_the_assessment_constraints_hold(world, fields, constraint):
    fields = dict(fields)
    if fields.get("signed_at") == "now":
        fields |= {"signed_at": timezone.now(), "signed_by": world.auditor}
    with refused_by_the_database() as refused:
        Assessment.objects.create(check_run=a_check(world), **assessment_fields(world, **fields))
    assert constraint in str(refused.value)
    assert not Assessment.objects.exists()


def test_a_workshop_assessment_names_the_workshop_alone(world):
    with refused_by_the_database() as refused:
        Assessment.objects.create(
            check_run=a_check(world),
            **assessment_fields(world, kind="workshop", workshop=world.workshop),
        )
    assert "assessment_names_its_subject" in str(refused.value)


def test_an_override_with_its_reason_is_stored(world):
    stored = Assessment.objects.create(
        check_run=a_check(world),
        **assessment_fields(
            world,
            **(SIGNED | {"outcome": "compliant"}),
            override_reason="Fixed before the visit.",
            signed_by=world.auditor,
            signed_at=timezone.now(),
        ),
    )
    assert (stored.default_outcome, stored.outcome) == ("suspended", "compliant")


@pytest.mark.parametrize("kind", ["partner", "workshop"])
def test_one_assessment_in_progress_per_partner_or_workshop(world, kind):
    subject = {"kind": kind, "partner": world.partner if kind == "partner" else None}
    if kind == "workshop":
        subject["workshop"] = world.workshop
    Assessment.objects.create(check_run=a_check(world), **assessment_fields(world, **subject))
    with refused_by_the_database() as refused:
        Assessment.objects.create(
            check_run=a_check(world), **assessment_fields(world, reference="AS-T-2", **subject)
        )
    assert f"one_open_assessment_per_{kind}" in str(refused.value)
    # A signed one beside the one in progress is fine.
    Assessment.objects.create(
        check_run=a_check(world),
        **assessment_fields(
            world,
            reference="AS-T-3",
            **subject,
            **SIGNED,
            signed_by=world.auditor,
            signed_at=timezone.now(),
        ),
    )
    assert Assessment.objects.count() == 2


def action_fields(world, assessment, **fields) -> dict:
    return {
        "assessment": assessment,
        "finding": finding(assessment, "CRIT_A"),
        "what": "Fit a guard",
        "owner": "Acme",
        "set_on": D(2026, 3, 2),
        "due_on": D(2026, 4, 30),
        "set_by": world.auditor,
    } | fields


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"due_on": D(2026, 3, 1)}, "action_due_after_set"),
        ({"state": "closed", "closed_on": D(2026, 3, 10)}, "action_closed_with_evidence"),
        ({"state": "closed", "closure_note": "Fitted."}, "action_closed_with_evidence"),
        ({"state": "open", "closed_on": D(2026, 3, 10)}, "action_closed_with_evidence"),
        (
            {"state": "closed", "closed_on": D(2026, 3, 1), "closure_note": "Fitted."},
            "action_closed_after_set",
        ),
    ],
)
def test_the_corrective_action_constraints_hold(world, fields, constraint):
    assessment = start(world)
    with refused_by_the_database() as refused:
        CorrectiveAction.objects.create(**action_fields(world, assessment, **fields))
    assert constraint in str(refused.value)
    assert not CorrectiveAction.objects.exists()


def test_one_corrective_action_per_finding(world):
    assessment = start(world)
    CorrectiveAction.objects.create(**action_fields(world, assessment))
    with refused_by_the_database() as refused:
        CorrectiveAction.objects.create(**action_fields(world, assessment, what="Again"))
    assert "one_action_per_finding" in str(refused.value)
    assert CorrectiveAction.objects.get().what == "Fit a guard"


# Two auditors at once ----------------------------------------------------------------------


@at_once
@pytest.mark.parametrize("kind", ["partner", "workshop"])
def test_two_auditors_starting_an_assessment_of_one_subject_at_once_get_one(monkeypatch, kind):
    """The second waits on the subject's row lock, then finds the first in progress."""
    fake_rules(monkeypatch, CRITICAL_A, MAJOR_C, MINOR_D)
    world = build_world()
    slug = "acme" if kind == "partner" else "bakery-north"
    subject = world.partner if kind == "partner" else world.workshop

    outcomes = race(
        *(
            partial(
                start_assessment,
                user=user,
                kind=kind,
                slug=slug,
                start=FEBRUARY[0],
                end=FEBRUARY[1],
            )
            for user in (world.auditor, world.other_auditor)
        )
    )

    stored = Assessment.objects.get()
    landed = [o for o in outcomes if isinstance(o, Assessment)]
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(landed) == 1 and len(refused) == 1 and landed[0].pk == stored.pk
    assert (stored.kind, stored.subject, stored.status) == (kind, subject, "in_progress")
    assert refused[0].messages == [
        f"{subject} already has assessment {stored.reference} in progress, started by "
        f"{stored.auditor} on {format_day(timezone.localdate(stored.started_at))}: finish it first."
    ]
    # The refused one left nothing behind: one check, with its findings.
    assert ComplianceCheck.objects.count() == 1
    assert CheckFinding.objects.filter(check_run=stored.check_run_id).count() == 3


@at_once
def test_the_unique_constraint_stands_behind_the_lock(monkeypatch):
    """Two rows in progress for one partner, inserted past the operation, on two connections:
    the database refuses the second."""
    world = build_world()
    checks = [a_check(world), a_check(world)]

    def insert(number):
        return Assessment.objects.create(
            check_run=checks[number], **assessment_fields(world, reference=f"AS-T-{number}")
        )

    outcomes = race(partial(insert, 0), partial(insert, 1), expected=(IntegrityError,))
    assert sorted(type(o).__name__ for o in outcomes) == ["Assessment", "IntegrityError"]
    assert Assessment.objects.count() == 1


def test_the_sign_off_supersedes_the_last_signed_assessment_past_the_triggers(world):
    """The operations' own writes are the ones the triggers let through: signing a new
    assessment marks the last one superseded, with nothing else of it changed."""
    first = signed(start(world))
    frozen_before = Assessment.objects.filter(pk=first.pk).values().get()

    second = signed(start(world, user=world.other_auditor, start=D(2026, 3, 1), end=D(2026, 3, 31)))

    assert Assessment.objects.filter(pk=first.pk).values().get() == frozen_before | {
        "status": "superseded"
    }
    assert (second.status, second.supersedes_id) == ("signed", first.pk)


@at_once
def test_an_assessment_signed_twice_at_once_is_signed_once(monkeypatch):
    """The second waits on the assessment's row lock, then finds it signed."""
    fake_rules(monkeypatch, CRITICAL_A, MAJOR_C, MINOR_D)
    world = build_world()
    assessment = start(world)
    for code in ("CRIT_A", "MAJOR_C"):
        act_on(assessment, code)
    update_summary(user=world.auditor, assessment=assessment, summary="Seen in February.")

    outcomes = race(
        partial(sign_assessment, user=world.auditor, assessment=assessment),
        partial(
            sign_assessment,
            user=world.auditor,
            assessment=assessment,
            outcome="action_required",
            reason="Fixed since.",
        ),
    )

    stored = Assessment.objects.get()
    landed = [o for o in outcomes if isinstance(o, Assessment)]
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(landed) == 1 and len(refused) == 1
    assert (stored.status, stored.outcome) == ("signed", landed[0].outcome)
    assert refused[0].messages == [
        f"Assessment {stored.reference} was signed on "
        f"{format_day(timezone.localdate(stored.signed_at))} and never changes; start a new "
        "assessment to supersede it."
    ]
    assert Partner.objects.get().fairness == stored.outcome


@at_once
def test_two_actions_for_one_finding_set_at_once_give_one(monkeypatch):
    fake_rules(monkeypatch, CRITICAL_A)
    world = build_world()
    assessment = start(world)

    outcomes = race(
        partial(act_on, assessment, "CRIT_A"),
        partial(act_on, assessment, "CRIT_A", user=world.programme),
    )

    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(refused) == 1
    assert refused[0].messages == ["This finding already has a corrective action."]
    assert CorrectiveAction.objects.count() == 1
