"""Payslip screens (the *Payslips* menu), for finance officers, auditors and supervisors.

The listing shows the posted runs whose slips the user reads; a run's page shows the slips' job
(n of N), *Generate payslips* for finance when slips are missing (a job that failed, a run posted
before payslips existed), and the downloads: the whole prison's slips as one PDF (finance and
auditors), each workshop's the user reads as one PDF, and each worker's slip. Joined PDFs are
written to a temporary file and streamed from it (``wages.payslips.documents``). Supervisors read
only their workshops' slips (``wages.payslips.access``); a slip or workshop they may not read is a
404, as private files are.
"""

import tempfile

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_GET, require_POST
from wagtail.admin.auth import permission_denied
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.permission_policies import ModelPermissionPolicy

from core.formatting import format_moment
from core.jobs import Job
from core.views import private_file_response
from wages.models import PayRun, PayRunLine, Payslip
from wages.payslips import tasks
from wages.payslips.access import sees_every, visible_payslips, visible_workshops
from wages.payslips.documents import join_slips
from wages.payslips.generation import GENERATE, VIEW

NAMESPACE = "wages_payslips"
SLIPS_PER_PAGE = 100
REFRESH_SECONDS = 5
POLICY = ModelPermissionPolicy(Payslip)


class PayslipView(PermissionCheckedMixin, View):
    permission_policy = POLICY
    permission_required = "view"


class RunsView(PayslipView):
    """The posted runs with slips the user reads (finance and auditors: every posted run)."""

    def get(self, request):
        if sees_every(request.user):
            runs = PayRun.objects.filter(status=PayRun.Status.POSTED)
        else:
            runs = PayRun.objects.filter(payslips__in=visible_payslips(request.user)).distinct()
        runs = runs.select_related("prison").annotate(slips=Count("payslips", distinct=True))
        page = Paginator(runs.order_by("-period_start", "reference"), SLIPS_PER_PAGE)
        return TemplateResponse(
            request,
            "wages/payslips/runs.html",
            {"heading": _("Payslips"), "page": page.get_page(request.GET.get("page"))},
        )


def run_summary(run: PayRun, user) -> dict:
    """What a run's page and the pay run's own page show of its slips: made of due, the job, the
    workshops the user reads with their slip counts, and whether the user may generate them."""
    job = tasks.latest_generation(run)
    busy = job is not None and job.active
    made = Payslip.objects.filter(run=run).count()
    due = PayRunLine.objects.filter(run=run).count()
    workshops = (
        visible_workshops(user, run)
        .annotate(slips=Count("payslips", distinct=True))
        .order_by("name")
    )
    return {
        "made": made,
        "due": due,
        "job": job if busy or (job and job.status == Job.Status.FAILED) else None,
        "job_busy": busy,
        "refresh_seconds": REFRESH_SECONDS if busy else None,
        "may_generate": run.status == PayRun.Status.POSTED
        and made < due
        and not busy
        and user.has_perm(GENERATE),
        "whole_prison": sees_every(user) and made > 0,
        "workshops": list(workshops),
    }


class RunSlipsView(PayslipView):
    def get(self, request, pk):
        run = get_object_or_404(PayRun.objects.select_related("prison"), pk=pk)
        slips = visible_payslips(request.user).filter(run=run)
        if not sees_every(request.user) and not slips.exists():
            raise Http404
        slips = slips.select_related("worker", "document").order_by("worker__reference")
        page = Paginator(slips, SLIPS_PER_PAGE).get_page(request.GET.get("page"))
        return TemplateResponse(
            request,
            "wages/payslips/run.html",
            {
                "heading": _("Payslips of %(reference)s") % {"reference": run.reference},
                "run": run,
                "page": page,
                "slips": run_summary(run, request.user),
            },
        )


@require_POST
def generate(request, pk):
    """*Generate payslips*: start (or restart) the run's job; refusals come back as a message."""
    if not request.user.has_perm(GENERATE):
        return permission_denied(request)
    run = get_object_or_404(PayRun, pk=pk)
    try:
        job, created = tasks.start_generation(run, user=request.user)
    except (PermissionDenied, ValidationError) as refused:
        text = " ".join(refused.messages) if isinstance(refused, ValidationError) else str(refused)
        messages.error(request, text)
        return redirect(f"{NAMESPACE}:run", run.pk)
    if not created:
        messages.warning(
            request,
            _("%(user)s asked for it at %(at)s: the payslips of %(reference)s are being made.")
            % {
                "user": job.requested_by,
                "at": format_moment(job.requested_at),
                "reference": run.reference,
            },
        )
    elif job.status == Job.Status.FAILED:
        messages.error(request, job.error)
    elif job.status == Job.Status.SUCCEEDED:
        messages.success(
            request,
            _("%(made)s payslips of %(reference)s made.")
            % {"made": job.result.get("made", 0), "reference": run.reference},
        )
    else:
        messages.info(
            request,
            _("The payslips of %(reference)s are being made in the background.")
            % {"reference": run.reference},
        )
    return redirect(f"{NAMESPACE}:run", run.pk)


def _joined(payslips, name: str) -> FileResponse:
    """The slips as one PDF, written to a temporary file and streamed from it."""
    out = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it, which removes it
    if not join_slips(payslips.select_related("document").iterator(chunk_size=200), out):
        out.close()
        raise Http404
    out.seek(0)
    response = FileResponse(out, as_attachment=True, filename=name, content_type="application/pdf")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def download_prison(request, pk):
    """Every slip of the run as one PDF, by worker reference: finance officers and auditors."""
    if not request.user.has_perm(VIEW):
        return permission_denied(request)
    if not sees_every(request.user):
        raise Http404
    run = get_object_or_404(PayRun, pk=pk)
    slips = Payslip.objects.filter(run=run).order_by("worker__reference")
    return _joined(slips, f"payslips-{run.reference}.pdf")


@require_GET
def download_workshop(request, pk, workshop):
    """The slips of one workshop's workers in the run as one PDF, by worker reference."""
    if not request.user.has_perm(VIEW):
        return permission_denied(request)
    run = get_object_or_404(PayRun, pk=pk)
    workshop = get_object_or_404(visible_workshops(request.user, run), pk=workshop)
    slips = Payslip.objects.filter(run=run, workshops=workshop).order_by("worker__reference")
    return _joined(slips, f"payslips-{run.reference}-{workshop.slug}.pdf")


@require_GET
def download_slip(request, pk):
    """One worker's slip: the stored bytes, as they were made."""
    if not request.user.has_perm(VIEW):
        return permission_denied(request)
    payslip = get_object_or_404(visible_payslips(request.user).select_related("document"), pk=pk)
    return private_file_response(payslip.document)
