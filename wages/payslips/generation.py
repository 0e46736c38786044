"""Generating a posted pay run's payslips (Mandela Rule 103: each worker is told what was earned,
set aside and owed), a batch of lines at a time.

    generate_payslips(run, *, user, progress=None) -> int     the slips made by this call

Only a posted run has slips: a draft, calculated, approved or cancelled run is refused in words,
and nothing is stored. A slip already made is skipped, so the work is idempotent and a failed job
started again carries on where it stopped. Each slip is rendered, stored (``core.private_files``,
with its SHA-256) and recorded in its own transaction, then dropped: a run of 10,000 workers never
holds more than one document, and the count made so far is visible to the run's page.

Why not one transaction for the whole run, as the pay-run operations are: the slips change no
money and no record another operation reads; a slip is complete or absent (one transaction each),
and a run of 10,000 slips committed all at once would hold its documents' rows and progress out of
sight for the hour it takes.
"""

import gc
import itertools

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from core.private_files import store_generated_file
from wages.models import PayRun, PayRunLine, Payslip
from wages.models.payslips import PURPOSE
from wages.payslips.content import SlipReader
from wages.payslips.documents import file_name, render_slip

GENERATE = "wages.add_payslip"
VIEW = "wages.view_payslip"
BATCH = 50  # lines read, and slips rendered, per batch


def require_permission(user, permission: str = GENERATE) -> None:
    if user is None or not user.has_perm(permission):
        raise PermissionDenied(_("You may not generate payslips."))


def require_posted(run: PayRun) -> None:
    if run.status != PayRun.Status.POSTED:
        raise ValidationError(
            _(
                "Pay run %(reference)s is %(status)s: payslips are made only for a posted run. "
                "Post it first."
            )
            % {"reference": run.reference, "status": run.get_status_display()}
        )


def generate_payslips(run: PayRun, *, user, progress=None, check_permission: bool = True) -> int:
    """Make the slips of ``run``'s lines that have none; ``progress(done, total)`` is told the
    slips made of one per line, after each slip. ``check_permission=False`` is for the command
    line (``manage.py payslips``), whose user is whoever may run it."""
    if check_permission:
        require_permission(user)
    run = PayRun.objects.select_related("prison", "policy").get(pk=run.pk)
    require_posted(run)
    total = PayRunLine.objects.filter(run=run).count()
    done = Payslip.objects.filter(run=run).count()
    if progress is not None:
        progress(done, total)
    missing = (
        PayRunLine.objects.filter(run=run)
        .exclude(worker__in=Payslip.objects.filter(run=run).values("worker"))
        .order_by("worker__reference")
        .values_list("pk", flat=True)
    )
    pending = iter(list(missing))  # ids only: 10,000 integers, not 10,000 lines
    reader = SlipReader(run) if done < total else None
    made = 0
    while batch := list(itertools.islice(pending, BATCH)):
        lines = list(
            PayRunLine.objects.filter(pk__in=batch)
            .select_related("worker")
            .order_by("worker__reference")
        )
        for slip in reader.slips(lines):
            if _store(run, slip):
                made += 1
                done += 1
                if progress is not None:
                    progress(done, total)
        # WeasyPrint leaves each document in reference cycles, which only a full collection
        # frees: collected once a batch, a run holds at most a batch of them, whatever its size.
        gc.collect()
    if made:
        log(run, "bridgework.payslips_generated", user=user, data={"slips": made})
    return made


def _store(run: PayRun, slip) -> bool:
    """Render, store and record one slip; False when another worker recorded it first (its
    stored file is removed again)."""
    worker = slip.line.worker
    pdf, pages = render_slip(slip, run)
    document = None
    try:
        with transaction.atomic():
            document = store_generated_file(
                pdf,
                name=file_name(run, worker),
                purpose=PURPOSE,
                content_type="application/pdf",
            )
            payslip = Payslip.objects.create(
                run=run,
                worker=worker,
                document=document,
                sha256=document.sha256,
                pages=pages,
                language=slip.language or settings.LANGUAGE_CODE,
            )
            Payslip.workshops.through.objects.bulk_create(
                Payslip.workshops.through(payslip=payslip, workshop_id=workshop)
                for workshop in sorted(slip.workshop_ids)
            )
    except IntegrityError:
        if document is not None:
            document.file.delete(save=False)
        if Payslip.objects.filter(run=run, worker=worker).exists():
            return False
        raise
    return True
