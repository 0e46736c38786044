from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.signing import new_key_line


class Command(BaseCommand):
    help = (
        "Print a new Ed25519 signing key as a configuration line '<key id> <seed>' for "
        "BRIDGEWORK_SIGNING_KEYS or the file BRIDGEWORK_SIGNING_KEYS_FILE names (the first line "
        "signs; keep retired keys below it so their signatures still verify)."
    )

    def add_arguments(self, parser):
        parser.add_argument("key_id", help="A short, unique id, e.g. 2026-11.")

    def handle(self, *args, key_id: str, **options):
        if not key_id.replace("-", "").replace("_", "").isalnum():
            raise CommandError(_("A key id holds letters, digits, - and _ only."))
        self.stdout.write(new_key_line(key_id))
