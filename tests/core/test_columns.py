"""core.columns: listing cells that write money and dates as every screen does, in each language."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import User
from django.utils import translation
from djmoney.money import Money
from wagtail.admin.ui.tables import Column, Table

from core.columns import DateColumn, MoneyColumn, text_for_field
from wages.models import LedgerVerification, PayPolicy, PayRate, PayRun

NNBSP, NBSP, RLM = "\u202f", "\xa0", "\u200f"


def cell(column, row, language) -> tuple[str, list[str]]:
    """The cell's text (exactly, spaces inside it kept) and its classes."""
    with translation.override(language):
        html = Table([column], [row]).render_html({})
    td = BeautifulSoup(html, "html.parser").select_one("tbody td")
    return td.get_text().strip(" \n"), td.get("class", [])


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "€1,234.50"), ("fr", f"1{NNBSP}234,50{NBSP}€"), ("ar", f"{RLM}1,234.50{NBSP}€")],
)
def test_a_money_column_writes_an_amount_with_its_currency(language, expected):
    row = SimpleNamespace(price=Money("1234.5", "EUR"), gross=Decimal("1234.5"), currency="EUR")

    assert cell(MoneyColumn("price"), row, language) == (expected, ["w-text-right", "bw-nowrap"])
    assert cell(MoneyColumn("gross", currency="currency"), row, language)[0] == expected
    assert cell(MoneyColumn("gross", currency=lambda r: r.currency), row, language)[0] == expected


def test_a_money_column_writes_zero_and_leaves_nothing_empty():
    row = SimpleNamespace(nothing=Money(0, "TND"), missing=None, currency="TND")

    assert cell(MoneyColumn("nothing"), row, "en")[0] == "TND0.000"
    assert cell(MoneyColumn("missing", currency="currency"), row, "en")[0] == ""


def test_a_money_column_refuses_a_number_without_its_currency():
    with pytest.raises(
        ValueError, match="'gross': Decimal\\('1'\\) is no Money; name its currency"
    ):
        MoneyColumn("gross").money(SimpleNamespace(gross=Decimal(1)))


@pytest.mark.parametrize(
    ("language", "day", "moment"),
    [
        ("en", "Nov 26, 2026", "Nov 26, 2026, 3:26\u202fPM"),
        ("fr", "26/11/2026", "26/11/2026, 15:26"),
        ("ar", f"26{RLM}/11{RLM}/2026", f"26{RLM}/11{RLM}/2026, 3:26 م"),
    ],
)
def test_a_date_column_writes_the_screen_date_and_a_moment_in_the_site_time_zone(
    settings, language, day, moment
):
    settings.TIME_ZONE = "Africa/Casablanca"
    row = SimpleNamespace(
        day=datetime.date(2026, 11, 26),
        at=datetime.datetime(2026, 11, 26, 14, 26, tzinfo=datetime.UTC),  # 15:26 in Casablanca
        never=None,
    )

    assert cell(DateColumn("day"), row, language) == (day, ["bw-nowrap"])
    assert cell(DateColumn("at"), row, language)[0] == moment
    assert cell(DateColumn("never"), row, language)[0] == ""


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_wagtails_own_column_writes_a_date_as_the_date_column_does(language):
    row = SimpleNamespace(day=datetime.date(2026, 3, 9))

    assert cell(Column("day"), row, language)[0] == cell(DateColumn("day"), row, language)[0]


def test_amounts_with_the_models_currency_rates_dates_and_moments_are_written_for_people():
    run = PayRun(
        gross=Decimal("1234.5"),
        currency="JPY",
        period_start=datetime.date(2026, 11, 2),
        created_at=datetime.datetime(2026, 11, 26, 14, 26, tzinfo=datetime.UTC),
    )
    rate = PayRate(hourly=Money("0.1250", "EUR"), piece=None)

    with translation.override("fr"):
        written = [
            text_for_field(PayRun, "gross")(run),
            text_for_field(PayRun, "period_start")(run),
            text_for_field(PayRate, "hourly")(rate),
            text_for_field(PayRate, "piece")(rate),
        ]
    moment = text_for_field(PayRun, "created_at")(run)

    assert written == [f"1{NNBSP}235{NBSP}JPY", "02/11/2026", f"0,125{NBSP}€", ""]
    assert moment == f"Nov 26, 2026, 2:26{NNBSP}PM"


def test_other_fields_are_left_to_wagtail():
    assert [
        text_for_field(PayRun, "workers"),
        text_for_field(PayRun, "prison__name"),  # a lookup across a relation
        text_for_field(PayPolicy, "floor_share"),  # a percentage: the model has no currency
        text_for_field(LedgerVerification, "seconds"),
        text_for_field(PayRun, "no_such_field"),
    ] == [None] * 5


def test_a_choice_is_written_by_its_label_and_a_member_of_staff_by_their_full_name():
    officer = User(username="f.officer", first_name="Farah", last_name="Idrissi")
    run = PayRun(status=PayRun.Status.CALCULATED, calculated_by=officer)
    nameless = PayRun(status=PayRun.Status.POSTED, calculated_by=User(username="j.doe"))

    with translation.override("fr"):
        french = text_for_field(PayRun, "status")(run)

    assert [
        text_for_field(PayRun, "status")(run),
        french,
        text_for_field(PayRun, "calculated_by")(run),
        text_for_field(PayRun, "calculated_by")(nameless),
        text_for_field(PayRun, "approved_by")(run),
    ] == ["Calculated", "Calculé", "Farah Idrissi", "j.doe", ""]
