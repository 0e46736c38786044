"""Orders and their lines.

An order's **lifecycle**: awaiting payment → paid → packed → shipped → delivered, or cancelled
while unpaid (``catalogue.orders.lifecycle`` holds one operation per step; ``Order.Status`` the
names). Its lines are written once, when the order is placed, with the price, the tax rate and the
amounts of that moment, and never change: an issued invoice is read from them.

The buyer needs no account: the order is theirs through its ``access_token`` (the link in their
e-mails). ``key`` is the checkout's own key, so a double submit places one order.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Round
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from djmoney.models.fields import MoneyField
from phonenumber_field.modelfields import PhoneNumberField

from catalogue.models.money import AMOUNT, money_field_options


def new_access_token() -> str:
    return secrets.token_urlsafe(24)


class Order(models.Model):
    class Status(models.TextChoices):
        AWAITING_PAYMENT = "awaiting_payment", _("awaiting payment")
        PAID = "paid", _("paid")
        PACKED = "packed", _("packed")
        SHIPPED = "shipped", _("shipped")
        DELIVERED = "delivered", _("delivered")
        CANCELLED = "cancelled", _("cancelled")

    number = models.CharField(_("order number"), max_length=20, unique=True)
    key = models.CharField(_("checkout key"), max_length=64, unique=True, editable=False)
    access_token = models.CharField(
        max_length=40, unique=True, default=new_access_token, editable=False
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.AWAITING_PAYMENT
    )
    payment_method = models.CharField(_("payment method"), max_length=20)
    payment_reference = models.CharField(_("payment reference"), max_length=40, unique=True)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    currency = models.CharField(_("currency"), max_length=3)
    prices_include_tax = models.BooleanField(_("prices include tax"))

    email = models.EmailField(_("e-mail"))
    phone = PhoneNumberField(_("telephone"), blank=True)
    name = models.CharField(_("name"), max_length=120)
    organisation = models.CharField(_("organisation"), max_length=160, blank=True)
    purchase_order = models.CharField(_("purchase-order number"), max_length=60, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    address_more = models.CharField(_("address, continued"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=20, blank=True)
    city = models.CharField(_("town or city"), max_length=100, blank=True)
    country = CountryField(_("country"))

    shipping_rate = models.ForeignKey(
        "catalogue.ShippingRate", verbose_name=_("shipping"), on_delete=models.PROTECT
    )
    shipping_name = models.CharField(_("shipping"), max_length=80)
    shipping_price = MoneyField(_("shipping price"), **money_field_options())
    shipping_tax_rate = models.DecimalField(
        _("shipping tax rate (%)"), max_digits=5, decimal_places=2
    )
    shipping_tax = MoneyField(_("tax on shipping"), **money_field_options())

    net_total = MoneyField(_("total without tax"), **money_field_options())
    tax_total = MoneyField(_("tax"), **money_field_options())
    total = MoneyField(_("total"), **money_field_options())

    reservation = models.OneToOneField(
        "workshops.Reservation",
        verbose_name=_("stock reservation"),
        on_delete=models.PROTECT,
        related_name="order",
    )
    placed_at = models.DateTimeField(_("placed at"), auto_now_add=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    packed_at = models.DateTimeField(_("packed at"), null=True, blank=True)
    shipped_at = models.DateTimeField(_("shipped at"), null=True, blank=True)
    carrier = models.CharField(_("carrier"), max_length=80, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=80, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("why it was cancelled"), max_length=200, blank=True)
    # The card payment's id at the provider (a Stripe PaymentIntent), once its Checkout Session
    # completes: refunds are made against it, and a refund event finds the order by it.
    provider_payment_id = models.CharField(
        _("payment id at the card provider"), max_length=255, blank=True, db_index=True
    )
    # Set when the provider's word and the order disagree (an amount or currency that does not
    # match): the order is not paid, and finance looks at it.
    review_reason = models.CharField(_("why it needs review"), max_length=300, blank=True)

    class Meta:
        ordering = ["-placed_at", "-pk"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        permissions = [
            ("mark_order_paid", _("Can record that an order on invoice was paid")),
            ("fulfil_order", _("Can pack, ship and deliver orders")),
            ("cancel_order", _("Can cancel an unpaid order")),
        ]
        indexes = [models.Index(fields=["status", "placed_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(total__gte=0) & Q(tax_total__gte=0) & Q(net_total__gte=0),
                name="order_totals_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(status="awaiting_payment", paid_at__isnull=True)
                | Q(status="cancelled", paid_at__isnull=True, cancelled_at__isnull=False)
                | Q(
                    status__in=["paid", "packed", "shipped", "delivered"],
                    paid_at__isnull=False,
                ),
                name="order_paid_at_matches_status",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["shipped", "delivered"]) | Q(shipped_at__isnull=False),
                name="order_shipped_at_when_shipped",
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def shipping_net(self):
        return self.shipping_price - self.shipping_tax

    @property
    def awaiting_payment(self) -> bool:
        return self.status == self.Status.AWAITING_PAYMENT


class OrderLine(models.Model):
    order = models.ForeignKey(
        Order, verbose_name=_("order"), on_delete=models.CASCADE, related_name="lines"
    )
    variant = models.ForeignKey(
        "catalogue.ProductVariant",
        verbose_name=_("variant"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sku = models.ForeignKey("workshops.SKU", verbose_name=_("SKU"), on_delete=models.PROTECT)
    workshop = models.ForeignKey(
        "workshops.Workshop",
        verbose_name=_("making workshop"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    description = models.CharField(_("description"), max_length=250)
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_price = MoneyField(_("unit price"), **money_field_options())
    tax_rate = models.DecimalField(_("tax rate (%)"), max_digits=5, decimal_places=2)
    net = MoneyField(_("without tax"), **money_field_options())
    tax = MoneyField(_("tax"), **money_field_options())
    gross = MoneyField(_("with tax"), **money_field_options())

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="order_line_quantity_positive"
            ),
            # Rounded to the stored decimals: SQLite adds decimals as floating point numbers
            # (7.20 + 0.40 is not 7.60 there), PostgreSQL exactly, so both keep the same rule.
            models.CheckConstraint(
                condition=Q(
                    gross=Round(models.F("net") + models.F("tax"), AMOUNT["decimal_places"])
                ),
                name="order_line_gross_is_net_plus_tax",
            ),
            models.UniqueConstraint(fields=["order", "sku"], name="order_line_once_per_sku"),
        ]

    def __str__(self):
        return f"{self.quantity} × {self.description}"


class OrderCounter(models.Model):
    """The last order number given in a year, its row locked while an order is placed
    (``catalogue.checkout.numbers``). Unlike invoices, order numbers may skip a number (an order
    that rolls back after taking one), but never repeat."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    last = models.PositiveIntegerField(_("last number given"), default=0)

    class Meta:
        verbose_name = _("order counter")
        verbose_name_plural = _("order counters")

    def __str__(self):
        return f"{self.year}: {self.last}"
