"""Listing columns that write money and dates as every screen does (core.formatting).

Wagtail's own ``Column`` writes a ``Money`` as its ``str`` ("€1,234.50" in every language) and a
Decimal amount without its currency; its ``DateColumn`` writes "3 days ago". A viewset's listing
uses these instead, so its cells read like the rest of the back office::

    list_display = ["reference", MoneyColumn("gross", currency="currency"), DateColumn("day")]
"""

from djmoney.money import Money
from wagtail.admin.ui.tables import Column
from wagtail.coreutils import multigetattr

from core.formatting import format_day, format_moment, format_money


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
