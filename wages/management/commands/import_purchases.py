from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from wages.accounts.purchase_import import (
    MAX_PURCHASE_BYTES,
    PurchasesRefused,
    import_purchases,
)


class Command(BaseCommand):
    help = (
        "Import purchases from the prison shop's CSV or XLSX file (header: date,worker,amount,"
        "description,reference), debited from each worker's own spending. All or nothing: every "
        "bad row is reported by line and nothing is posted; exit status 1 when refused."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every row and post nothing."
        )

    def handle(self, *args, file: Path, dry_run: bool, **options):
        if not file.is_file():
            raise CommandError(_("No such file: %(file)s") % {"file": file})
        if file.stat().st_size > MAX_PURCHASE_BYTES:
            raise CommandError(
                _("The file is larger than %(limit)s MiB.")
                % {"limit": MAX_PURCHASE_BYTES // 1024 // 1024}
            )
        try:
            result = import_purchases(
                file.read_bytes(), file_name=file.name, user=None, dry_run=dry_run
            )
        except PurchasesRefused as refused:
            for problem in refused.problems:
                self.stderr.write(problem)
            raise CommandError(
                _("%(file)s was refused: %(count)s problem(s); nothing was posted.")
                % {"file": file.name, "count": len(refused.problems)}
            ) from None
        if dry_run:
            message = _(
                "%(rows)s row(s) checked: %(new)s purchase(s) of %(total)s would be posted, "
                "%(already)s recorded before (dry run, nothing posted)."
            )
        else:
            message = _(
                "%(rows)s row(s): %(new)s purchase(s) of %(total)s posted, %(already)s recorded "
                "before."
            )
        self.stdout.write(
            message
            % {
                "rows": result.rows,
                "new": result.posted if not dry_run else result.rows - result.already,
                "total": result.total,
                "already": result.already,
            }
        )
