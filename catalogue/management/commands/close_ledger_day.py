"""Close a day's chains of shop and wages journals into the ledger's checkpoint sequence (DESIGN.md,
"Contracts at the boundary"). Run it once a day from cron, after midnight, e.g.
``15 0 * * * cd /srv/bridgework && .venv/bin/python manage.py close_ledger_day``; without
``--day`` it closes yesterday. Closing a closed day again changes nothing."""

import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from catalogue.orders.journals import close_ledger_day
from wages.ledger.days import close_day_chain


def _day(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--day {text!r} is not a date: write it as YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = "Close a day's chains of shop and wages journals into the checkpoint sequence (default: yesterday)."

    def add_arguments(self, parser):
        parser.add_argument("--day", help="YYYY-MM-DD; default yesterday")

    def handle(self, *args, **options):
        day = (
            _day(options["day"])
            if options["day"]
            else (timezone.localdate() - datetime.timedelta(days=1))
        )
        try:
            checkpoint = close_ledger_day(day)
            wages = close_day_chain("wages", day)
        except ValidationError as refused:
            raise CommandError(" ".join(refused.messages)) from None
        if checkpoint is None:
            self.stdout.write(f"No shop journals were posted on {day.isoformat()}.")
        else:
            self.stdout.write(
                f"Closed {checkpoint.chain_name}: {checkpoint.length} journal(s), "
                f"checkpoint #{checkpoint.sequence}."
            )
        if wages is not None:  # canteen purchases, remittances, payouts, labour invoices
            self.stdout.write(
                f"Closed {wages.chain_name}: {wages.length} journal(s), "
                f"checkpoint #{wages.sequence}."
            )
