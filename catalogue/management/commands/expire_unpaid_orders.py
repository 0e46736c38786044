"""Cancel the orders awaiting payment whose stock reservation has expired, giving their stock
back. Run it from cron every few minutes, like ``release_expired_reservations``, e.g.
``*/5 * * * * cd /srv/bridgework && .venv/bin/python manage.py expire_unpaid_orders``."""

from django.core.management.base import BaseCommand

from catalogue.orders.lifecycle import expire_unpaid_orders


class Command(BaseCommand):
    help = "Cancel unpaid orders whose reservation expired."

    def handle(self, *args, **options):
        cancelled = expire_unpaid_orders()
        if options["verbosity"] > 0:
            self.stdout.write(f"Cancelled {cancelled} unpaid order(s) whose reservation expired.")
