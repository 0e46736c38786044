"""The cached impact figures as the page shows them, in the active language: for each period a
list of figures, and charts each with the table of the same figures (``core.formatting`` writes
the numbers, money and dates). A suppressed figure reads "fewer than 5"; its bar is not drawn.

    sections(figures) -> list[dict]
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext as _
from djmoney.money import Money

from brand.impact.charts import Bar, bar_chart
from core.formatting import format_date, format_money, format_number, format_percentage


def sections(figures: dict) -> list[dict]:
    end = datetime.date.fromisoformat(figures["computed_on"])
    return [
        _section(key, period, end, figures["floor"]) for key, period in figures["periods"].items()
    ]


def fewer() -> str:
    return _("fewer than 5")


def _count(value) -> str:
    return fewer() if value is None else format_number(value)


def _hours(value) -> str:
    return fewer() if value is None else format_number(Decimal(value), places=0)


def _money(amount: str, currency: str) -> str:
    return format_money(Money(Decimal(amount), currency))


def _section(key: str, period: dict, end: datetime.date, floor: dict | None) -> dict:
    if key == "year":
        heading = _("The last 12 months")
        start = datetime.date.fromisoformat(period["start"])
        dates = _("From %(start)s to %(end)s") % {
            "start": format_date(start),
            "end": format_date(end),
        }
    else:
        heading = _("Since the start")
        dates = _("Up to %(end)s") % {"end": format_date(end)}
    work, wages, training = period["work"], period["wages"], period["training"]
    certificates = period["certificates"]
    items = [
        (_("People who worked"), _count(work["people"])),
        (_("Hours worked"), _hours(work["hours"])),
    ]
    paid = [_money(each["amount"], each["currency"]) for each in wages["paid"]]
    items.append((_("Wages paid"), " · ".join(paid) or fewer()))
    per_hour = wages["per_hour"]
    medians = [_money(each["median"], each["currency"]) for each in per_hour]
    items.append((_("Median pay per hour of work"), " · ".join(medians) or fewer()))
    if floor is not None:
        items.append((_("Pay floor per hour in force"), _money(floor["amount"], floor["currency"])))
    items += [
        (_("People in training"), _count(training["people"])),
        (_("Hours of training"), _hours(training["hours"])),
        (_("Certificates issued"), _count(certificates["total"])),
    ]
    share = certificates["women_share"]
    women = fewer() if share is None else format_percentage(Decimal(share))
    items.append((_("Women's share of certificates"), women))
    charts = []
    if certificates["trades"]:
        charts.append(_certificate_chart(key, heading, certificates["trades"]))
    compared = [each for each in per_hour if each["floor"] is not None]
    if compared:
        charts.append(_pay_chart(key, heading, compared[0]))
    return {"key": key, "heading": heading, "dates": dates, "items": items, "charts": charts}


def _trade_name(names: dict) -> str:
    return names.get(get_language()) or names.get(settings.LANGUAGE_CODE) or next(iter(names))


def _certificate_chart(key: str, period: str, trades: list[dict]) -> dict:
    bars = [
        Bar(_trade_name(each["names"]), each["count"], _count(each["count"])) for each in trades
    ]
    name = _("Certificates issued by trade, %(period)s") % {"period": period.lower()}
    return _chart(f"impact-{key}-certificates", name, (_("Trade"), _("Certificates")), bars)


def _pay_chart(key: str, period: str, pay: dict) -> dict:
    currency = pay["currency"]
    bars = [
        Bar(label, Decimal(amount), _money(amount, currency))
        for label, amount in (
            (_("Median pay per hour"), pay["median"]),
            (_("Pay floor per hour"), pay["floor"]),
        )
    ]
    name = _("Median pay per hour of work against the pay floor, %(period)s") % {
        "period": period.lower()
    }
    return _chart(f"impact-{key}-pay", name, (_("Figure"), _("Per hour")), bars)


def _chart(chart_id: str, name: str, headers: tuple, bars: list[Bar]) -> dict:
    return {
        "id": chart_id,
        "name": name,
        # every count suppressed: nothing to draw, the table says so
        "svg": bar_chart(name, bars, chart_id=chart_id, rtl=get_language_bidi())
        if any(bar.value is not None for bar in bars)
        else "",
        "headers": headers,
        "rows": [(bar.label, bar.text) for bar in bars],
    }
