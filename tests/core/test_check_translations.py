"""check_translations: a catalogue with a string missing, fuzzy or not compiled fails the check."""

import io

import polib
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from core.management.commands.check_translations import catalogue_problems


@pytest.fixture(autouse=True)
def in_english():
    """The command speaks the active language; a page test before may have left another one."""
    with translation.override("en"):
        yield


def catalogue(tmp_path, entries, *, compile_mo=True):
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "fr"}
    for entry in entries:
        po.append(entry)
    po_path = tmp_path / "django.po"
    po.save(str(po_path))
    if compile_mo:
        po.save_as_mofile(str(tmp_path / "django.mo"))
    return po_path


def test_a_complete_compiled_catalogue_has_no_problems(tmp_path):
    path = catalogue(tmp_path, [polib.POEntry(msgid="Search", msgstr="Rechercher")])

    assert catalogue_problems(path) == []


def test_missing_fuzzy_and_uncompiled_strings_are_each_reported(tmp_path):
    path = catalogue(
        tmp_path,
        [
            polib.POEntry(msgid="Search", msgstr="", occurrences=[("templates/base.html", "24")]),
            polib.POEntry(msgid="Stories", msgstr="Histoires", flags=["fuzzy"]),
        ],
        compile_mo=False,
    )

    assert catalogue_problems(path) == [
        "untranslated: 'Search' (templates/base.html:24)",
        "fuzzy: 'Stories'",
        f"{tmp_path / 'django.mo'} is missing: run compilemessages",
    ]


def test_a_catalogue_translated_after_compiling_is_out_of_date(tmp_path):
    path = catalogue(tmp_path, [polib.POEntry(msgid="Search", msgstr="Chercher")])
    po = polib.pofile(str(path))
    po[0].msgstr = "Rechercher"
    po.save(str(path))

    assert catalogue_problems(path) == [
        f"{tmp_path / 'django.mo'} is out of date: run compilemessages"
    ]


def test_the_committed_catalogues_are_complete():
    out = io.StringIO()
    call_command("check_translations", "--no-update", stdout=out)

    assert out.getvalue().splitlines() == [
        "fr: every string is translated",
        "ar: every string is translated",
    ]


def test_the_command_fails_when_a_catalogue_is_missing(settings, tmp_path):
    settings.LOCALE_PATHS = [tmp_path]
    err = io.StringIO()

    with pytest.raises(CommandError, match="Some interface strings are not translated"):
        call_command("check_translations", "--no-update", stderr=err)

    assert err.getvalue().splitlines() == [
        f"fr: {tmp_path / 'fr' / 'LC_MESSAGES' / 'django.po'} does not exist",
        f"ar: {tmp_path / 'ar' / 'LC_MESSAGES' / 'django.po'} does not exist",
    ]
