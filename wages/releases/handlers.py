"""What wages does when ``workshops`` moves a worker (the hooks of
``workshops.register.assignments``, registered in ``wages.wagtail_hooks``), and when a pay run is
posted. They run inside the calling operation's transaction; a refusal undoes it.

- **Release** opens the worker's release settlement (one per worker), waiting for the final pay
  or ready to pay out (``wages.releases.unpaid``). A settlement not yet paid follows a corrected
  release date; a worker already paid out is not released a second time.
- **Transfer** moves no money: a worker's accounts are the worker's, not a prison's, so the same
  accounts and balances carry to the new prison, whose pay runs credit them from the transfer
  on. The audit log keeps the balances carried, with the accounts, as evidence.
- **A pay run posted** may be a released worker's final pay: every settlement not paid out is
  looked at again (there are few: released and not yet paid).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from core.formatting import format_day
from wages.ledger.worker_accounts import balances, sub_accounts
from wages.models import ReleaseSettlement
from wages.payruns.amounts import money_text
from wages.releases.unpaid import refresh_status


def _figures(worker) -> dict:
    currency = settings.BRIDGEWORK_CURRENCY
    return {kind: money_text(amount, currency) for kind, amount in balances(worker).items()}


@transaction.atomic
def worker_released(*, worker, on, user=None) -> ReleaseSettlement:
    settlement = ReleaseSettlement.objects.select_for_update().filter(worker=worker).first()
    if settlement is not None and settlement.is_paid:
        raise ValidationError(
            _(
                "%(worker)s was released on %(day)s and has been paid out: a release is "
                "settled once. Ask an administrator to record a new release."
            )
            % {"worker": worker, "day": format_day(settlement.released_on)}
        )
    if settlement is None:
        settlement = ReleaseSettlement.objects.create(
            worker=worker, released_on=on, currency=settings.BRIDGEWORK_CURRENCY
        )
        action = "wagtail.create"
    else:
        settlement.released_on = on
        settlement.save(update_fields=["released_on"])
        action = "wagtail.edit"
    refresh_status(settlement)
    log(settlement, action, user=user, data={"released_on": on.isoformat()})
    return settlement


def worker_transferred(*, worker, stay, on, user=None) -> None:
    accounts = sorted(account.pk for account in sub_accounts(worker).values() if account)
    log(
        worker,
        "bridgework.balances_carried",
        user=user,
        data={
            "to_prison": stay.prison.slug,
            "on": on.isoformat(),
            "balances": _figures(worker),
            "accounts": accounts,
        },
    )


def pay_run_posted(*, run, user=None) -> None:
    for settlement in ReleaseSettlement.objects.exclude(
        status=ReleaseSettlement.Status.PAID
    ).select_related("worker"):
        refresh_status(settlement)
