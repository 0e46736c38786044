"""The demo's assessments (``compliance.assessments``), made by the demo's auditor through the
operations, on the findings of the demo's production (README, "Compliance checks"):

- **Quickfix Assembly** (unfair): assessed first over August and September and signed "action
  required" against the findings' "suspended", with the reason written (the partner had promised
  to raise its rate); that assessment is **superseded** by the one over the whole production,
  signed "suspended": a corrective action on each of its critical and major findings (the safety,
  grievance, supervision and interest ones due two weeks after they were set, so overdue; one of
  them closed with its note), a site visit with its notes as a PDF, and the partner's response.
- **Atlas Textiles** (fair): minor findings only, signed "compliant".
- **Wadi Sahel building crew**: an assessment in progress, with an interview and one action.

The auditor works on the days after the production ended (``DEMO_TODAY``); what only happens on
the day the demo is seeded (the start, the sign-off, a response, which the operations date
today) is dated today, and the actions not meant to be overdue are due some weeks after today.
Each assessment is found by its subject and period, and made only if missing, so the step can run
again (a signed assessment never changes anyway).
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _

from brand.demo import register_content as data
from brand.demo.production import _period
from compliance.assessments.operations import (
    add_observation,
    close_action,
    record_response,
    set_corrective_action,
    sign_assessment,
    start_assessment,
    update_summary,
)
from compliance.models import Assessment, CheckFinding, Observation, Outcome
from compliance.models.checks import Severity

AUDITOR = "auditor"
FAIR, UNFAIR = "atlas-textiles", "quickfix-assembly"
IN_PROGRESS_WORKSHOP = "wadi-sahel-building-crew"
START, END = _period(3)  # the last three months of production: 2026-08-03 to 2026-11-01
EARLIER_END = datetime.date(2026, 9, 30)
EARLIER_ACTIONS_SET = -28  # days from DEMO_TODAY: 2026-10-05, after the earlier period


def _after(days: int) -> datetime.date:
    """A day of the auditor's work after the production ended, never after today."""
    return min(data.DEMO_TODAY + datetime.timedelta(days=days), timezone.localdate())


def _from_today(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


# The actions on these findings are due two weeks after they were set, and so overdue; the others
# some weeks after the day the demo is seeded.
URGENT_DAYS = 14
URGENT = {"SAFETY_COVER", "NO_STAFF_BENEFIT", "GRIEVANCES", "STAFF_SUPERVISION"}
# rule code: (what must be done, owner, days from today it is due unless urgent)
ACTIONS = {
    "WAGE_FLOOR": (
        "Raise the placement's rate to at least the market wage for the trade and region, and "
        "pay the difference for every hour paid below it since the contract began.",
        "Quickfix Assembly, managing director",
        30,
    ),
    "CONSENT_BEFORE_WORK": (
        "Keep the worker off partner work until a signed consent naming every deduction is on "
        "file with its document; stop the deductions the consent does not name.",
        "Programme manager",
        21,
    ),
    "DEDUCTIONS_CAP": (
        "Refund the deductions the worker's consent does not list, and keep them out of the "
        "next pay runs until a new consent names them.",
        "Finance officer, Wadi Sahel",
        30,
    ),
    "SAFETY_COVER": (
        "Have the placement inspected again and keep injury insurance without a gap; follow up "
        "every incident recorded there.",
        "Quickfix Assembly, health and safety officer",
        URGENT_DAYS,
    ),
    "NO_STAFF_BENEFIT": (
        "Give the placement's supervision to staff with no interest in the partner, and review "
        "the contract's award with the late declaration on file.",
        "Director of Wadi Sahel prison",
        URGENT_DAYS,
    ),
    "GRIEVANCES": (
        "Answer the grievance in writing, record the outcome and tell the worker.",
        "Quickfix Assembly, human resources",
        URGENT_DAYS,
    ),
    "STAFF_SUPERVISION": (
        "Name the supervising officer for every shift of partner work, and correct the sheets "
        "that name none.",
        "Workshop supervisor",
        URGENT_DAYS,
    ),
    "PARTNER_PAYS_FULL_WAGE": (
        "Amend the contract so the partner pays at least the market wage for the labour it "
        "buys, and invoice the difference.",
        "Programme manager",
        45,
    ),
    "REST_DAY": (
        "Plan the placement's shifts with a rest day in every seven, and refuse weekend work "
        "orders that break it.",
        "Workshop supervisor",
        21,
    ),
    "BACK_WAGES": (
        "Pay the worker the back wages still owed, and record the payment.",
        "Finance officer, Wadi Sahel",
        30,
    ),
    "TRAINING_SHARE": (
        "Offer a course in the trade and give every worker the share of working time for "
        "training the thresholds set.",
        "Programme manager",
        60,
    ),
    "GENDER_ACCESS": (
        "Open the trade's places to women and men alike: post them in every wing and keep a "
        "record of who asked and who was taken.",
        "Workshop supervisor",
        45,
    ),
}
FALLBACK = ("Correct what the finding shows and send the evidence.", "Programme manager", 30)

EARLIER_SUMMARY = (
    "Over August and September Quickfix Assembly paid the placement below the market wage, took "
    "deductions its workers had not consented to, and let the placement's inspection and "
    "insurance lapse. The findings give a suspension; Quickfix Assembly committed in writing to "
    "raise the placement's rate from October and to refund the deductions."
)
EARLIER_REASON = (
    "Suspension would end the placement for twenty workers at once; the partner's written "
    "commitment to raise the rate and refund the deductions is followed up by a new assessment "
    "over the whole production."
)
CURRENT_SUMMARY = (
    "Quickfix Assembly kept paying the placement below the market wage after its commitment, "
    "went on deducting what its workers had not consented to, and left the placement without a "
    "valid inspection; a grievance is still unanswered and the placement's supervisor had an "
    "undeclared interest when the contract was awarded. The partner is suspended: its workshops "
    "take no new assignments until the critical findings are closed."
)
FAIR_SUMMARY = (
    "Atlas Textiles pays the market wage, its workers' consents name every deduction, its "
    "workshop is inspected and insured without a gap and its grievances are answered in time. "
    "The minor findings (training hours short of the share for some workers) are for the "
    "programme to follow, not the partner."
)
SITE_VISIT = (
    "Visited the placement on Quickfix Assembly's premises with the workshop supervisor. No "
    "inspection certificate on display; two workers lifting flat-packed wardrobes alone; the "
    "foreman confirmed weekend work orders. Notes and a sketch of the floor attached."
)
CLOSURE_NOTE = (
    "The roster now names the supervising officer for every shift of partner work; the legacy "
    "sheets were annotated with the officer on duty from the prison's gate log."
)
RESPONSE = (
    "Quickfix Assembly accepts the findings on the placement's inspection and insurance and has "
    "booked an inspection. It disputes the wage finding: it says the rate was agreed with the "
    "programme. It asks for the suspension to be reviewed once the rate is raised."
)
RESPONDER = "Karim Benjelloun, managing director, Quickfix Assembly"
INTERVIEW = (
    "Interviewed four workers of the building crew and the woman whose grievance asked for a "
    "place in it: the crew is now open to women, but the next construction course has not been "
    "posted in the women's wing."
)


def site_visit_notes() -> SimpleUploadedFile:
    """The site visit's notes as a one-page PDF (WeasyPrint), uploaded as a browser would."""
    from weasyprint import HTML

    html = (
        "<h1>Site visit: Quickfix Assembly placement</h1>"
        f"<p>Observed on {_after(-20).isoformat()} by the demo's auditor.</p>"
        f"<p>{SITE_VISIT}</p>"
    )
    return SimpleUploadedFile(
        "site-visit-quickfix-placement.pdf",
        HTML(string=html).write_pdf(),
        content_type="application/pdf",
    )


def _existing(kind: str, slug: str, start, end) -> Assessment | None:
    return Assessment.objects.filter(
        kind=kind, **{f"{kind}__slug": slug}, start=start, end=end
    ).first()


def _set_actions(user, assessment: Assessment, set_on, findings=None) -> list:
    """One corrective action per critical and major finding (``findings``, else all of them),
    set on ``set_on``."""
    if findings is None:
        findings = CheckFinding.objects.filter(
            check_run_id=assessment.check_run_id,
            severity__in=[Severity.CRITICAL, Severity.MAJOR],
        ).order_by("pk")
    actions = []
    for finding in findings:
        what, owner, days = ACTIONS.get(finding.code, FALLBACK)
        due_on = (
            set_on + datetime.timedelta(days=URGENT_DAYS)
            if finding.code in URGENT
            else _from_today(days)
        )
        actions.append(
            set_corrective_action(
                user=user,
                assessment=assessment,
                finding=finding,
                what=what,
                owner=owner,
                set_on=set_on,
                due_on=due_on,
            )
        )
    return actions


def _unfair_earlier(user) -> Assessment:
    assessment = start_assessment(
        user=user, kind=Assessment.Kind.PARTNER, slug=UNFAIR, start=START, end=EARLIER_END
    )
    _set_actions(user, assessment, _after(EARLIER_ACTIONS_SET))
    update_summary(user=user, assessment=assessment, summary=EARLIER_SUMMARY)
    return sign_assessment(
        user=user,
        assessment=assessment,
        outcome=Outcome.ACTION_REQUIRED,
        reason=EARLIER_REASON,
    )


def _unfair_current(user) -> Assessment:
    assessment = start_assessment(
        user=user, kind=Assessment.Kind.PARTNER, slug=UNFAIR, start=START, end=END
    )
    add_observation(
        user=user,
        assessment=assessment,
        kind=Observation.Kind.SITE_VISIT,
        observed_on=_after(-20),
        text=SITE_VISIT,
        files=[site_visit_notes()],
    )
    actions = _set_actions(user, assessment, _after(0))
    supervision = next(a for a in actions if a.finding.code == "STAFF_SUPERVISION")
    close_action(user=user, action=supervision, closed_on=_after(9), note=CLOSURE_NOTE)
    update_summary(user=user, assessment=assessment, summary=CURRENT_SUMMARY)
    assessment = sign_assessment(user=user, assessment=assessment)
    wage = next(a for a in actions if a.finding.code == "WAGE_FLOOR")
    record_response(
        user=user,
        assessment=assessment,
        received_on=timezone.localdate(),
        responder=RESPONDER,
        text=RESPONSE,
        action=wage,
    )
    return assessment


def _fair(user) -> Assessment:
    assessment = start_assessment(
        user=user, kind=Assessment.Kind.PARTNER, slug=FAIR, start=START, end=END
    )
    _set_actions(user, assessment, _after(0))  # none: its findings are minor
    update_summary(user=user, assessment=assessment, summary=FAIR_SUMMARY)
    return sign_assessment(user=user, assessment=assessment)


def _in_progress(user) -> Assessment:
    assessment = start_assessment(
        user=user,
        kind=Assessment.Kind.WORKSHOP,
        slug=IN_PROGRESS_WORKSHOP,
        start=START,
        end=END,
    )
    add_observation(
        user=user,
        assessment=assessment,
        kind=Observation.Kind.INTERVIEW,
        observed_on=_after(3),
        text=INTERVIEW,
    )
    finding = CheckFinding.objects.filter(
        check_run_id=assessment.check_run_id, code="GENDER_ACCESS"
    ).first()
    _set_actions(user, assessment, _after(3), [finding] if finding else [])
    return assessment


def seed_assessments() -> dict:
    """Every demo assessment, made if missing; the number of assessments in each status."""
    user = get_user_model().objects.get(username=AUDITOR)
    partner = Assessment.Kind.PARTNER
    if _existing(partner, UNFAIR, START, EARLIER_END) is None:
        _unfair_earlier(user)
    if _existing(partner, UNFAIR, START, END) is None:
        _unfair_current(user)
    if _existing(partner, FAIR, START, END) is None:
        _fair(user)
    if _existing(Assessment.Kind.WORKSHOP, IN_PROGRESS_WORKSHOP, START, END) is None:
        _in_progress(user)
    return assessment_counts()


def assessment_summary() -> str:
    """What ``seed_demo`` prints of the assessments: how many in each status, and the outcome of
    each signed one."""
    counts = assessment_counts()
    signed = ", ".join(
        f"{assessment.subject} {assessment.get_outcome_display()} ({assessment.reference})"
        for assessment in Assessment.objects.filter(status=Assessment.Status.SIGNED)
        .select_related("partner", "workshop")
        .order_by("pk")
    )
    return _(
        "Assessments: %(signed)s signed, %(superseded)s superseded, %(in_progress)s in "
        "progress (%(outcomes)s)."
    ) % {**counts, "outcomes": signed}


def assessment_counts() -> dict:
    counts = dict.fromkeys(Assessment.Status.values, 0)
    for status in Assessment.objects.values_list("status", flat=True):
        counts[status] += 1
    return counts
