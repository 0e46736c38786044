"""Release every expired reservation still holding stock. Run it every minute or so from cron or
a systemd timer (django-tasks has no scheduler), e.g.
``* * * * * cd /srv/bridgework && .venv/bin/python manage.py release_expired_reservations``.
Expired reservations are released on read as well, so a late run only delays the sweep."""

from django.core.management.base import BaseCommand

from workshops.inventory import release_expired_reservations


class Command(BaseCommand):
    help = "Release the stock held by reservations that have expired."

    def handle(self, *args, **options):
        released = release_expired_reservations()
        if options["verbosity"] > 0:
            self.stdout.write(f"Released {released} expired reservation(s).")
