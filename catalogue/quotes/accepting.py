"""The buyer's answer on their quote's page (no account: the quote's access token is theirs):

    accept_quote(quote, *, purchase_order="") -> Order
    decline_quote(quote) -> Quote

**Accepting** (quoted → accepted) writes an order **on invoice** at the quoted prices, with the
buyer's purchase-order number, through ``catalogue.checkout.placing.place_priced_order``: the
same reservation of the stock (all lines or none, held for the invoice's hold), numbering,
writing and, after the commit, the invoice issued, its journal posted and the confirmation
e-mailed. It is refused in words, changing nothing, after the quote's ``valid_until`` day, when
a purchase order is required and none is given, or when the stock is short (the quote stays
quoted, to be accepted once there is stock or answered anew).

**Idempotent**: the quote's row is locked first, so a double click or two tabs at once make one
order; the second call waits, then finds the quote accepted and returns its order. The order's key
is the quote's number, so even a retry after a lost answer finds the same order.

**Declining** (quoted → declined) changes nothing else; declining twice does nothing more.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from catalogue.cart.selectors import available_units
from catalogue.checkout.payments import InvoicePayment
from catalogue.checkout.placing import Priced, ShortOfStock, place_priced_order
from catalogue.models import Order, Quote
from catalogue.quotes.answering import locked, refuse_unless
from catalogue.quotes.requesting import CONTACT_FIELDS
from catalogue.taxes.pricing import Amounts
from core.formatting import format_day

Status = Quote.Status
PURCHASE_ORDER_LENGTH = Order._meta.get_field("purchase_order").max_length


def _refuse_if_past(quote: Quote) -> None:
    if quote.status == Status.QUOTED and quote.valid_until < timezone.localdate():
        raise ValidationError(
            _(
                "This quote was valid until %(day)s and can no longer be accepted. Ask us for a "
                "new quote: the form is linked from the shop."
            )
            % {"day": format_day(quote.valid_until, quote.language)},
            code="expired",
        )


def _priced(quote: Quote) -> list[Priced]:
    lines = list(quote.lines.select_related("variant", "variant__sku").order_by("pk"))
    if any(line.variant is None for line in lines):
        raise ValidationError(
            _("A product of this quote is no longer in the shop: contact us for a new quote."),
            code="gone",
        )
    return [
        Priced(
            variant=line.variant,
            quantity=line.quantity,
            title=line.description,
            description=line.description,
            tax_rate=line.tax_rate,
            amounts=Amounts(net=line.net, tax=line.tax, gross=line.gross),
            unit_price=line.unit_price,
        )
        for line in lines
    ]


def _short_of_stock(priced: list[Priced]) -> ValidationError:
    units = available_units([line.variant for line in priced])
    short = [
        _("%(product)s: %(wanted)s quoted, %(available)s in stock now.")
        % {
            "product": line.title,
            "wanted": line.quantity,
            "available": max(units.get(line.variant.sku_id, 0), 0),
        }
        for line in priced
        if units.get(line.variant.sku_id, 0) < line.quantity
    ]
    return ValidationError(
        [
            _(
                "We do not have enough stock to fill this quote today, so it was not accepted. "
                "Contact us to agree a later delivery; the quote stays open until its date."
            ),
            *short,
        ],
        code="not_enough_stock",
    )


@transaction.atomic
def accept_quote(quote: Quote, *, purchase_order: str = "") -> Order:
    quote = locked(quote)
    if quote.status == Status.ACCEPTED:
        return quote.order  # accepted already: a double click or a second tab
    _refuse_if_past(quote)
    refuse_unless(quote, Status.QUOTED, step=_("accepted"))
    purchase_order = " ".join(str(purchase_order or "").split())
    if quote.purchase_order_required and not purchase_order:
        raise ValidationError(
            _("Enter your purchase-order number: it is printed on the invoice."),
            code="purchase_order",
        )
    if len(purchase_order) > PURCHASE_ORDER_LENGTH:
        raise ValidationError(
            _("The purchase-order number is longer than %(max)s characters: shorten it.")
            % {"max": PURCHASE_ORDER_LENGTH},
            code="purchase_order",
        )
    priced = _priced(quote)
    contact = {name: getattr(quote, name) for name in CONTACT_FIELDS}
    contact["purchase_order"] = purchase_order
    try:
        order = place_priced_order(
            key=f"quote-{quote.number}",
            priced=priced,
            contact=contact,
            shipping_rate=quote.shipping_rate,
            shipping=(
                quote.shipping_tax_rate,
                Amounts(net=quote.shipping_net, tax=quote.shipping_tax, gross=quote.shipping_price),
            ),
            payment_method=InvoicePayment.code,
            language=quote.language,
            prices_include_tax=quote.prices_include_tax,
        )
    except ShortOfStock:
        raise _short_of_stock(priced) from None
    if order.currency != settings.BRIDGEWORK_CURRENCY:  # pragma: no cover - a broken setting
        raise ValidationError(_("The shop's currency changed: ask us for a new quote."))
    quote.status, quote.accepted_at, quote.order = Status.ACCEPTED, timezone.now(), order
    quote.save(update_fields=["status", "accepted_at", "order"])
    log(quote, "bridgework.quote_accepted", user=None, data={"order": order.number})
    return order


@transaction.atomic
def decline_quote(quote: Quote) -> Quote:
    quote = locked(quote)
    if quote.status == Status.DECLINED:
        return quote
    if quote.status == Status.QUOTED and quote.valid_until < timezone.localdate():
        raise ValidationError(
            _("This quote expired on %(day)s: there is nothing left to decline.")
            % {"day": format_day(quote.valid_until, quote.language)},
            code="expired",
        )
    refuse_unless(quote, Status.QUOTED, step=_("declined"))
    quote.status, quote.declined_at = Status.DECLINED, timezone.now()
    quote.save(update_fields=["status", "declined_at"])
    log(quote, "bridgework.quote_declined", user=None)
    return quote
