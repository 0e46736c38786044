"""Customers' returns (``catalogue.returns``).

A **return request** is made by the buyer from their order's page, within the shop's return
window, naming lines of the order, how many of each and why. Order fulfilment decides it:

    requested ──accept_return──▶ accepted ──(refund)──▶ refunded
        │
        └──refuse_return──▶ refused

Accepting records, per line, how many units are taken back and whether they go back in stock;
the refund (``catalogue.refunds``) then pays and restocks exactly that (``refund_lines``). Each
line names the order line it returns, so the refund reads its price and tax from there.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class ReturnRequest(models.Model):
    class State(models.TextChoices):
        REQUESTED = "requested", _("requested")
        ACCEPTED = "accepted", _("accepted")
        REFUSED = "refused", _("refused")
        REFUNDED = "refunded", _("refunded")

    class Reason(models.TextChoices):
        DAMAGED = "damaged", _("It arrived damaged or faulty")
        WRONG = "wrong", _("I received the wrong item")
        NOT_AS_DESCRIBED = "not_as_described", _("It is not as described")
        NOT_NEEDED = "not_needed", _("I no longer need it")
        OTHER = "other", _("Another reason")

    order = models.ForeignKey(
        "catalogue.Order", verbose_name=_("order"), on_delete=models.PROTECT, related_name="returns"
    )
    # The return form's own key: a double submit makes one request.
    key = models.CharField(_("form key"), max_length=64, unique=True, editable=False)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.REQUESTED
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    details = models.TextField(_("in the buyer's words"), max_length=1000, blank=True)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    refusal_reason = models.CharField(_("why it was refused"), max_length=500, blank=True)
    refunded_at = models.DateTimeField(_("refunded at"), null=True, blank=True)
    refund = models.OneToOneField(
        "catalogue.Refund",
        verbose_name=_("refund"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="return_request",
    )

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("return request")
        verbose_name_plural = _("return requests")
        permissions = [("decide_return", _("Can accept or refuse a return"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["requested", "accepted", "refused", "refunded"]),
                name="return_state_known",
            ),
            models.CheckConstraint(
                condition=Q(
                    reason__in=["damaged", "wrong", "not_as_described", "not_needed", "other"]
                ),
                name="return_reason_known",
            ),
            models.CheckConstraint(
                condition=Q(state="requested", decided_at__isnull=True)
                | Q(state__in=["accepted", "refused", "refunded"], decided_at__isnull=False),
                name="return_decided_at_matches_state",
            ),
            models.CheckConstraint(
                condition=~Q(state="refused") | ~Q(refusal_reason=""),
                name="return_refusal_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(state="refunded", refunded_at__isnull=False)
                | (~Q(state="refunded") & Q(refunded_at__isnull=True)),
                name="return_refunded_at_matches_state",
            ),
        ]

    def __str__(self):
        return f"{self.order} #{self.pk}"


class ReturnLine(models.Model):
    request = models.ForeignKey(
        ReturnRequest, verbose_name=_("return"), on_delete=models.CASCADE, related_name="lines"
    )
    order_line = models.ForeignKey(
        "catalogue.OrderLine",
        verbose_name=_("order line"),
        on_delete=models.PROTECT,
        related_name="return_lines",
    )
    quantity = models.PositiveIntegerField(_("quantity asked"))
    quantity_accepted = models.PositiveIntegerField(_("quantity accepted"), null=True, blank=True)
    restock = models.BooleanField(_("back in stock"), default=False)

    class Meta:
        ordering = ["request", "order_line"]
        verbose_name = _("return line")
        verbose_name_plural = _("return lines")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="return_line_quantity_positive"
            ),
            models.CheckConstraint(
                condition=Q(quantity_accepted__isnull=True)
                | Q(quantity_accepted__lte=F("quantity")),
                name="return_line_accepts_at_most_asked",
            ),
            models.CheckConstraint(
                condition=Q(restock=False) | Q(quantity_accepted__gt=0),
                name="return_line_restocks_only_accepted_units",
            ),
            models.UniqueConstraint(
                fields=["request", "order_line"], name="return_line_once_per_order_line"
            ),
        ]

    def __str__(self):
        return f"{self.quantity} × {self.order_line.description}"
