import csv
import datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from wages.accounts.statements import check_period
from wages.general_ledger.chart import load_chart
from wages.general_ledger.export import export_problems, journal_rows, trial_balance_rows

FILES = {"journals": journal_rows, "trial-balance": trial_balance_rows}


class Command(BaseCommand):
    help = (
        "Export the general ledger of a period for the country's accounting system: the "
        "journals (one row per entry) and the trial balance as CSV, each account mapped to the "
        "national chart (wages/general_ledger/chart_of_accounts.csv). --output DIR writes "
        "journals-START-END.csv and trial-balance-START-END.csv there; with --only, --output is "
        "the file. Exit status 1 when refused (a bad period, an account the mapping leaves out)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--start", required=True, type=datetime.date.fromisoformat)
        parser.add_argument("--end", required=True, type=datetime.date.fromisoformat)
        parser.add_argument("--output", required=True, type=Path)
        parser.add_argument("--only", choices=sorted(FILES))

    def handle(self, *args, start, end, output: Path, only, **options):
        chart = load_chart()
        try:
            check_period(start, end)
            export_problems(start, end, chart)
        except ValidationError as refused:
            raise CommandError(" ".join(refused.messages)) from None
        if only:
            targets = {only: output}
        else:
            output.mkdir(parents=True, exist_ok=True)
            targets = {
                part: output / f"{part}-{start.isoformat()}-{end.isoformat()}.csv" for part in FILES
            }
        for part, path in targets.items():
            rows = 0
            with path.open("w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle, lineterminator="\n")
                for row in FILES[part](start, end, chart):
                    writer.writerow(row)
                    rows += 1
            self.stdout.write(_("%(file)s: %(rows)s row(s).") % {"file": path, "rows": rows - 1})
