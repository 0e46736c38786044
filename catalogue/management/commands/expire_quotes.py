"""Write down that quotes past their valid-until day expired (``catalogue.quotes.expiry``). Run it
once a day from cron, e.g. ``20 0 * * * cd /srv/bridgework && .venv/bin/python manage.py
expire_quotes``. Pages already show such quotes as expired; running it twice changes nothing more."""

from django.core.management.base import BaseCommand

from catalogue.quotes.expiry import expire_quotes


class Command(BaseCommand):
    help = "Mark quotes past their valid-until day as expired."

    def handle(self, *args, **options):
        self.stdout.write(f"{expire_quotes()} quote(s) expired.")
