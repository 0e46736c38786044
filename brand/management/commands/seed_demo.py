import logging
import os
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.test.utils import override_settings
from django.utils.translation import gettext as _

from brand.demo.assessments import assessment_summary
from brand.demo.catalogue import shop_summary
from brand.demo.content import COUNTRY
from brand.demo.indexing import indexed_once
from brand.demo.seed import SIZES, seed

DISCARD_EMAIL = "django.core.mail.backends.dummy.EmailBackend"


class Command(BaseCommand):
    help = (
        "Create or refresh the demo country: trades, the work programme's register, brand pages "
        "and stories, the shop's catalogue and orders, one user per role. "
        "Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=sorted(SIZES), default="small")
        parser.add_argument(
            "--address",
            default=os.environ.get("BRIDGEWORK_ADDRESS", "127.0.0.1:8000"),
            help=(
                "host[:port] the demo is served on (default: $BRIDGEWORK_ADDRESS, else "
                "127.0.0.1:8000); the site's address in sitemap.xml and canonical links"
            ),
        )

    def handle(self, *args, size, address, **options):
        started = time.monotonic()
        verbose = options["verbosity"] > 0
        steps = []

        def progress(label):
            steps.append(label)
            if verbose:
                elapsed = f"{time.monotonic() - started:.1f}"
                self.stdout.write(f"  [{len(steps)}] {label} ({elapsed}s)")

        if verbose:
            self.stdout.write(
                _("Seeding the demo country %(country)s (%(size)s)…")
                % {"country": COUNTRY, "size": size}
            )
        # Wagtail logs every page it creates and publishes; the demo's progress lines say enough.
        logging.getLogger("wagtail").setLevel(logging.WARNING)
        # The demo's shop orders are placed by made-up buyers: their e-mails are not sent.
        with indexed_once(), override_settings(EMAIL_BACKEND=DISCARD_EMAIL):
            logins = seed(SIZES[size], progress, address)
        call_command("update_index", verbosity=0)
        if not verbose:
            return
        elapsed = f"{time.monotonic() - started:.1f}"
        self.stdout.write(self.style.SUCCESS(_("Done in %(seconds)ss.") % {"seconds": elapsed}))
        shop = shop_summary()
        self.stdout.write(
            _("The shop at %(url)s: %(products)s products in %(languages)s, %(orders)s orders.")
            % shop
        )
        self.stdout.write(assessment_summary())
        admin_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/admin/"
        self.stdout.write(
            "\n" + _("Demo logins for the back office at %(url)s:") % {"url": admin_url}
        )
        width = max(len(username) for username, _p, _r in logins)
        for username, password, role in logins:
            self.stdout.write(f"  {username:<{width}}  {password}   {role}")
