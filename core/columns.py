"""Listing columns that write money and dates as every screen does (``core.formatting``).

Wagtail's listings show a model field's raw value: a ``Decimal`` without its currency, a date in
Django's ``DATE_FORMAT``. ``FormattedColumns``, a mixin of Wagtail's index view, writes the money
and date fields of ``list_display`` as the rest of the site does ("€1,234.50", "Nov 26, 2026",
"Nov 26, 2026, 3:26 PM"), in the reader's language: a ``MoneyField`` with its own currency and
as finely as it is kept (rates: "€0.125" a piece, ``format_rate``), a plain decimal with the
model's ``currency`` code when it has one (a pay run's gross, an account's balance). A choice is
written by its label (capitalised: "Calculated"), a member of staff by their full name.

The columns keep Wagtail's labels and sorting, and a viewset keeps naming fields by their names,
so its export (``list_export``) keeps the machine formats: ISO dates and plain decimals (README,
"Languages"). ``FormattedFields`` does the same on a record's own page (the inspect view).

Where a listing shows a value that is not a field of its model (an amount whose currency is on a
related row, a date reached through a relation), name its column explicitly::

    list_display = ["reference", MoneyColumn("gross", currency="run.currency"), DateColumn("day")]
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.text import capfirst
from djmoney.models.fields import MoneyField
from moneyed import Money
from wagtail.admin.ui.tables import Column
from wagtail.coreutils import multigetattr

from core.formatting import format_day, format_moment, format_money, format_rate, person_name

CURRENCY_FIELD = "currency"  # the field of a plain amount's currency code, when a model has one


def money_text(value: Decimal | None, currency: str) -> str:
    return "" if value is None else format_money(Money(value, currency))


def rate_text(value: Money | None) -> str:
    return "" if value is None else format_rate(value)


def date_text(value: datetime.date | None) -> str:
    return "" if value is None else format_day(value)


def moment_text(value: datetime.datetime | None) -> str:
    return "" if value is None else format_moment(value)


def text_for_field(model, field_name: str):
    """How a listing writes ``model.field_name`` (an accessor for Wagtail's ``Column``), or None
    to leave it to Wagtail."""
    try:
        field = model._meta.get_field(field_name)
    except FieldDoesNotExist:
        return None
    if field.choices:
        return lambda instance: capfirst(getattr(instance, f"get_{field_name}_display")())
    if field.is_relation and field.related_model is get_user_model():
        return lambda instance: _person(getattr(instance, field_name))
    if isinstance(field, MoneyField):
        return lambda instance: rate_text(getattr(instance, field_name))
    if isinstance(field, models.DecimalField) and _has_currency(model):
        return lambda instance: money_text(
            getattr(instance, field_name), getattr(instance, CURRENCY_FIELD)
        )
    if isinstance(field, models.DateTimeField):
        return lambda instance: moment_text(getattr(instance, field_name))
    if isinstance(field, models.DateField):
        return lambda instance: date_text(getattr(instance, field_name))
    return None


def _person(user) -> str:
    return "" if user is None else person_name(user)


def _has_currency(model) -> bool:
    try:
        return isinstance(model._meta.get_field(CURRENCY_FIELD), models.CharField)
    except FieldDoesNotExist:
        return False


class FormattedColumns:
    """Index-view mixin: money and date fields of ``list_display`` are written by
    ``core.formatting``; their labels and sorting stay Wagtail's."""

    def _get_custom_column(self, field_name, column_class=Column, **kwargs):
        accessor = text_for_field(self.model, field_name) if self.model else None
        if accessor is not None:
            kwargs.setdefault("accessor", accessor)
        return super()._get_custom_column(field_name, column_class, **kwargs)


class FormattedFields:
    """Inspect-view mixin: a record's money and date fields written as its listing writes them."""

    def get_field_display_value(self, field_name, field):
        text = text_for_field(self.model, field_name)
        if text is not None:
            return text(self.object)
        return super().get_field_display_value(field_name, field)


class MoneyColumn(Column):
    """An amount with its currency. The value is a ``Money``, or a number whose currency is
    ``currency``: the name of the row's attribute holding the code (``"currency"``,
    ``"run.currency"``) or a callable given the row."""

    def __init__(self, name, *, currency=None, classname="w-text-right bw-nowrap", **kwargs):
        super().__init__(name, classname=classname, **kwargs)
        self.currency = currency

    def money(self, instance) -> Money | None:
        value = self.get_value(instance)
        if value is None or value == "":
            return None
        if isinstance(value, Money):
            return value
        if self.currency is None:
            raise ValueError(
                f"MoneyColumn {self.name!r}: {value!r} is no Money; name its currency."
            )
        code = (
            self.currency(instance)
            if callable(self.currency)
            else multigetattr(instance, self.currency)
        )
        return Money(value, code)

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        money = self.money(instance)
        context["value"] = self.empty_value_display if money is None else format_money(money)
        return context


class DateColumn(Column):
    """A date in the one screen format of the language ("Nov 26, 2026", "26/11/2026"); a moment
    (a datetime) with its time in the site's time zone."""

    def __init__(self, name, *, classname="bw-nowrap", **kwargs):
        super().__init__(name, classname=classname, **kwargs)

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        value = context["raw_value"]
        if value in (None, ""):
            context["value"] = self.empty_value_display
        elif hasattr(value, "hour"):
            context["value"] = format_moment(value)
        else:
            context["value"] = format_day(value)
        return context
