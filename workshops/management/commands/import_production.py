from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.progress import Progress
from workshops.production import MAX_IMPORT_BYTES, ProductionRefused, import_production


class Command(BaseCommand):
    help = (
        "Import production records from a CSV or XLSX file (header: date,worker,workshop,"
        "product_sku,hours,pieces,rejects,supervisor,supervisor_note,legacy). All or nothing: "
        "every bad row is reported by line and nothing is saved."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every row and save nothing."
        )
        parser.add_argument(
            "--legacy",
            action="store_true",
            help="Accept rows marked legacy (history from before Bridgework); they skip the "
            "consent and fitness checks.",
        )

    def handle(self, *args, file: Path, dry_run: bool, legacy: bool, **options):
        if not file.is_file():
            raise CommandError(_("No such file: %(file)s") % {"file": file})
        if file.stat().st_size > MAX_IMPORT_BYTES:
            raise CommandError(
                _("The file is %(size)s MiB; the limit is %(limit)s MiB.")
                % {
                    "size": f"{file.stat().st_size / 1024 / 1024:.2f}",
                    "limit": MAX_IMPORT_BYTES // 1024 // 1024,
                }
            )
        progress = None
        if options["verbosity"] > 0:
            bar = {}

            def progress(done, total):
                bar.setdefault("bar", Progress(_("saving records"), total, stream=self.stdout))
                bar["bar"].step(done - bar["bar"].done)

        try:
            result = import_production(
                file.read_bytes(),
                file_name=file.name,
                allow_legacy=legacy,
                dry_run=dry_run,
                progress=progress,
            )
        except ProductionRefused as refused:
            for problem in refused.problems:
                self.stderr.write(str(problem))
            if refused.more:
                self.stderr.write(refused.more_message(refused.more))
            raise CommandError(
                _("%(file)s was refused: %(count)s problem(s); nothing was saved.")
                % {"file": file.name, "count": refused.count}
            ) from None
        if dry_run:
            message = _("%(rows)s row(s) checked: all would be accepted (dry run, nothing saved).")
        else:
            message = _("%(rows)s record(s) imported.")
        self.stdout.write(message % {"rows": result.rows})
