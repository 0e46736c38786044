"""Recompute every journal's hash and balance, every chain, every account's balance and the
checkpoint sequence; print each mismatch and exit non-zero when there is any."""

from django.core.management.base import BaseCommand, CommandError

from wages.ledger import verify_ledger
from wages.models import Checkpoint, Journal


class Command(BaseCommand):
    help = "Check that the ledger is intact: balances, hash chains and checkpoints."

    def handle(self, *args, **options):
        verbose = options["verbosity"] > 0

        def progress(count):
            if verbose:
                self.stderr.write(f"  {count} journals checked…")

        problems = verify_ledger(progress=progress)
        for problem in problems:
            self.stdout.write(problem)
        if problems:
            raise CommandError(f"The ledger is not intact: {len(problems)} problem(s).")
        if verbose:
            self.stdout.write(
                self.style.SUCCESS(
                    f"The ledger is intact: {Journal.objects.count()} journals, "
                    f"{Checkpoint.objects.count()} checkpoints."
                )
            )
