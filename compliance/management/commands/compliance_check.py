"""``compliance_check``: run the safeguard rules over a scope and a period (DESIGN.md, "Contracts
at the boundary").

    python manage.py compliance_check (--partner SLUG | --workshop SLUG | --prison SLUG | --all)
        --start YYYY-MM-DD --end YYYY-MM-DD [--json]

Exit status 0 when it ran, whatever it found; 2 with the reason for a bad slug or date. A
progress line goes to the error stream, rewritten in place on a terminal.
"""

import datetime
import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from compliance.rules.context import Scope
from compliance.rules.engine import run_check
from core.progress import Progress


def iso_day(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{text!r} is not a date: write YYYY-MM-DD.", returncode=2) from None


class Command(BaseCommand):
    help = "Run the safeguard rules over a partner, workshop, prison or the whole country."

    def add_arguments(self, parser):
        scope = parser.add_mutually_exclusive_group(required=True)
        scope.add_argument("--partner", metavar="SLUG")
        scope.add_argument("--workshop", metavar="SLUG")
        scope.add_argument("--prison", metavar="SLUG")
        scope.add_argument("--all", action="store_true", help="every prison, one after another")
        parser.add_argument("--start", required=True, metavar="YYYY-MM-DD")
        parser.add_argument("--end", required=True, metavar="YYYY-MM-DD")
        parser.add_argument("--json", action="store_true", help="print the findings as JSON")

    def handle(self, *args, **options):
        start, end = iso_day(options["start"]), iso_day(options["end"])
        try:
            scopes = self.scopes(options)
            progress = Progress("Rules", 1, stream=self.stderr)

            def step(done, total):
                progress.total = total
                progress.step(done - progress.done)

            findings = run_check(scopes, start, end, progress=step)
            progress.finish()
        except ValidationError as refused:
            raise CommandError(" ".join(refused.messages), returncode=2) from None
        if options["json"]:
            self.stdout.write(json.dumps([f.as_json() for f in findings], indent=2))
            return
        for finding in findings:
            who = f" {finding.worker}" if finding.worker else ""
            self.stdout.write(
                f"{finding.severity:8} {finding.code:24} {finding.scope}{who} "
                f"{finding.start}–{finding.end}: {finding.detail}"
            )
        self.stdout.write(f"{len(findings)} findings.")

    def scopes(self, options) -> list[Scope]:
        if options["all"]:
            return Scope.every_prison()
        for kind in ("partner", "workshop", "prison"):
            if options[kind]:
                return [Scope.parse(kind, options[kind])]
        raise CommandError("Name a --partner, --workshop, --prison or --all.", returncode=2)
