"""Recompute every journal's hash and balance, every chain, every account's balance and the
checkpoint sequence, check the checkpoints' signatures and, with ``--anchors FILE``, the checkpoint
heads an auditor exported earlier; print each finding and exit non-zero when there is any. With a
verbosity above 0, how many journals have been checked goes to stderr (``core.progress``)."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.progress import Progress
from wages.ledger.verification import verify_ledger
from wages.models import Checkpoint, Journal


class Command(BaseCommand):
    help = "Check that the ledger is intact: balances, hash chains, checkpoints and signatures."

    def add_arguments(self, parser):
        parser.add_argument(
            "--anchors",
            metavar="FILE",
            help="an anchors file downloaded earlier from Verify the ledger: every checkpoint "
            "in it must still be in the database, unchanged",
        )

    def handle(self, *args, **options):
        verbose = options["verbosity"] > 0
        anchors = _read_anchors(options["anchors"]) if options["anchors"] else None

        journals = Journal.objects.count()
        bar = Progress(_("journals checked"), journals, stream=self.stderr) if verbose else None

        def progress(count):
            bar.step(count - bar.done)

        problems = verify_ledger(progress=progress if bar else None, anchors=anchors)
        if bar and journals:
            bar.step(journals - bar.done)
            bar.finish()
        for problem in problems:
            self.stdout.write(problem)
        if problems:
            raise CommandError(f"The ledger is not intact: {len(problems)} problem(s).")
        if verbose:
            anchored = f", {len(anchors['checkpoints'])} anchors" if anchors else ""
            self.stdout.write(
                self.style.SUCCESS(
                    f"The ledger is intact: {Journal.objects.count()} journals, "
                    f"{Checkpoint.objects.count()} checkpoints{anchored}."
                )
            )


def _read_anchors(path: str) -> dict:
    try:
        with open(path, encoding="utf-8") as file:
            document = json.load(file)
    except OSError as error:
        raise CommandError(f"Cannot read the anchors file {path}: {error.strerror}.") from None
    except (ValueError, UnicodeDecodeError) as error:
        raise CommandError(f"The anchors file {path} is not JSON: {error}.") from None
    if isinstance(document, list):
        document = {"checkpoints": document}
    if not isinstance(document, dict) or not isinstance(document.get("checkpoints"), list):
        raise CommandError(
            f"The anchors file {path} holds no list of checkpoints: download it again from "
            "Verify the ledger."
        )
    return document
