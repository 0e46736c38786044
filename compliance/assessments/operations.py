"""An auditor's assessment of a partner or workshop, from the start to the sign-off.

start_assessment(*, user, kind, slug, start, end) -> Assessment
    runs a check of the partner or workshop over the period (``compliance.checks``); its findings,
    stored once, are the assessment's snapshot
update_summary(*, user, assessment, summary)
add_observation(*, user, assessment, kind, observed_on, text, files=()) -> Observation
set_corrective_action(*, user, assessment, finding, what, owner, due_on, set_on=None)
close_action(*, user, action, closed_on, note, files=())
record_response(*, user, assessment, received_on, responder, text, action=None, document=None)
outcome_of(assessment) -> Judgement          the outcome the open findings give, and why
sign_assessment(*, user, assessment, outcome=None, reason="") -> Assessment

Who may do what: ``compliance.add_assessment`` starts one; only its auditor (or a holder of
``compliance.change_assessment``, the programme managers) works on it, so other auditors stay
read-only; ``compliance.sign_assessment`` and being its auditor signs it. Following up corrective
actions and responses goes on after the sign-off; everything else stops there.

A finding is **open** until its corrective action is closed. The outcome the findings give is
*suspended* when a critical finding is open, *action required* when a major one is, and
*compliant* otherwise (the issue's rule). The auditor may sign another outcome with a written
reason, which the report prints. Signing supersedes the last signed assessment of the same partner
or workshop and sets its fairness status through ``workshops``' own operation.

Every refusal is a ``ValidationError`` or ``PermissionDenied`` in words, with nothing changed.
"""

import datetime
import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.log_actions import log

from compliance.checks.operations import start_check
from compliance.models import (
    Assessment,
    CheckFinding,
    CorrectiveAction,
    Observation,
    Outcome,
    Response,
)
from compliance.models.checks import Severity
from compliance.rules.context import Scope
from compliance.rules.engine import check_period
from core.formatting import format_day
from core.private_files import store_private_file
from core.uploads import JPEG, PDF, PNG, UploadRefused
from workshops.models import Partner, Workshop
from workshops.register.contracts import set_partner_fairness, set_workshop_fairness

START = "compliance.add_assessment"
WORK_ON_ANY = "compliance.change_assessment"
SIGN = "compliance.sign_assessment"
FOLLOW_UP = "compliance.change_correctiveaction"
ATTACHMENTS = (PDF, PNG, JPEG)


@dataclass(frozen=True)
class Judgement:
    outcome: str
    open_critical: int
    open_major: int
    open_minor: int
    without_action: list[CheckFinding]  # open critical or major findings with no action set


def may_work_on(user, assessment: Assessment) -> bool:
    return user is not None and (assessment.auditor_id == user.pk or user.has_perm(WORK_ON_ANY))


def may_follow_up(user, assessment: Assessment) -> bool:
    return may_work_on(user, assessment) or (user is not None and user.has_perm(FOLLOW_UP))


def _locked(assessment: Assessment) -> Assessment:
    return Assessment.objects.select_for_update().get(pk=assessment.pk)


def _refuse_unless_open(user, assessment: Assessment) -> None:
    if not may_work_on(user, assessment):
        raise PermissionDenied(
            _("Assessment %(reference)s is %(auditor)s's: you may read it, not change it.")
            % {"reference": assessment.reference, "auditor": assessment.auditor}
        )
    if assessment.is_signed:
        raise ValidationError(
            _(
                "Assessment %(reference)s was signed on %(day)s and never changes; start a new "
                "assessment to supersede it."
            )
            % {
                "reference": assessment.reference,
                "day": format_day(timezone.localdate(assessment.signed_at)),
            }
        )


def _not_in_future(day: datetime.date, what: str) -> None:
    if day > timezone.localdate():
        raise ValidationError(
            _("%(what)s %(day)s is in the future.") % {"what": what, "day": format_day(day)}
        )


def _store(files, user) -> list:
    stored = []
    for uploaded in files:
        try:
            stored.append(
                store_private_file(uploaded, purpose="assessment", allowed=ATTACHMENTS, user=user)
            )
        except UploadRefused as refused:
            raise ValidationError(str(refused)) from refused
    return stored


def start_assessment(*, user, kind: str, slug: str, start, end) -> Assessment:
    if user is None or not user.has_perm(START):
        raise PermissionDenied(_("You may not start assessments."))
    if kind not in Assessment.Kind.values:
        raise ValidationError(_("An assessment is of a partner or a workshop."))
    scope = Scope.parse(kind, (slug or "").strip())
    check_period(start, end)
    model = Partner if kind == Assessment.Kind.PARTNER else Workshop
    with transaction.atomic():
        subject = model.objects.select_for_update().get(pk=scope.target.pk)
        running = Assessment.objects.filter(
            **{kind: subject}, status=Assessment.Status.IN_PROGRESS
        ).first()
        if running:
            raise ValidationError(
                _(
                    "%(subject)s already has assessment %(reference)s in progress, started by "
                    "%(auditor)s on %(day)s: finish it first."
                )
                % {
                    "subject": subject,
                    "reference": running.reference,
                    "auditor": running.auditor,
                    "day": format_day(timezone.localdate(running.started_at)),
                }
            )
        check = start_check(
            user=user, scope_kind=kind, slug=scope.target.slug, start=start, end=end
        )
        assessment = Assessment.objects.create(
            reference=f"new-{uuid.uuid4().hex}",
            kind=kind,
            **{kind: subject},
            start=start,
            end=end,
            check_run=check,
            auditor=user,
        )
        assessment.reference = f"AS-{timezone.localdate():%Y}-{assessment.pk:04d}"
        assessment.save(update_fields=["reference"])
        log(assessment, "wagtail.create", user=user)
    return assessment


@transaction.atomic
def update_summary(*, user, assessment: Assessment, summary: str) -> Assessment:
    assessment = _locked(assessment)
    _refuse_unless_open(user, assessment)
    assessment.summary = summary.strip()
    assessment.save(update_fields=["summary"])
    log(assessment, "wagtail.edit", user=user)
    return assessment


@transaction.atomic
def add_observation(
    *, user, assessment: Assessment, kind: str, observed_on, text: str, files=()
) -> Observation:
    assessment = _locked(assessment)
    _refuse_unless_open(user, assessment)
    if kind not in Observation.Kind.values:
        raise ValidationError(_("Unknown kind of observation %(kind)r.") % {"kind": kind})
    if not text.strip():
        raise ValidationError(_("Write what was observed."))
    _not_in_future(observed_on, _("The observation's day"))
    stored = _store(files, user)
    observation = Observation.objects.create(
        assessment=assessment,
        kind=kind,
        observed_on=observed_on,
        text=text.strip(),
        recorded_by=user,
    )
    observation.attachments.set(stored)
    log(observation, "wagtail.create", user=user, data={"assessment": assessment.reference})
    return observation


@transaction.atomic
def set_corrective_action(
    *,
    user,
    assessment: Assessment,
    finding: CheckFinding,
    what: str,
    owner: str,
    due_on,
    set_on=None,
) -> CorrectiveAction:
    assessment = _locked(assessment)
    _refuse_unless_open(user, assessment)
    if finding.check_run_id != assessment.check_run_id:
        raise ValidationError(
            _("That finding is not one of assessment %(reference)s's.")
            % {"reference": assessment.reference}
        )
    if not what.strip() or not owner.strip():
        raise ValidationError(_("A corrective action says what must be done and who owns it."))
    set_on = set_on or timezone.localdate()
    _not_in_future(set_on, _("The day the action was set,"))
    if due_on < set_on:
        raise ValidationError(
            _("The action is due on %(due)s, before the day it was set (%(set)s).")
            % {"due": format_day(due_on), "set": format_day(set_on)}
        )
    if CorrectiveAction.objects.filter(assessment=assessment, finding=finding).exists():
        raise ValidationError(_("This finding already has a corrective action."))
    action = CorrectiveAction.objects.create(
        assessment=assessment,
        finding=finding,
        what=what.strip(),
        owner=owner.strip(),
        set_on=set_on,
        due_on=due_on,
        set_by=user,
    )
    log(action, "wagtail.create", user=user, data={"assessment": assessment.reference})
    return action


@transaction.atomic
def close_action(*, user, action: CorrectiveAction, closed_on, note: str, files=()):
    action = (
        CorrectiveAction.objects.select_for_update().select_related("assessment").get(pk=action.pk)
    )
    if not may_follow_up(user, action.assessment):
        raise PermissionDenied(_("You may not follow up this assessment's corrective actions."))
    if action.state == CorrectiveAction.State.CLOSED:
        raise ValidationError(
            _("This corrective action was closed on %(day)s.")
            % {"day": format_day(action.closed_on)}
        )
    if not note.strip():
        raise ValidationError(_("Say how the action was closed: what changed, and what shows it."))
    _not_in_future(closed_on, _("The closing day"))
    if closed_on < action.set_on:
        raise ValidationError(
            _("The action cannot close on %(closed)s, before it was set (%(set)s).")
            % {"closed": format_day(closed_on), "set": format_day(action.set_on)}
        )
    action.closure_evidence.add(*_store(files, user))
    action.state = CorrectiveAction.State.CLOSED
    action.closed_on = closed_on
    action.closure_note = note.strip()
    action.save(update_fields=["state", "closed_on", "closure_note"])
    log(action, "bridgework.action_closed", user=user, data={"closed_on": closed_on.isoformat()})
    return action


@transaction.atomic
def record_response(
    *,
    user,
    assessment: Assessment,
    received_on,
    responder: str,
    text: str,
    action: CorrectiveAction | None = None,
    document=None,
) -> Response:
    assessment = _locked(assessment)
    if not may_follow_up(user, assessment):
        raise PermissionDenied(_("You may not record responses to this assessment."))
    if action is not None and action.assessment_id != assessment.pk:
        raise ValidationError(
            _("That corrective action is not one of assessment %(reference)s's.")
            % {"reference": assessment.reference}
        )
    if not responder.strip() or not text.strip():
        raise ValidationError(_("A response says who answered and what they said."))
    _not_in_future(received_on, _("The day it was received,"))
    if received_on < timezone.localdate(assessment.started_at):
        raise ValidationError(
            _("The response is dated %(day)s, before the assessment began (%(began)s).")
            % {
                "day": format_day(received_on),
                "began": format_day(timezone.localdate(assessment.started_at)),
            }
        )
    stored = _store([document], user)[0] if document is not None else None
    response = Response.objects.create(
        assessment=assessment,
        action=action,
        received_on=received_on,
        responder=responder.strip(),
        text=text.strip(),
        document=stored,
        recorded_by=user,
    )
    log(response, "wagtail.create", user=user, data={"assessment": assessment.reference})
    return response


def outcome_of(assessment: Assessment) -> Judgement:
    """The outcome the open findings give: two queries whatever the number of findings."""
    closed = set(
        CorrectiveAction.objects.filter(
            assessment=assessment, state=CorrectiveAction.State.CLOSED
        ).values_list("finding_id", flat=True)
    )
    with_action = set(
        CorrectiveAction.objects.filter(assessment=assessment).values_list("finding_id", flat=True)
    )
    counts = {Severity.CRITICAL: 0, Severity.MAJOR: 0, Severity.MINOR: 0}
    without = []
    for finding in CheckFinding.objects.filter(check_run_id=assessment.check_run_id):
        if finding.pk in closed:
            continue
        counts[finding.severity] += 1
        if finding.severity != Severity.MINOR and finding.pk not in with_action:
            without.append(finding)
    if counts[Severity.CRITICAL]:
        outcome = Outcome.SUSPENDED
    elif counts[Severity.MAJOR]:
        outcome = Outcome.ACTION_REQUIRED
    else:
        outcome = Outcome.COMPLIANT
    return Judgement(
        outcome, counts[Severity.CRITICAL], counts[Severity.MAJOR], counts[Severity.MINOR], without
    )


@transaction.atomic
def sign_assessment(
    *, user, assessment: Assessment, outcome: str | None = None, reason: str = ""
) -> Assessment:
    assessment = _locked(assessment)
    if user is None or not user.has_perm(SIGN) or assessment.auditor_id != user.pk:
        raise PermissionDenied(
            _("Only its auditor, %(auditor)s, may sign assessment %(reference)s off.")
            % {"auditor": assessment.auditor, "reference": assessment.reference}
        )
    _refuse_unless_open(user, assessment)
    check = assessment.check_run
    if check.finished_at is None:
        raise ValidationError(_("The check behind this assessment has not finished yet."))
    missing = []
    if not assessment.summary.strip():
        missing.append(_("the summary is empty"))
    judgement = outcome_of(assessment)
    if judgement.without_action:
        missing.append(
            ngettext(
                "%(count)d open critical or major finding has no corrective action (%(codes)s)",
                "%(count)d open critical or major findings have no corrective action (%(codes)s)",
                len(judgement.without_action),
            )
            % {
                "count": len(judgement.without_action),
                "codes": ", ".join(sorted({finding.code for finding in judgement.without_action})),
            }
        )
    if missing:
        raise ValidationError(
            _("Assessment %(reference)s cannot be signed yet: %(missing)s.")
            % {"reference": assessment.reference, "missing": "; ".join(missing)}
        )
    chosen = outcome or judgement.outcome
    if chosen not in Outcome.values:
        raise ValidationError(_("Unknown outcome %(outcome)r.") % {"outcome": chosen})
    reason = reason.strip()
    if chosen != judgement.outcome and not reason:
        raise ValidationError(
            _(
                "The open findings give the outcome “%(default)s”; to sign “%(chosen)s” instead, "
                "write the reason (the report prints it)."
            )
            % {
                "default": Outcome(judgement.outcome).label,
                "chosen": Outcome(chosen).label,
            }
        )
    previous = (
        Assessment.objects.select_for_update()
        .filter(
            **{assessment.kind: assessment.subject},
            status=Assessment.Status.SIGNED,
        )
        .exclude(pk=assessment.pk)
        .first()
    )
    if previous is not None:
        previous.status = Assessment.Status.SUPERSEDED
        previous.save(update_fields=["status"])
        log(previous, "bridgework.assessment_superseded", user=user)
    now = timezone.now()
    assessment.status = Assessment.Status.SIGNED
    assessment.default_outcome = judgement.outcome
    assessment.outcome = chosen
    assessment.override_reason = reason if chosen != judgement.outcome else ""
    assessment.signed_by = user
    assessment.signed_at = now
    assessment.supersedes = previous
    assessment.save()
    fairness = {
        "fairness": chosen,
        "user": user,
        "reason": assessment.override_reason or assessment.summary,
        "assessment": assessment.reference,
        "assessed_on": timezone.localdate(now),
    }
    if assessment.kind == Assessment.Kind.PARTNER:
        set_partner_fairness(partner=assessment.partner, **fairness)
    else:
        set_workshop_fairness(workshop=assessment.workshop, **fairness)
    log(
        assessment,
        "bridgework.assessment_signed",
        user=user,
        data={"outcome": chosen, "default": judgement.outcome, "reason": reason},
    )
    return assessment
