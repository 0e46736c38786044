"""The shop's settings an administrator edits (Settings → Shop): who sells, how to pay them, and
whether prices include tax. The same on every site and in every language."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


@register_setting(icon="cog")
class ShopSettings(BaseGenericSetting):
    seller_name = models.CharField(_("seller's legal name"), max_length=160, blank=True)
    seller_address = models.TextField(_("seller's address"), max_length=400, blank=True)
    seller_registration = models.CharField(
        _("company or VAT registration number"), max_length=60, blank=True
    )
    bank_name = models.CharField(_("bank"), max_length=120, blank=True)
    iban = models.CharField(_("IBAN"), max_length=42, blank=True)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    payment_terms_days = models.PositiveSmallIntegerField(_("days to pay an invoice"), default=30)
    prices_include_tax = models.BooleanField(
        _("prices include tax"),
        default=True,
        help_text=_("Off: the prices entered and shown are without tax, and tax is added."),
    )
    checkout_minutes = models.PositiveSmallIntegerField(
        _("minutes a checkout holds stock"), default=30
    )
    invoice_hold_days = models.PositiveSmallIntegerField(
        _("days an order on invoice holds stock unpaid"),
        default=45,
        help_text=_(
            "The order is cancelled when this ends unpaid: at least the days to pay an invoice "
            "plus those to its last reminder, so that no order is cancelled before it is overdue "
            "and reminded."
        ),
    )
    first_reminder_days = models.PositiveSmallIntegerField(
        _("days after the due date for the first payment reminder"), default=1
    )
    second_reminder_days = models.PositiveSmallIntegerField(
        _("days after the due date for the second payment reminder"),
        default=14,
        help_text=_("0: no second reminder. Otherwise later than the first."),
    )
    return_window_days = models.PositiveSmallIntegerField(
        _("days to ask for a return"),
        default=30,
        help_text=_("Counted from delivery, or from shipping when delivery was not recorded."),
    )

    def clean(self):
        """An order on invoice is cancelled when its hold ends (``expire_unpaid_orders``): a hold
        shorter than the payment terms and the last reminder would cancel orders not yet due."""
        super().clean()
        last_reminder = self.second_reminder_days or self.first_reminder_days
        needed = self.payment_terms_days + last_reminder + 1
        if self.invoice_hold_days < needed:
            raise ValidationError(
                {
                    "invoice_hold_days": _(
                        "Hold stock at least %(days)s days: %(terms)s days to pay, then "
                        "%(reminder)s days to the last reminder, and one day to answer it."
                    )
                    % {"days": needed, "terms": self.payment_terms_days, "reminder": last_reminder}
                }
            )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("seller_name"),
                FieldPanel("seller_address"),
                FieldPanel("seller_registration"),
            ],
            heading=_("Seller"),
        ),
        MultiFieldPanel(
            [FieldPanel("bank_name"), FieldPanel("iban"), FieldPanel("bic")],
            heading=_("Bank details for payment on invoice"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("payment_terms_days"),
                FieldPanel("prices_include_tax"),
                FieldPanel("checkout_minutes"),
                FieldPanel("invoice_hold_days"),
            ],
            heading=_("Terms"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("first_reminder_days"),
                FieldPanel("second_reminder_days"),
                FieldPanel("return_window_days"),
            ],
            heading=_("Overdue invoices and returns"),
        ),
    ]

    class Meta:
        verbose_name = _("shop settings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(first_reminder_days__gt=0)
                & (
                    models.Q(second_reminder_days=0)
                    | models.Q(second_reminder_days__gt=models.F("first_reminder_days"))
                ),
                name="shop_reminders_after_due_and_in_order",
            )
        ]
