"""Staff's answer to a quote request (order fulfilment, ``catalogue.answer_quote``):

    price_quote(quote, *, user, unit_prices, shipping_rate, valid_until) -> Quote
    send_quote(quote, *, user) -> Quote
    withdraw_quote(quote, *, user, reason) -> Quote

``price_quote`` sets each line's unit price (``{line id: Money}``; a line not named keeps its
price, the list price at first, lower for bulk), the shipping rate (one offered to the buyer's
country for the lines' weight, ``catalogue.shipping.pricing``) and the last day the quote holds;
the tax rates in force today are read again and every figure recomputed
(``catalogue.quotes.figures``). It may be repeated while the quote is requested.
``send_quote`` turns it into a quote (requested → quoted): after the commit its PDF is printed
(``catalogue.quotes.documents``) and the buyer e-mailed the link to its page; sending twice does
nothing more. ``withdraw_quote`` takes back a request or a quote not yet answered by the buyer.

Each checks the permission first, locks the quote's row, refuses a wrong step in words (changing
nothing) and writes the audit log.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from moneyed import Money
from wagtail.log_actions import log

from catalogue.models import Quote, QuoteLine, ShippingRate, ShopSettings
from catalogue.quotes.figures import add_up, price_line
from catalogue.shipping.pricing import check_rate, shipping_amounts
from catalogue.taxes.pricing import rate_in_force
from core.formatting import format_day

ANSWER = "catalogue.answer_quote"
Status = Quote.Status


def require_permission(user, permission: str = ANSWER) -> None:
    if user is None or not user.has_perm(permission):
        raise PermissionDenied(_("You may not answer quotes."))


def locked(quote: Quote) -> Quote:
    return Quote.objects.select_for_update().get(pk=quote.pk)


def refuse_unless(quote: Quote, *statuses: str, step: str) -> None:
    if quote.status not in statuses:
        raise ValidationError(
            _("Quote %(number)s is %(status)s: it cannot be %(step)s.")
            % {"number": quote.number, "status": quote.get_status_display(), "step": step},
            code="status",
        )


def _money(value, currency: str) -> Money:
    amount = value.amount if isinstance(value, Money) else Decimal(str(value))
    if isinstance(value, Money) and str(value.currency) != currency:
        raise ValidationError(_("Enter the prices in %(currency)s.") % {"currency": currency})
    if amount < 0:
        raise ValidationError(_("A unit price cannot be negative."), code="price")
    return Money(amount, currency)


@transaction.atomic
def price_quote(
    quote: Quote,
    *,
    user,
    unit_prices: dict[int, Money],
    shipping_rate: ShippingRate,
    valid_until: datetime.date,
) -> Quote:
    require_permission(user)
    quote = locked(quote)
    refuse_unless(quote, Status.REQUESTED, step=_("priced"))
    today = timezone.localdate()
    if valid_until is None or valid_until < today:
        raise ValidationError(
            _("Choose a valid-until day from today (%(today)s) on.") % {"today": format_day(today)},
            code="valid_until",
        )
    lines = list(
        QuoteLine.objects.filter(quote=quote)
        .select_related("variant", "variant__product__tax_class")
        .order_by("pk")
    )
    unknown = set(unit_prices) - {line.pk for line in lines}
    if unknown:
        raise ValidationError(_("These prices are for lines of another quote: reload the page."))
    if any(line.variant is None for line in lines):
        raise ValidationError(
            _("A product of this request is no longer in the shop: withdraw the quote."),
            code="gone",
        )
    rate = ShippingRate.objects.select_related("zone", "tax_class").get(pk=shipping_rate.pk)
    weight = sum(line.variant.weight_grams * line.quantity for line in lines)
    check_rate(rate, country=quote.country, weight_grams=weight)
    if rate.kind == ShippingRate.Kind.DELIVERY and not (quote.address and quote.city):
        raise ValidationError(_("The buyer gave no delivery address: choose a collection."))
    quote.prices_include_tax = ShopSettings.load().prices_include_tax
    for line in lines:
        if line.pk in unit_prices:
            line.unit_price = _money(unit_prices[line.pk], quote.currency)
        line.tax_rate = rate_in_force(line.variant.product.tax_class, today)
        price_line(line, prices_include_tax=quote.prices_include_tax)
    shipping_tax_rate, shipping = shipping_amounts(
        rate, on=today, prices_include_tax=quote.prices_include_tax
    )
    quote.shipping_rate = rate
    quote.shipping_name = rate.name_in(quote.language)[:80]
    quote.shipping_price, quote.shipping_tax = shipping.gross, shipping.tax
    quote.shipping_tax_rate = shipping_tax_rate
    quote.valid_until = valid_until
    add_up(quote, lines)
    QuoteLine.objects.bulk_update(lines, ["unit_price", "tax_rate", "net", "tax", "gross"])
    quote.save()
    log(quote, "bridgework.quote_priced", user=user, data={"total": str(quote.total.amount)})
    return quote


@transaction.atomic
def send_quote(quote: Quote, *, user) -> Quote:
    require_permission(user)
    quote = locked(quote)
    if quote.status == Status.QUOTED:
        return quote  # sent already: a double click sends nothing more
    refuse_unless(quote, Status.REQUESTED, step=_("sent"))
    if quote.shipping_rate_id is None or quote.valid_until is None:
        raise ValidationError(
            _("Set the prices, the shipping and the valid-until day, then send the quote."),
            code="not_priced",
        )
    if quote.valid_until < timezone.localdate():
        raise ValidationError(
            _("The valid-until day has passed: choose a later one, then send the quote."),
            code="valid_until",
        )
    quote.status, quote.quoted_at, quote.document = Status.QUOTED, timezone.now(), None
    quote.save(update_fields=["status", "quoted_at", "document"])
    log(quote, "bridgework.quote_sent", user=user, data={"total": str(quote.total.amount)})
    quote_id = quote.pk
    transaction.on_commit(lambda: _sent(quote_id), robust=True)
    return quote


def _sent(quote_id: int) -> None:
    """Print the PDF (a task) and e-mail the buyer, once the quote is committed."""
    from catalogue.quotes.documents import print_quote
    from catalogue.quotes.emails import send_quote_email

    print_quote.enqueue(quote_id=quote_id)
    quote = Quote.objects.get(pk=quote_id)
    if quote.status == Status.QUOTED:  # not withdrawn in the meantime
        send_quote_email(quote, kind="sent")


@transaction.atomic
def withdraw_quote(quote: Quote, *, user, reason: str) -> Quote:
    require_permission(user)
    quote = locked(quote)
    if quote.status == Status.WITHDRAWN:
        return quote
    refuse_unless(quote, Status.REQUESTED, Status.QUOTED, step=_("withdrawn"))
    reason = str(reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why the quote is withdrawn."), code="reason")
    quote.status, quote.withdrawn_at = Status.WITHDRAWN, timezone.now()
    quote.withdraw_reason = reason[:200]
    quote.save(update_fields=["status", "withdrawn_at", "withdraw_reason"])
    log(quote, "bridgework.quote_withdrawn", user=user, data={"reason": quote.withdraw_reason})
    return quote
