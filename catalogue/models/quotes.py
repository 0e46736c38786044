"""Quotes for business and government buyers (``catalogue.quotes``).

A quote's **lifecycle**:

    requested ──send_quote──▶ quoted ──accept_quote──▶ accepted (its order, on invoice)
        │                       ├──decline_quote──▶ declined
        │                       └──expire_quotes (past valid_until)──▶ expired
        └──withdraw_quote (staff, from requested or quoted)──▶ withdrawn

A buyer asks for products and quantities (more than a cart's line allows: this is bulk); order
fulfilment staff set each line's unit price (the list price by default, lower for bulk), the
shipping and the day the quote is valid until, and send it. The buyer answers on the quote's own
page, reached through its ``access_token`` (the link in their e-mails), without an account.

Each state's timestamps are tied to it by CHECK constraints, so a row cannot say "accepted"
without its acceptance time and order, nor "requested" with a price sent.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Round
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField
from djmoney.models.fields import MoneyField
from phonenumber_field.modelfields import PhoneNumberField

from catalogue.models.money import AMOUNT, money_field_options
from catalogue.models.orders import new_access_token


class Quote(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("requested")
        QUOTED = "quoted", _("quoted")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        EXPIRED = "expired", _("expired")
        WITHDRAWN = "withdrawn", _("withdrawn")

    number = models.CharField(_("quote number"), max_length=20, unique=True)
    key = models.CharField(_("request form key"), max_length=64, unique=True, editable=False)
    access_token = models.CharField(
        max_length=40, unique=True, default=new_access_token, editable=False
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    currency = models.CharField(_("currency"), max_length=3)
    prices_include_tax = models.BooleanField(_("prices include tax"))

    organisation = models.CharField(_("organisation"), max_length=160)
    name = models.CharField(_("contact name"), max_length=120)
    email = models.EmailField(_("e-mail"))
    phone = PhoneNumberField(_("telephone"), blank=True)
    address = models.CharField(_("address"), max_length=200)
    address_more = models.CharField(_("address, continued"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=20, blank=True)
    city = models.CharField(_("town or city"), max_length=100)
    country = CountryField(_("country"))
    purchase_order_required = models.BooleanField(_("purchase order required"), default=False)
    message = models.TextField(_("message"), max_length=2000, blank=True)

    shipping_rate = models.ForeignKey(
        "catalogue.ShippingRate",
        verbose_name=_("shipping"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    shipping_name = models.CharField(_("shipping"), max_length=80, blank=True)
    shipping_price = MoneyField(_("shipping price"), default=0, **money_field_options())
    shipping_tax_rate = models.DecimalField(
        _("shipping tax rate (%)"), max_digits=5, decimal_places=2, default=0
    )
    shipping_tax = MoneyField(_("tax on shipping"), default=0, **money_field_options())
    net_total = MoneyField(_("total without tax"), default=0, **money_field_options())
    tax_total = MoneyField(_("tax"), default=0, **money_field_options())
    total = MoneyField(_("total"), default=0, **money_field_options())
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    document = models.ForeignKey(
        "core.PrivateFile",
        verbose_name=_("PDF"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    order = models.OneToOneField(
        "catalogue.Order",
        verbose_name=_("order"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="quote",
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    quoted_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    declined_at = models.DateTimeField(_("declined at"), null=True, blank=True)
    expired_at = models.DateTimeField(_("expired at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdraw_reason = models.CharField(_("why it was withdrawn"), max_length=200, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = pgettext_lazy("price quote", "quote")
        verbose_name_plural = _("quotes")
        permissions = [("answer_quote", _("Can price, send and withdraw quotes"))]
        indexes = [models.Index(fields=["status", "valid_until"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(total__gte=0)
                & Q(tax_total__gte=0)
                & Q(net_total__gte=0)
                & Q(shipping_price__gte=0),
                name="quote_totals_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(
                    status="requested",
                    quoted_at__isnull=True,
                    accepted_at__isnull=True,
                    declined_at__isnull=True,
                    expired_at__isnull=True,
                    withdrawn_at__isnull=True,
                    order__isnull=True,
                )
                | Q(
                    status="quoted",
                    quoted_at__isnull=False,
                    valid_until__isnull=False,
                    shipping_rate__isnull=False,
                    accepted_at__isnull=True,
                    declined_at__isnull=True,
                    expired_at__isnull=True,
                    withdrawn_at__isnull=True,
                    order__isnull=True,
                )
                | Q(
                    status="accepted",
                    quoted_at__isnull=False,
                    accepted_at__isnull=False,
                    order__isnull=False,
                    declined_at__isnull=True,
                    expired_at__isnull=True,
                    withdrawn_at__isnull=True,
                )
                | Q(
                    status="declined",
                    quoted_at__isnull=False,
                    declined_at__isnull=False,
                    accepted_at__isnull=True,
                    expired_at__isnull=True,
                    withdrawn_at__isnull=True,
                    order__isnull=True,
                )
                | Q(
                    status="expired",
                    quoted_at__isnull=False,
                    expired_at__isnull=False,
                    accepted_at__isnull=True,
                    declined_at__isnull=True,
                    withdrawn_at__isnull=True,
                    order__isnull=True,
                )
                | Q(
                    status="withdrawn",
                    withdrawn_at__isnull=False,
                    accepted_at__isnull=True,
                    declined_at__isnull=True,
                    expired_at__isnull=True,
                    order__isnull=True,
                ),
                name="quote_timestamps_match_status",
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def shipping_net(self):
        return self.shipping_price - self.shipping_tax

    def shown_status(self, today=None) -> str:
        """The status as the buyer and staff should read it: a quote past its ``valid_until``
        is expired even before ``expire_quotes`` has written so."""
        today = today or timezone.localdate()
        if self.status == self.Status.QUOTED and self.valid_until and self.valid_until < today:
            return self.Status.EXPIRED
        return self.status

    def get_shown_status_display(self) -> str:
        return str(self.Status(self.shown_status()).label)


class QuoteLine(models.Model):
    quote = models.ForeignKey(
        Quote,
        verbose_name=pgettext_lazy("price quote", "quote"),
        on_delete=models.CASCADE,
        related_name="lines",
    )
    variant = models.ForeignKey(
        "catalogue.ProductVariant",
        verbose_name=_("variant"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sku = models.ForeignKey(
        "workshops.SKU", verbose_name=_("SKU"), on_delete=models.PROTECT, related_name="+"
    )
    description = models.CharField(_("description"), max_length=250)
    quantity = models.PositiveIntegerField(_("quantity"))
    list_price = MoneyField(_("list price"), **money_field_options())
    unit_price = MoneyField(_("unit price"), **money_field_options())
    tax_rate = models.DecimalField(_("tax rate (%)"), max_digits=5, decimal_places=2)
    net = MoneyField(_("without tax"), **money_field_options())
    tax = MoneyField(_("tax"), **money_field_options())
    gross = MoneyField(_("with tax"), **money_field_options())

    class Meta:
        ordering = ["quote", "pk"]
        verbose_name = _("quote line")
        verbose_name_plural = _("quote lines")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="quote_line_quantity_positive"
            ),
            models.CheckConstraint(
                condition=Q(unit_price__gte=0), name="quote_line_price_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(
                    gross=Round(models.F("net") + models.F("tax"), AMOUNT["decimal_places"])
                ),
                name="quote_line_gross_is_net_plus_tax",
            ),
            models.UniqueConstraint(fields=["quote", "sku"], name="quote_line_once_per_sku"),
        ]

    def __str__(self):
        return f"{self.quantity} × {self.description}"


class QuoteCounter(models.Model):
    """The last quote number given in a year, its row locked while a request is written. Like
    order numbers (and unlike invoices), a number may be skipped, never repeated."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    last = models.PositiveIntegerField(_("last number given"), default=0)

    class Meta:
        verbose_name = _("quote counter")
        verbose_name_plural = _("quote counters")

    def __str__(self):
        return f"{self.year}: {self.last}"
