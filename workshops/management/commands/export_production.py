import datetime
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from workshops.models import Workshop
from workshops.production import export_production


def _date(text):
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(_("“%(text)s” is not a date as YYYY-MM-DD.") % {"text": text}) from None


class Command(BaseCommand):
    help = (
        "Export a workshop's production records in the import format (CSV, or XLSX when the "
        "output file ends in .xlsx); text that a spreadsheet would run as a formula is escaped "
        "with a leading apostrophe, which the importer removes."
    )

    def add_arguments(self, parser):
        parser.add_argument("--workshop", required=True, help="The workshop's slug.")
        parser.add_argument("--start", required=True, help="First day, YYYY-MM-DD.")
        parser.add_argument("--end", required=True, help="Last day, YYYY-MM-DD.")
        parser.add_argument("--output", type=Path, help="File to write (default: standard output).")

    def handle(self, *args, workshop, start, end, output, **options):
        start, end = _date(start), _date(end)
        if end < start:
            raise CommandError(_("The end comes before the start."))
        found = Workshop.objects.filter(slug=workshop).first()
        if found is None:
            raise CommandError(_("Unknown workshop “%(slug)s”.") % {"slug": workshop})
        kind = "xlsx" if output and output.suffix.lower() == ".xlsx" else "csv"
        data = export_production(workshop=found, start=start, end=end, kind=kind)
        if output:
            output.write_bytes(data)
        else:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
