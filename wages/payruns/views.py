"""Back-office screens of pay runs (*Pay → Pay runs*), for finance officers; auditors view them.

*Add* creates a draft run for a prison and period. A run's page shows its state, who did what,
its totals and the preview of every worker's pay, warnings first, in a table that fits a 1024 px
tablet (worker, hours, gross, own spending, warnings; each line's other figures are on
its own page, ``wages.payruns.line_views``), with the one next step the user may take: calculate or
recalculate, approve (never one's own calculation: ``wages.payruns`` refuses it), post, or
cancel. Every step goes through ``wages.payruns``; runs are never edited or deleted here.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Value, When
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from djmoney.money import Money
from wagtail.admin.auth import permission_denied
from wagtail.admin.views import generic
from wagtail.admin.widgets import AdminDateInput

from core.formatting import format_moment
from core.jobs import Job, subject_of
from core.viewsets import OperationCreateView
from wages import payruns
from wages.models import PayRun, PayRunLine
from wages.models.pay import OWN_SPENDING
from wages.payruns import tasks
from wages.payruns.line_display import names_of_payers, summary_of
from wages.payslips.views import run_summary
from workshops.models import DeductionCategory, ProductionLock

NAMESPACE = "wages_payrun"
LINES_PER_PAGE = 100
REFRESH_SECONDS = 5  # how often a run's page reloads while its job is queued or running


class CreateForm(forms.ModelForm):
    class Meta:
        model = PayRun
        fields = ["prison", "period_start", "period_end"]
        widgets = {
            "prison": forms.Select,
            "period_start": AdminDateInput,
            "period_end": AdminDateInput,
        }

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, **kwargs)


class CreateView(OperationCreateView):
    submit_button_label = gettext_lazy("Save")
    submit_button_active_label = gettext_lazy("Saving…")

    def get_form_class(self):
        return CreateForm

    def run_operation(self, data):
        return payruns.create_pay_run(user=self.request.user, **data)

    def get_success_url(self):
        return reverse(f"{NAMESPACE}:inspect", args=[self.object.pk])

    def get_success_message(self, instance):
        return _("Pay run %(reference)s created: calculate it next.") % {
            "reference": instance.reference
        }


def next_steps(run: PayRun, user) -> list[dict]:
    """The buttons a user sees on a run: only the steps its state allows and they may take."""
    steps = []
    if run.status in (PayRun.Status.DRAFT, PayRun.Status.CALCULATED) and user.has_perm(
        payruns.CALCULATE
    ):
        label = _("Recalculate") if run.status == PayRun.Status.CALCULATED else _("Calculate")
        steps.append({"action": "calculate", "label": label, "primary": True})
    if (
        run.status == PayRun.Status.CALCULATED
        and user.has_perm(payruns.APPROVE)
        and run.calculated_by_id != user.pk
    ):
        steps.append({"action": "approve", "label": _("Approve"), "primary": True})
    if run.status == PayRun.Status.APPROVED and user.has_perm(payruns.POST):
        steps.append({"action": "post", "label": _("Post to the ledger"), "primary": True})
    return steps


class InspectView(generic.InspectView):
    template_name = "wages/payruns/inspect.html"

    def get_page_subtitle(self):
        return self.object.reference  # the prison and period are in the summary below

    def get_fields(self):
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        run = self.object
        lines = (
            PayRunLine.objects.filter(run=run)
            .select_related("worker")
            .annotate(warned=Case(When(warnings=[], then=Value(0)), default=Value(1)))
            .order_by("-warned", "worker__reference")  # lines with warnings first
        )
        page = Paginator(lines, LINES_PER_PAGE).get_page(self.request.GET.get("page"))
        names = names_of_payers()
        job = _job_to_show(run)
        busy = job is not None and job.active
        context |= {
            "run": run,
            "page": page,
            "rows": [summary_of(line, run.currency, names) for line in page],
            "steps": [] if busy else next_steps(run, self.request.user),
            "may_cancel": not busy and run.is_open and self.request.user.has_perm(payruns.CANCEL),
            "job": job,
            "job_label": (WORKING if busy else FAILED)[job.kind] if job else "",
            "job_unit": COUNTED[job.kind] if job else "",
            "refresh_seconds": REFRESH_SECONDS if busy else None,
            "own_calculation": run.status == PayRun.Status.CALCULATED
            and run.calculated_by_id == self.request.user.pk,
            "own_spending_label": DeductionCategory.objects.filter(code=OWN_SPENDING)
            .values_list("name", flat=True)
            .first()
            or _("Own spending"),
            "held": _held(run),
            # The slips' progress and downloads (``wages.payslips``), once the run is posted.
            "slips": run_summary(run, self.request.user)
            if run.status == PayRun.Status.POSTED
            else None,
            "totals": {
                "gross": Money(run.gross, run.currency),
                "deductions": Money(run.deductions, run.currency),
                "back_wages": Money(run.back_wages, run.currency),
                "sales_share": Money(run.sales_share, run.currency),
                "back_wages_paid": Money(run.back_wages_paid, run.currency),
            },
        }
        return context


def _job_to_show(run: PayRun):
    """The run's background job while it is queued or running, or when it failed since the
    run last changed (the failure is news); nothing once the run has moved on."""
    job = tasks.latest_job(subject_of(run), tasks.PAY_RUN_KINDS)
    if job is None or job.active:
        return job
    changes = [run.created_at, run.calculated_at, run.approved_at, run.posted_at, run.cancelled_at]
    if job.status == Job.Status.FAILED and job.finished_at > max(t for t in changes if t):
        return job
    return None


def _held(run: PayRun) -> dict | None:
    """How many production records and training sessions the run holds (what it pays), while
    it holds them: from calculation on, until it is cancelled."""
    lock = ProductionLock.objects.held_by(run.reference).first()
    if lock is None:
        return None
    return {"records": lock.entries.count(), "sessions": lock.attendance.count()}


STEPS = {
    "calculate": (
        payruns.calculate_pay_run,
        payruns.CALCULATE,
        gettext_lazy("Pay run %(reference)s calculated: %(workers)s workers."),
    ),
    "approve": (
        payruns.approve_pay_run,
        payruns.APPROVE,
        gettext_lazy("Pay run %(reference)s approved: it can be posted."),
    ),
    "post": (
        payruns.post_pay_run,
        payruns.POST,
        gettext_lazy("Pay run %(reference)s posted to the ledger."),
    ),
    "cancel": (
        payruns.cancel_pay_run,
        payruns.CANCEL,
        gettext_lazy("Pay run %(reference)s cancelled; its records are free again."),
    ),
}
# The long steps run in the background (``wages.payruns.tasks``); the others in the request.
BACKGROUND = {"calculate": tasks.start_calculation, "post": tasks.start_posting}
ALREADY = {
    tasks.CALCULATE_KIND: gettext_lazy(
        "%(user)s asked for it at %(at)s: pay run %(reference)s is already being calculated."
    ),
    tasks.POST_KIND: gettext_lazy(
        "%(user)s asked for it at %(at)s: pay run %(reference)s is already being posted."
    ),
}
QUEUED = {
    tasks.CALCULATE_KIND: gettext_lazy(
        "Pay run %(reference)s is being calculated in the background: this page shows the "
        "result when it is done."
    ),
    tasks.POST_KIND: gettext_lazy(
        "Pay run %(reference)s is being posted in the background: this page shows the result "
        "when it is done."
    ),
}
WORKING = {
    tasks.CALCULATE_KIND: gettext_lazy("Calculating"),
    tasks.POST_KIND: gettext_lazy("Posting to the ledger"),
}
COUNTED = {  # what a job's count counts: "120 of 300 workers"
    tasks.CALCULATE_KIND: gettext_lazy("workers"),
    tasks.POST_KIND: gettext_lazy("journals"),
}
FAILED = {
    tasks.CALCULATE_KIND: gettext_lazy("The calculation failed"),
    tasks.POST_KIND: gettext_lazy("Posting failed"),
}


@require_POST
def step(request, pk, action):
    """One step of a run; refusals of the step itself come back as a message on its page."""
    if action not in STEPS or not request.user.has_perm(STEPS[action][1]):
        return permission_denied(request)
    operation, _permission, message = STEPS[action]
    run = get_object_or_404(PayRun, pk=pk)
    if action in BACKGROUND:
        return _in_background(request, run, BACKGROUND[action], message)
    kwargs = {"reason": request.POST.get("reason", "")} if action == "cancel" else {}
    try:
        run = operation(run, user=request.user, **kwargs)
    except PermissionDenied as refused:
        messages.error(request, str(refused))
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, message % {"reference": run.reference, "workers": run.workers})
    return redirect(f"{NAMESPACE}:inspect", run.pk)


def _in_background(request, run: PayRun, start, message):
    """Start the step's job and go to the run's page, which shows its progress. A job that is
    already finished (the immediate backend runs it at once) is reported as the step would be."""
    try:
        job, created = start(run, user=request.user)
    except PermissionDenied as refused:
        messages.error(request, str(refused))
        return redirect(f"{NAMESPACE}:inspect", run.pk)
    if not created:
        messages.warning(
            request,
            ALREADY[job.kind]
            % {
                "reference": run.reference,
                "user": job.requested_by,
                "at": format_moment(job.requested_at),
            },
        )
    elif job.status == Job.Status.SUCCEEDED:
        run.refresh_from_db()
        messages.success(request, message % {"reference": run.reference, "workers": run.workers})
    elif job.status == Job.Status.FAILED:
        messages.error(request, job.error)
    else:
        messages.info(request, QUEUED[job.kind] % {"reference": run.reference})
    return redirect(f"{NAMESPACE}:inspect", run.pk)
