"""core.formatting: what a person reads, in each language; and the fixed machine formats."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.template import Context, Template
from django.utils import translation
from djmoney.money import Money

from core.formatting import (
    format_date,
    format_moment,
    format_money,
    format_number,
    format_percentage,
    format_rate,
    person_name,
)

NNBSP, NBSP, RLM = "\u202f", "\xa0", "\u200f"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "€1,234.50"),
        ("fr", f"1{NNBSP}234,50{NBSP}€"),
        ("ar", f"{RLM}1,234.50{NBSP}€"),
    ],
)
def test_money_in_each_language(language, expected):
    assert format_money(Money("1234.5", "EUR"), language) == expected


def test_money_is_rounded_half_up_before_it_is_written():
    assert format_money(Money("2.675", "EUR"), "en") == "€2.68"
    assert format_money(Money("2.665", "EUR"), "en") == "€2.67"
    assert format_money(Money("-0.005", "EUR"), "en") == "-€0.01"
    assert format_money(Money("1000", "JPY"), "en") == "¥1,000"


@pytest.mark.parametrize(
    ("amount", "currency", "language", "expected"),
    [
        ("0.1250", "EUR", "en", "€0.125"),  # a piece rate finer than a cent is not rounded
        ("0.1250", "EUR", "fr", f"0,125{NBSP}€"),
        ("2.0000", "EUR", "en", "€2.00"),  # at least the currency's decimals
        ("1234.5000", "EUR", "fr", f"1{NNBSP}234,50{NBSP}€"),
        ("100.0000", "JPY", "en", "¥100"),
        ("0.0005", "TND", "en", "TND0.0005"),
    ],
)
def test_rates_are_written_as_finely_as_they_are_kept(amount, currency, language, expected):
    assert format_rate(Money(amount, currency), language) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "November 26, 2026"), ("fr", "26 novembre 2026"), ("ar", "26 نوفمبر 2026")],
)
def test_long_dates_in_each_language(language, expected):
    assert format_date(datetime.date(2026, 11, 26), language) == expected


def test_date_styles_and_a_datetime_is_written_as_its_date():
    moment = datetime.datetime(2026, 11, 26, 23, 59, tzinfo=datetime.UTC)
    assert format_date(moment, "fr", style="medium") == "26 nov. 2026"
    assert format_date(moment, "en", style="full") == "Thursday, November 26, 2026"
    with pytest.raises(ValueError, match="Unknown date style 'tiny': use one of full, long"):
        format_date(moment, "en", style="tiny")


def test_numbers_and_percentages():
    assert format_number(Decimal("1234567.5"), "en") == "1,234,567.5"
    assert format_number(Decimal("1234567.5"), "fr") == f"1{NNBSP}234{NNBSP}567,5"
    assert format_number(Decimal("7.5"), "fr", places=2) == "7,50"
    assert format_number(38, "en", places=0) == "38"
    assert format_percentage(Decimal("0.45"), "en") == "45%"
    assert format_percentage(Decimal("0.45"), "fr") == f"45{NBSP}%"


def test_a_language_can_use_another_countrys_conventions(settings):
    settings.FORMAT_LOCALES = {"ar": "ar_MA"}

    assert format_number(Decimal("1234.5"), "ar") == "1.234,5"
    assert format_number(Decimal("1234.5"), "en") == "1,234.5"


def test_without_a_language_the_active_one_is_used():
    with translation.override("fr"):
        assert format_money(Money("5", "EUR")) == f"5,00{NBSP}€"


def test_template_filters_follow_the_active_language():
    template = Template(
        "{% load bridgework_format %}{{ amount|money }}|{{ day|long_date }}|{{ hours|number:1 }}"
        "|{{ share|percentage }}|{{ missing|money }}"
    )
    context = Context(
        {
            "amount": Money("12.5", "EUR"),
            "day": datetime.date(2026, 1, 2),
            "hours": Decimal("7.25"),
            "share": Decimal("0.1"),
            "missing": None,
        }
    )

    with translation.override("fr"):
        assert template.render(context) == f"12,50{NBSP}€|2 janvier 2026|7,3|10{NBSP}%|"
    with translation.override("en"):
        assert template.render(context) == "€12.50|January 2, 2026|7.3|10%|"


def test_a_moment_is_the_screen_date_and_the_short_time_of_the_site_in_each_language(settings):
    settings.TIME_ZONE = "Africa/Casablanca"
    at = datetime.datetime(2026, 11, 26, 14, 26, tzinfo=datetime.UTC)  # 15:26 in Casablanca
    assert format_moment(at, "en") == "Nov 26, 2026, 3:26\u202fPM"
    assert format_moment(at, "fr") == "26/11/2026, 15:26"
    assert format_moment(at, "ar") == f"26{RLM}/11{RLM}/2026, 3:26 م"
    assert person_name(User(username="finance", first_name="Claire", last_name="Benali")) == (
        "Claire Benali"
    )
    assert person_name(User(username="finance")) == "finance"
    assert person_name(None) == ""
