"""core.columns: which fields of a listing are written for people, and how."""

import datetime
from decimal import Decimal

from django.utils import translation
from djmoney.money import Money

from core.columns import text_for_field
from wages.models import LedgerVerification, PayPolicy, PayRate, PayRun

NNBSP, NBSP = "\u202f", "\xa0"


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

    assert written == [f"1{NNBSP}235{NBSP}JPY", "2 nov. 2026", f"0,125{NBSP}€", ""]
    assert moment == f"Nov 26, 2026, 2:26{NNBSP}PM"


def test_other_fields_are_left_to_wagtail():
    assert [
        text_for_field(PayRun, "workers"),
        text_for_field(PayRun, "prison__name"),  # a lookup across a relation
        text_for_field(PayPolicy, "floor_share"),  # a percentage: the model has no currency
        text_for_field(LedgerVerification, "seconds"),
        text_for_field(PayRun, "no_such_field"),
    ] == [None] * 5
