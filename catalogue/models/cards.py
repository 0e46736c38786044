"""Card payment's records (``catalogue.cards``): one ``CardCheckout`` per attempt to pay an order
through a Stripe Checkout Session, and one ``StripeEvent`` per webhook event acted on.

An attempt is written (``pending``) before Stripe is asked for its session, so its number, and so
the request's idempotency key ``order:<number>:attempt:<n>``, is fixed before the network call: a
retry of the same attempt gets the same session back from Stripe. It becomes ``open`` once the
session's id and address are stored, ``failed`` when Stripe refused it, ``replaced`` when the
buyer started another attempt or switched to paying on invoice, ``expired`` when Stripe said the
session expired or its payment failed, and ``completed`` when Stripe said the buyer finished it.

A webhook event's id is **unique**: it is written in the same transaction as the event's effect,
so a duplicate delivery, a replay or two deliveries at once change nothing twice.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CardCheckout(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("being created")
        OPEN = "open", pgettext_lazy("card payment attempt", "open")
        FAILED = "failed", _("refused by the card provider")
        REPLACED = "replaced", _("replaced")
        EXPIRED = "expired", _("expired or failed")
        COMPLETED = "completed", _("completed")

    order = models.ForeignKey(
        "catalogue.Order",
        verbose_name=_("order"),
        on_delete=models.PROTECT,
        related_name="card_checkouts",
    )
    attempt = models.PositiveSmallIntegerField(_("attempt"))
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    session_id = models.CharField(
        _("Checkout Session id"), max_length=255, unique=True, null=True, blank=True
    )
    url = models.URLField(_("payment page address"), max_length=2000, blank=True)
    expires_at = models.DateTimeField(_("session expires at"))
    error = models.CharField(_("card provider's error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["order", "attempt"]
        verbose_name = _("card checkout attempt")
        verbose_name_plural = _("card checkout attempts")
        constraints = [
            models.UniqueConstraint(fields=["order", "attempt"], name="card_checkout_attempt_once"),
            models.CheckConstraint(
                condition=Q(attempt__gte=1), name="card_checkout_attempt_from_1"
            ),
            models.CheckConstraint(
                condition=Q(state__in=["pending", "failed"]) | Q(session_id__isnull=False),
                name="card_checkout_session_when_created",
            ),
        ]

    def __str__(self):
        return f"{self.order_id} #{self.attempt} ({self.state})"

    @property
    def idempotency_key(self) -> str:
        return idempotency_key(self.order.number, self.attempt)


def idempotency_key(order_number: str, attempt: int) -> str:
    return f"order:{order_number}:attempt:{attempt}"


class StripeEvent(models.Model):
    event_id = models.CharField(_("event id"), max_length=255, unique=True)
    type = models.CharField(_("type"), max_length=100)
    order = models.ForeignKey(
        "catalogue.Order",
        verbose_name=_("order"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stripe_events",
    )
    outcome = models.CharField(_("what it did"), max_length=300, blank=True)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("Stripe event")
        verbose_name_plural = _("Stripe events")

    def __str__(self):
        return f"{self.event_id} ({self.type})"
