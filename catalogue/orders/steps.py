"""The steps staff take on an order in the back office, each an operation of
``catalogue.orders.lifecycle``: what each needs (its permission, the status it starts from, its
form) and what an order's page offers a user (``next_steps``: only the steps its status allows and
the user may take).

The permissions are the lifecycle's own (``catalogue.mark_order_paid``, ``fulfil_order``,
``cancel_order``); ``StepPolicy`` names them by codename, so the screens check them through
Wagtail's ``PermissionCheckedMixin`` like every other screen.
"""

from dataclasses import dataclass

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import AdminDateInput
from wagtail.permission_policies import ModelPermissionPolicy

from catalogue.models import Order
from catalogue.orders import lifecycle

Status = Order.Status


class StepPolicy(ModelPermissionPolicy):
    """Order permissions named by their codename: ``"fulfil_order"``, ``"view_order"``."""

    def _get_permission_codename(self, action):
        return action


step_policy = StepPolicy(Order)


class NoForm(forms.Form):
    """A step that asks nothing (pack, deliver)."""


class PaidForm(forms.Form):
    on = forms.DateField(
        label=_("Day the transfer arrived"),
        widget=AdminDateInput,
        help_text=_("As the bank statement shows it."),
    )


class ShipForm(forms.Form):
    carrier = forms.CharField(
        label=_("Carrier"),
        max_length=80,
        required=False,
        help_text=_("Not needed when the buyer collects the order from a shop."),
    )
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=80, required=False)


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is cancelled"),
        max_length=200,
        help_text=_("Kept with the order and shown to other staff."),
    )


@dataclass(frozen=True)
class Step:
    action: str  # the last part of its address: /admin/catalogue/order/<pk>/<action>/
    permission: str  # a codename of ``catalogue``
    start: str  # the status it starts from
    label: str
    form_class: type[forms.Form]
    message: str  # shown when it succeeded, with the order's %(number)s

    def run(self, order: Order, *, user, data: dict) -> Order:
        operation = OPERATIONS[self.action]
        return operation(order, user=user, **data)

    def form(self, data=None):
        initial = {"on": timezone.localdate()} if self.form_class is PaidForm else None
        return self.form_class(data, initial=initial, prefix=self.action)


OPERATIONS = {
    "mark-paid": lifecycle.mark_paid,
    "pack": lifecycle.pack,
    "ship": lifecycle.ship,
    "deliver": lifecycle.deliver,
    "cancel": lifecycle.cancel,
}

STEPS = {
    step.action: step
    for step in (
        Step(
            "mark-paid",
            "mark_order_paid",
            Status.AWAITING_PAYMENT,
            _("Record the payment"),
            PaidForm,
            _("Payment of order %(number)s recorded: it can be packed."),
        ),
        Step(
            "pack",
            "fulfil_order",
            Status.PAID,
            _("Mark packed"),
            NoForm,
            _("Order %(number)s packed."),
        ),
        Step(
            "ship",
            "fulfil_order",
            Status.PACKED,
            _("Mark shipped"),
            ShipForm,
            _("Order %(number)s shipped: the buyer is told by e-mail."),
        ),
        Step(
            "deliver",
            "fulfil_order",
            Status.SHIPPED,
            _("Mark delivered"),
            NoForm,
            _("Order %(number)s delivered."),
        ),
        Step(
            "cancel",
            "cancel_order",
            Status.AWAITING_PAYMENT,
            _("Cancel the order"),
            CancelForm,
            _("Order %(number)s cancelled: its stock is free again."),
        ),
    )
}


def next_steps(order: Order, user) -> list[Step]:
    """The steps ``order``'s page offers ``user``: those its status allows and they may take."""
    return [
        step
        for step in STEPS.values()
        if step.start == order.status and user.has_perm(f"catalogue.{step.permission}")
    ]
