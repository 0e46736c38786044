"""Payment methods: a small registry of plug-ins, each a class with

    code             what the order stores ("invoice", "card"…)
    label            what the buyer reads on the checkout form
    available()      offered now? (a card method without its keys is not)
    hold(now, shop)  until when the order's stock is reserved
    placed(order)    what happens once the order is committed (never inside its transaction)
    instructions     the template shown on the confirmation and order pages, with
    instructions_context(order)

**Pay on invoice** (bank transfer) is the embedded default and needs no keys: its order waits for
the transfer, holding its stock ``ShopSettings.invoice_hold_days``; once placed, the invoice is
issued, its journal posted and the confirmation e-mail queued.

**Card** (Stripe hosted Checkout, ``catalogue.cards``) is offered when the deployment has Stripe's
keys. Placing the order issues nothing: the checkout view then opens a Checkout Session
(``catalogue.cards.sessions.start_payment``), and the invoice is issued when Stripe's event says
the order is paid (``lifecycle.pay_order``).
"""

import datetime
import logging

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalogue.models import Order, ShopSettings

logger = logging.getLogger(__name__)

DEFAULT = "invoice"
_registry: dict[str, "PaymentMethod"] = {}


class PaymentMethod:
    code: str = ""
    label = ""
    instructions = ""  # a template

    def available(self) -> bool:
        return True

    def hold(self, now: datetime.datetime, shop: ShopSettings) -> datetime.datetime:
        return now + datetime.timedelta(minutes=shop.checkout_minutes)

    def placed(self, order: Order) -> None:
        """Called once the order is committed."""

    def instructions_context(self, order: Order) -> dict:
        return {}


def register(cls: type[PaymentMethod]) -> type[PaymentMethod]:
    _registry[cls.code] = cls()
    return cls


def get(code: str) -> PaymentMethod:
    """The method registered under ``code`` and available now; refused in words otherwise."""
    method = _registry.get(str(code or ""))
    if method is None or not method.available():
        raise ValidationError(
            _("This payment method is not offered. Choose one of: %(methods)s.")
            % {"methods": ", ".join(str(m.label) for m in available_methods())},
            code="payment_method",
        )
    return method


def of_order(order: Order) -> PaymentMethod:
    """The method an order was placed with, offered now or not (its instructions still apply)."""
    return _registry[order.payment_method]


def registered(code: str) -> PaymentMethod:
    """The method registered under ``code``, offered now or not."""
    return _registry[code]


def available_methods() -> list[PaymentMethod]:
    return [method for method in _registry.values() if method.available()]


@register
class InvoicePayment(PaymentMethod):
    code = "invoice"
    label = gettext_lazy("Bank transfer: pay on invoice")
    instructions = "catalogue/checkout/payments/invoice.html"

    def hold(self, now, shop):
        return now + datetime.timedelta(days=shop.invoice_hold_days)

    def placed(self, order):
        """Issue the invoice, post its journal, queue the confirmation (each is idempotent, so
        running this again after a failure does no harm)."""
        from catalogue.invoices.issuing import issue_invoice
        from catalogue.orders.emails import send_order_email
        from catalogue.orders.journals import post_invoice_journal

        invoice = issue_invoice(order)
        post_invoice_journal(invoice)
        send_order_email(order, kind="confirmation")

    def instructions_context(self, order):
        shop = ShopSettings.load()
        return {
            "shop": shop,
            "reference": order.payment_reference,
            "amount": order.total,
            "days": shop.payment_terms_days,
        }


@register
class CardPayment(PaymentMethod):
    code = "card"
    label = gettext_lazy("Card (secure payment page)")
    instructions = "catalogue/checkout/payments/card.html"

    def available(self):
        from catalogue.cards.client import cards_enabled

        return cards_enabled()

    def hold(self, now, shop):
        """Long enough for a Checkout Session, which Stripe keeps open at least 30 minutes
        (``catalogue.cards.sessions.card_hold``)."""
        from catalogue.cards.sessions import card_hold

        return card_hold(now, shop)

    def placed(self, order):
        """Nothing yet: the invoice is issued when the card payment is confirmed."""

    def instructions_context(self, order):
        return {"order": order}
