"""Template filters for what a person reads: ``{{ total|money }}`` (``money_in`` for an amount
and its currency code apart), ``{{ run.period_end|day }}``
(a date on a screen: the one format of the language), ``{{ page.date|long_date }}`` (documents),
``{{ price|rate }}``, ``{{ hours|number:1 }}``, ``{{ share|percentage }}``, ``{{ run.posted_at|moment }}``,
``{{ run.posted_by|person }}``, in the active language (core.formatting)."""

from django import template
from djmoney.money import Money

from core import formatting

register = template.Library()


@register.filter
def money(amount):
    return "" if amount in (None, "") else formatting.format_money(amount)


@register.filter
def money_in(amount, currency):
    """A plain amount kept beside its currency code (``{{ row.debit|money_in:row.currency }}``)."""
    return "" if amount in (None, "") else formatting.format_money(Money(amount, currency))


@register.filter
def rate(amount):
    """A price per hour or per piece, never rounded ("€0.125"): ``core.formatting.format_rate``."""
    return "" if amount in (None, "") else formatting.format_rate(amount)


@register.filter
def number(value, places=None):
    if value in (None, ""):
        return ""
    return formatting.format_number(value, places=None if places is None else int(places))


@register.filter
def percentage(fraction):
    return "" if fraction in (None, "") else formatting.format_percentage(fraction)


@register.filter
def day(value):
    return "" if value in (None, "") else formatting.format_day(value)


@register.filter
def long_date(value):
    return "" if value in (None, "") else formatting.format_date(value, style="long")


@register.filter
def medium_date(value):
    return "" if value in (None, "") else formatting.format_date(value, style="medium")


@register.filter
def moment(value):
    return "" if value in (None, "") else formatting.format_moment(value)


@register.filter
def person(user):
    return formatting.person_name(user or None)
