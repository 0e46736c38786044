"""E-mail the buyers of overdue invoices their reminders (``catalogue.reminders.sending``). Run it
once a day from cron, e.g.
``30 8 * * * cd /srv/bridgework && .venv/bin/python manage.py send_payment_reminders``.
Running it twice, or twice at once, sends each reminder once. ``--dry-run`` lists what would be
sent and changes nothing."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from catalogue.reminders.sending import send_payment_reminders


def _day(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--today {text!r} is not a date: write it as YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = "E-mail reminders of overdue invoices (each reminder once)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="list the reminders due; send nothing"
        )
        parser.add_argument("--today", help="YYYY-MM-DD; default the site's today")

    def handle(self, *args, **options):
        today = _day(options["today"]) if options["today"] else None
        dry_run = options["dry_run"]
        summary = send_payment_reminders(today=today, dry_run=dry_run, report=self.stdout.write)
        verb = "would be sent" if dry_run else "sent"
        self.stdout.write(
            f"{len(summary.sent)} reminder(s) {verb}, {summary.already_sent} already sent, "
            f"{summary.not_yet} overdue invoice(s) not due a reminder yet."
        )
