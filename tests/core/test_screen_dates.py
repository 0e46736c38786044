"""Dates on screens: one format per language (core.formatting.SCREEN_FORMATS), written the same by
our templates (``format_day``, filter ``day``) and by Django's localisation (``core/formats``), which
Wagtail's listings use."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import formats, translation

from core.formatting import SCREEN_FORMATS, format_day, format_moment

RLM = "\u200f"
EVERY_MONTH = [datetime.date(2026, month, day) for month in range(1, 13) for day in (1, 26)]


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Nov 26, 2026"), ("fr", "26/11/2026"), ("ar", f"26{RLM}/11{RLM}/2026")],
)
def test_a_screen_writes_a_date_in_the_one_format_of_its_language(language, expected):
    day = datetime.date(2026, 11, 26)
    with translation.override(language):
        rendered = Template("{% load bridgework_format %}{{ day|day }}|{{ day }}").render(
            Context({"day": day})
        )
    assert format_day(day, language) == expected
    assert rendered == f"{expected}|{expected}"  # the filter, and Django's own localisation


def test_arabic_dates_keep_latin_digits():
    assert format_day(datetime.date(2026, 3, 9), "ar") == f"09{RLM}/03{RLM}/2026"


@pytest.mark.parametrize("language", sorted(SCREEN_FORMATS))
def test_django_and_babel_agree_on_every_month(language, settings):
    settings.TIME_ZONE = "UTC"
    with translation.override(language):
        for day in EVERY_MONTH:
            at = datetime.datetime.combine(day, datetime.time(9, 5), tzinfo=datetime.UTC)
            assert formats.date_format(day) == format_day(day, language)
            assert formats.date_format(at, "DATETIME_FORMAT") == format_moment(at, language)


def test_every_language_of_the_site_has_its_screen_format(settings):
    assert {code for code, _name in settings.LANGUAGES} <= set(SCREEN_FORMATS)


def test_a_language_with_a_country_of_its_own_writes_the_same_screen_date(settings):
    settings.FORMAT_LOCALES = {"ar": "ar_MA", "fr": "fr_CA"}
    day = datetime.date(2026, 11, 26)
    assert (format_day(day, "ar"), format_day(day, "fr")) == (f"26{RLM}/11{RLM}/2026", "26/11/2026")
