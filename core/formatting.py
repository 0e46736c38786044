"""Numbers, money and dates as a person reads them, in the active (or a given) language.

Everything a person reads goes through here (pages, e-mails, PDFs), so "1 234,50 €" in French and
"€1,234.50" in English come from one place: Babel's CLDR data, through django-money's
``moneyed.l10n`` for amounts. The Babel locale for each site language is ``FORMAT_LOCALES``
(a language may be written with another country's conventions, e.g. ``ar`` → ``ar_MA``).

**Dates on screens: one format per language.** Every back-office and site screen writes a date
with ``format_day`` (template filter ``day``), and the same pattern is the language's Django
``DATE_FORMAT`` (``core/formats/<language>/formats.py``, ``FORMAT_MODULE_PATH``), so Wagtail's own
listings, which write dates through Django's localisation, agree with our screens letter for
letter: English ``Nov 26, 2026``, French ``26/11/2026``, Arabic ``26/11/2026`` with CLDR's
right-to-left marks after day and month (Latin digits, as every number here). A moment is that date and the language's
short time (``format_moment``; Django's ``DATETIME_FORMAT``): ``Nov 26, 2026, 3:26 PM``,
``26/11/2026, 15:26``. The patterns avoid month names where Django's catalogue and CLDR spell
them differently (French abbreviations, Arabic "April"). A language without an entry in
``SCREEN_FORMATS`` writes CLDR's medium date. Documents (payslips, certificates, e-mails) may write
the long date (``format_date``, filter ``long_date``): "26 novembre 2026".

Machine formats never come through here: CSV and JSON use ISO 8601 dates (``2026-11-26``) and plain
decimals with a dot and no grouping (``1234.50``), whatever the language.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from babel.dates import format_date as babel_format_date
from babel.dates import format_time as babel_format_time
from babel.numbers import format_decimal, format_percent
from django.conf import settings
from django.utils import timezone
from moneyed import Money
from moneyed.l10n import format_money as moneyed_format_money

from core.i18n import active_language, check_language
from core.money import round_money

DATE_STYLES = {"short", "medium", "long", "full"}


class ScreenFormat(NamedTuple):
    """How screens write a language's dates and times: the CLDR pattern Babel reads, and the same
    in Django's date-format letters, which the language's format module sets."""

    date: str
    django_date: str
    time: str
    django_time: str


SCREEN_FORMATS = {
    "en": ScreenFormat("MMM d, y", "M j, Y", "h:mm\u202fa", "g:i\u202fA"),
    "fr": ScreenFormat("dd/MM/y", "d/m/Y", "HH:mm", "H:i"),
    "ar": ScreenFormat("dd\u200f/MM\u200f/y", "d\u200f/m\u200f/Y", "h:mm a", "g:i A"),
}


def django_formats(language: str) -> tuple[str, str]:
    """The ``DATE_FORMAT`` and ``DATETIME_FORMAT`` of a language's format module."""
    screen = SCREEN_FORMATS[language]
    return screen.django_date, f"{screen.django_date}, {screen.django_time}"


def babel_locale(language: str | None = None) -> str:
    """The Babel locale that formats for ``language`` (default: the active language)."""
    code = check_language(language) if language else active_language()
    return getattr(settings, "FORMAT_LOCALES", {}).get(code, code)


def format_money(amount: Money, language: str | None = None) -> str:
    """An amount rounded by the money rule and written the way the language writes money."""
    return moneyed_format_money(round_money(amount), locale=babel_locale(language))


def format_rate(amount: Money, language: str | None = None) -> str:
    """A price per hour or per piece as it is kept, which may be finer than the currency's minor
    unit: "€0.125" a piece, not "€0.13"; "€2.00" an hour. Never rounded (a rate is multiplied
    before the money rule rounds what it pays), with at least the currency's decimals."""
    value = amount.amount.normalize()
    if value == value.to_integral_value():
        value = value.quantize(Decimal(1))
    return moneyed_format_money(
        Money(value, amount.currency),
        locale=babel_locale(language),
        decimal_quantization=False,
    )


def format_number(
    value: int | Decimal, language: str | None = None, *, places: int | None = None
) -> str:
    """A number with the language's grouping and decimal signs; ``places`` fixes the decimals,
    rounding half up like money (core.money)."""
    if places is not None:
        value = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        pattern = "#,##0" + ("." + "0" * places if places else "")
        return format_decimal(value, format=pattern, locale=babel_locale(language))
    return format_decimal(value, locale=babel_locale(language))


def format_percentage(fraction: Decimal, language: str | None = None) -> str:
    """A fraction (0.45) as the language writes a percentage ("45 %" in French)."""
    return format_percent(fraction, locale=babel_locale(language))


def format_date(value: datetime.date, language: str | None = None, *, style: str = "long") -> str:
    """A date in the language's words and order: "26 novembre 2026", "November 26, 2026"."""
    if style not in DATE_STYLES:
        raise ValueError(
            f"Unknown date style {style!r}: use one of {', '.join(sorted(DATE_STYLES))}."
        )
    if isinstance(value, datetime.datetime):
        value = value.date()
    return babel_format_date(value, format=style, locale=babel_locale(language))


def format_day(value: datetime.date, language: str | None = None) -> str:
    """A date as every screen writes it in the language (see the module's docstring):
    "Nov 26, 2026", "26/11/2026"."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    screen = SCREEN_FORMATS.get(check_language(language) if language else active_language())
    pattern = screen.date if screen else "medium"
    return babel_format_date(value, format=pattern, locale=babel_locale(language))


def format_moment(value: datetime.datetime, language: str | None = None) -> str:
    """When something happened, in the site's time zone: the date as ``format_day`` writes it,
    then the hour and minute as the language writes them ("Nov 26, 2026, 3:26 PM",
    "26/11/2026, 15:26")."""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    screen = SCREEN_FORMATS.get(check_language(language) if language else active_language())
    time = babel_format_time(
        local.time(), format=screen.time if screen else "short", locale=babel_locale(language)
    )
    return f"{format_day(local, language)}, {time}"


def person_name(user) -> str:
    """How the back office names a member of staff: their full name, else their username."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()
