"""``python manage.py payslips RUN_REFERENCE [--workshop SLUG] --output FILE.pdf``

Writes a posted pay run's payslips as one PDF (a contract: README, "Payslips"): one or more pages
per worker, each in the worker's language, by worker reference; with ``--workshop``, only the
slips of the workers that workshop's work paid. Slips not yet made are made first and stored
(``wages.payslips.generation``), so the file holds the same bytes a later download gives. The file
is written beside FILE and renamed onto it when complete, so a failure never leaves half a PDF.

Exit status 0 when written; non-zero, with the reason, for an unknown run, a run that is not
posted, an unknown workshop, or a workshop without slips in that run (nothing is written).
"""

import os
import sys
import tempfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from core.progress import Progress
from wages.models import PayRun, PayRunLine, Payslip
from wages.payslips.documents import join_slips
from wages.payslips.generation import generate_payslips, require_posted
from workshops.models import Workshop


class Command(BaseCommand):
    help = "Write a posted pay run's payslips as one PDF, one or more pages per worker."

    def add_arguments(self, parser):
        parser.add_argument("reference", metavar="RUN_REFERENCE")
        parser.add_argument("--workshop", metavar="SLUG", help="only this workshop's workers")
        parser.add_argument("--output", metavar="FILE.pdf", required=True)

    def handle(self, *args, reference, workshop, output, **options):
        run = PayRun.objects.filter(reference=reference).first()
        if run is None:
            raise CommandError(f"No pay run {reference}: give the reference of a posted run.")
        try:
            require_posted(run)
        except ValidationError as refused:
            raise CommandError(" ".join(refused.messages)) from None
        chosen = None
        if workshop:
            chosen = Workshop.objects.filter(slug=workshop).first()
            if chosen is None:
                raise CommandError(f"No workshop {workshop}: give a workshop's slug.")
        self._generate(run)
        slips = Payslip.objects.filter(run=run)
        if chosen is not None:
            slips = slips.filter(workshops=chosen)
            if not slips.exists():
                raise CommandError(
                    f"Workshop {chosen.slug} has no payslips in pay run {run.reference}: "
                    "the run paid no work of it."
                )
        count = slips.count()
        pages = self._write(slips.order_by("worker__reference"), Path(output))
        self.stdout.write(
            f"Wrote {count} payslip(s), {pages} page(s), of {run.reference} to {output}."
        )

    def _generate(self, run: PayRun) -> None:
        """Make the run's missing slips, with a progress line on a terminal."""
        due = PayRunLine.objects.filter(run=run).count()
        if Payslip.objects.filter(run=run).count() >= due:
            return
        line = Progress(
            "payslips", due, stream=self.stderr, quiet=not getattr(sys.stderr, "isatty", bool)()
        )

        def progress(done, total):
            line.step(done - line.done)

        generate_payslips(run, user=None, progress=progress, check_permission=False)
        line.finish()

    def _write(self, slips, output: Path) -> int:
        directory = output.resolve().parent
        handle, partial = tempfile.mkstemp(prefix=".payslips-", suffix=".pdf", dir=directory)
        try:
            with os.fdopen(handle, "wb") as out:
                pages = join_slips(slips.select_related("document").iterator(chunk_size=200), out)
            os.replace(partial, output)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
        return pages
