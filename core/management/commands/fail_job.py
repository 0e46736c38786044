from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.jobs import Job, fail_job


class Command(BaseCommand):
    help = (
        "Mark a queued or running background job failed, so the same work may be asked for "
        "again: for a job whose worker was killed in the middle (it would otherwise stay "
        "running). The reason is shown on the page of what the job was about."
    )

    def add_arguments(self, parser):
        parser.add_argument("job_id", type=int)
        parser.add_argument("--reason", required=True, help="Why, in words staff will read.")

    def handle(self, *args, job_id: int, reason: str, **options):
        try:
            job = fail_job(job_id, reason=reason)
        except Job.DoesNotExist:
            raise CommandError(_("There is no job %(id)s.") % {"id": job_id}) from None
        if job is None:
            raise CommandError(_("Job %(id)s has already finished.") % {"id": job_id})
        self.stdout.write(
            _("Job %(id)s (%(kind)s, %(subject)s) is failed.")
            % {"id": job.pk, "kind": job.kind, "subject": job.subject}
        )
