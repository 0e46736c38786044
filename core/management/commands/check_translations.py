"""Fails when an interface string is missing from a language's catalogue.

Runs ``makemessages`` for every language but English, the code's own (so strings added to the code since the
last run enter the catalogues), then checks each catalogue: every message translated, none fuzzy,
and the compiled ``.mo`` holding the same translations as the ``.po`` (run ``compilemessages``
after translating). ``.ci/run`` calls it; translators run it to see what is left to do.
"""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

IGNORED = [".venv", "venv", "tests", "bench", "var", "node_modules", "*.egg-info"]
SOURCE_LANGUAGE = "en"  # the language the code's strings are written in needs no catalogue


def catalogue_problems(po_path: Path) -> list[str]:
    """What is wrong with one language's catalogue, one line each; empty when it is complete."""
    if not po_path.exists():
        return [_("%(path)s does not exist") % {"path": po_path}]
    po = polib.pofile(str(po_path))
    problems = [
        _("untranslated: %(msgid)r (%(where)s)")
        % {"msgid": entry.msgid, "where": ", ".join(f"{f}:{n}" for f, n in entry.occurrences)}
        for entry in po.untranslated_entries()
    ]
    problems += [_("fuzzy: %(msgid)r") % {"msgid": entry.msgid} for entry in po.fuzzy_entries()]
    mo_path = po_path.with_suffix(".mo")
    if not mo_path.exists():
        problems.append(_("%(path)s is missing: run compilemessages") % {"path": mo_path})
    elif _translations(polib.mofile(str(mo_path))) != _translations(po):
        problems.append(_("%(path)s is out of date: run compilemessages") % {"path": mo_path})
    return problems


def _translations(catalogue) -> dict:
    return {
        (entry.msgctxt, entry.msgid): entry.msgstr or tuple(sorted(entry.msgstr_plural.items()))
        for entry in catalogue
        if (entry.msgstr or any(entry.msgstr_plural.values()))
        and "fuzzy" not in entry.flags
        and not entry.obsolete
    }


class Command(BaseCommand):
    help = "Update the catalogues with makemessages, then fail on any string not translated."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-update", action="store_true", help="Check the catalogues as they are."
        )

    def handle(self, *args, no_update, **options):
        languages = [code for code, _name in settings.LANGUAGES if code != SOURCE_LANGUAGE]
        locale_dir = Path(settings.LOCALE_PATHS[0])
        if not no_update:
            call_command(
                "makemessages",
                locale=languages,
                ignore_patterns=IGNORED,
                no_obsolete=True,
                verbosity=0,
            )
        failed = False
        for code in languages:
            problems = catalogue_problems(locale_dir / code / "LC_MESSAGES" / "django.po")
            failed = failed or bool(problems)
            for problem in problems:
                self.stderr.write(f"{code}: {problem}")
            if not problems:
                self.stdout.write(
                    _("%(language)s: every string is translated") % {"language": code}
                )
        if failed:
            raise CommandError(_("Some interface strings are not translated (listed above)."))
