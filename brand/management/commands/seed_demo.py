import logging
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

from brand.demo.content import COUNTRY
from brand.demo.seed import SIZES, seed


class Command(BaseCommand):
    help = (
        "Create or refresh the demo country: trades, brand pages and stories, one user per role. "
        "Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=sorted(SIZES), default="small")

    def handle(self, *args, size, **options):
        started = time.monotonic()
        verbose = options["verbosity"] > 0
        steps = []

        def progress(label):
            steps.append(label)
            if verbose:
                self.stdout.write(f"  [{len(steps)}] {label} ({time.monotonic() - started:.1f}s)")

        if verbose:
            self.stdout.write(f"Seeding the demo country {COUNTRY} ({size})…")
        # Wagtail logs every page it creates and publishes; the demo's progress lines say enough.
        logging.getLogger("wagtail").setLevel(logging.WARNING)
        logins = seed(SIZES[size], progress)
        call_command("update_index", verbosity=0)
        if not verbose:
            return
        self.stdout.write(self.style.SUCCESS(f"Done in {time.monotonic() - started:.1f}s."))
        self.stdout.write("\nDemo logins for the back office at http://127.0.0.1:8000/admin/:")
        width = max(len(username) for username, _p, _r in logins)
        for username, password, role in logins:
            self.stdout.write(f"  {username:<{width}}  {password}   {role}")
