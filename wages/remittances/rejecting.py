"""A transfer the bank returned (a closed account, a wrong name): the money comes back to the
worker's family balance, once.

    remittance_reject(*, remittance, reason, on, user) -> Remittance

The return is a journal of its own, keyed ``remittance:<end-to-end id>:returned``, dated ``on``
(the day the bank returned it) in today's wages chain: Dr ``bank``, Cr the family account the
remittance debited. It is not a reversal of an error: the payment was made and came back, and
both stay in the ledger. A second rejection of the same remittance is refused; the remittance
row is locked first, so two rejections at once return the money once.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from wages.ledger.days import todays_chain
from wages.ledger.posting import post_journal
from wages.models import Account, Journal, Remittance

REJECT = "wages.reject_remittance"


@transaction.atomic
def remittance_reject(
    *, remittance: Remittance, reason: str, on: datetime.date, user
) -> Remittance:
    if not user.has_perm(REJECT):
        raise PermissionDenied(_("You may not record returned remittances."))
    remittance = (
        Remittance.objects.select_for_update(of=("self",))
        .select_related("batch", "worker")
        .get(pk=remittance.pk)
    )
    if remittance.status == Remittance.Status.REJECTED:
        raise ValidationError(
            _("Remittance %(id)s was returned already on %(day)s: its money is back.")
            % {"id": remittance.end_to_end_id, "day": remittance.rejected_on.isoformat()}
        )
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the bank returned it (its reason code or words)."))
    produced = timezone.localtime(remittance.batch.created_at).date()
    if on < produced or on > timezone.localdate():
        raise ValidationError(
            _("A return is dated between the day the file was produced (%(day)s) and today.")
            % {"day": produced.isoformat()}
        )
    posted = Journal.objects.get(key=remittance.journal_key)
    lines = [(entry.account, -entry.amount) for entry in posted.entries.select_related("account")]
    # The family account first, as producing locks it before the chain: no deadlock between them.
    family = [entry.account_id for entry in posted.entries.all() if entry.amount > 0]
    list(Account.objects.select_for_update().filter(pk__in=family).order_by("pk"))
    remittance.return_journal_key = f"{remittance.journal_key}:returned"
    post_journal(
        key=remittance.return_journal_key,
        on=on,
        lines=lines,
        memo=f"Returned remittance {remittance.end_to_end_id} ({remittance.worker.reference})",
        chain=todays_chain("wages"),
        user=user,
    )
    remittance.status = Remittance.Status.REJECTED
    remittance.rejected_on, remittance.reject_reason = on, reason[:300]
    remittance.rejected_by = user
    remittance.save(
        update_fields=[
            "status",
            "return_journal_key",
            "rejected_on",
            "reject_reason",
            "rejected_by",
        ]
    )
    log(remittance, "bridgework.remittance_rejected", user=user)
    return remittance
