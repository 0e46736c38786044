"""The refunds on an order's pages: ``refund_panel`` on its back-office page (its refunds, their
credit notes, what remains refundable, the refund form for those who may refund) and
``buyer_credit_notes`` on the buyer's page (each credit note's download, by the order's token)."""

from django import template
from django.urls import reverse

from catalogue.models import CreditNote, Refund
from catalogue.refunds.forms import PaidBackForm, RefundForm
from catalogue.refunds.operations import refundable
from catalogue.refunds.splitting import remaining

register = template.Library()


@register.inclusion_tag("catalogue/admin/order_refunds.html", takes_context=True)
def refund_panel(context, order):
    user = context["request"].user
    refunds = list(
        Refund.objects.filter(order=order)
        .select_related("credit_note", "created_by")
        .order_by("pk")
    )
    left = refundable(order, refunds)
    may_refund = user.has_perm("catalogue.refund_order") and left.amount > 0
    return {
        "request": context["request"],
        "order": order,
        "refunds": refunds,
        "refundable": left,
        "form": RefundForm(left=remaining(order), currency=order.currency) if may_refund else None,
        "may_pay_back": user.has_perm("catalogue.pay_back_refund")
        and order.payment_method != "card",
        "paid_back_form": PaidBackForm(prefix="paid-back"),
        "may_download": user.has_perm("catalogue.view_creditnote"),
    }


@register.inclusion_tag("catalogue/orders/credit_notes.html")
def buyer_credit_notes(order):
    notes = CreditNote.objects.filter(refund__order=order).order_by("year", "sequence")
    return {
        "credit_notes": [
            (note, reverse("catalogue_refunds:credit_note", args=[order.access_token, note.number]))
            for note in notes
        ]
    }
