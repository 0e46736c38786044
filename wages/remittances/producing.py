"""Producing a remittance batch: the bank file and the postings, in one transaction.

    ready_to_send(currency=None) -> list[Ready]        workers with an active consented payee and
        a family balance above zero, by reference (the "Family remittances" screen)
    remittance_batch_produce(*, items=None, execution_date, user) -> RemittanceBatch
        ``items`` a list of (payee, amount); None sends every ready family balance in full

Every item is checked before anything is made; any refusal refuses the whole batch, in words
naming the worker and the figures, and nothing changes: a payee without recorded consent (ILO
C029: money leaves a worker's account only as the worker agreed in writing), an ended payee,
the same worker twice, an amount above the worker's family balance or with more decimals than
the currency has. With ``items=None`` zero balances are skipped; a batch with nothing to send is
refused.

A remittance **posts when its file is produced** (issue 22): Dr the worker's family account,
Cr ``bank``, one journal per remittance keyed ``remittance:<id>``, into today's wages chain.
The family accounts are locked in primary-key order (after the payees, in theirs) before their
balances are read, so two batches produced at once, or the same balance sent twice at once,
make one payment: the second sees the balance the first left.
"""

import datetime
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from core.money import minor_unit
from core.private_files import store_generated_file
from wages.ledger.accounts import BANK, AccountSpec, ensure_accounts
from wages.ledger.days import todays_chain
from wages.ledger.posting import post_journal
from wages.ledger.worker_accounts import FAMILY, purposes
from wages.models import Account, Payee, Remittance, RemittanceBatch
from wages.remittances.files import PAIN_VERSION, Payment, pain001, remittance_csv

PRODUCE = "wages.add_remittancebatch"
FILE_PURPOSE = "remittance-file"


@dataclass(frozen=True)
class Ready:
    payee: Payee
    balance: Decimal


def _family_purpose() -> str:
    purpose = purposes()[FAMILY]
    if purpose is None:
        raise ValidationError(
            _(
                "No deduction category is paid out as the family's: set one in the register "
                "before sending remittances."
            )
        )
    return purpose


def _active_payees():
    return Payee.objects.filter(
        ended_on__isnull=True, consented_on__isnull=False, consent_document__isnull=False
    )


def ready_to_send(currency: str | None = None) -> list[Ready]:
    currency = currency or settings.BRIDGEWORK_CURRENCY
    if purposes()[FAMILY] is None:
        return []
    payees = {p.worker_id: p for p in _active_payees().select_related("worker")}
    accounts = Account.objects.filter(
        worker_id__in=payees, purpose=purposes()[FAMILY], currency=currency, balance__lt=0
    ).values_list("worker_id", "balance")
    ready = [Ready(payees[worker], -balance) for worker, balance in accounts]
    return sorted(ready, key=lambda row: row.payee.worker.reference)


def _reference() -> str:
    """Unique, readable and short enough for 35-character end-to-end ids."""
    return f"REM-{timezone.localdate():%Y%m%d}-{secrets.token_hex(3).upper()}"


def _locked(items, purpose: str, currency: str):
    """The payees and the workers' family accounts, locked in that order, each in pk order."""
    if items is None:
        payees = _active_payees()
    else:
        payees = Payee.objects.filter(pk__in=[payee.pk for payee, _amount in items])
    payees = list(payees.select_related("worker").select_for_update(of=("self",)).order_by("pk"))
    accounts = Account.objects.select_for_update().filter(
        worker_id__in=[payee.worker_id for payee in payees], purpose=purpose, currency=currency
    )
    return {payee.pk: payee for payee in payees}, {
        account.worker_id: account for account in accounts.order_by("pk")
    }


def _checked(items, payees, accounts, currency) -> tuple[list, list[str]]:
    """(payee, account, amount) to send, and the problems found, every one of them."""
    wanted = (
        [
            (payee, -accounts[payee.worker_id].balance if payee.worker_id in accounts else 0)
            for payee in payees.values()
        ]
        if items is None
        else [(payees[payee.pk], Decimal(amount)) for payee, amount in items]
    )
    sending, problems, seen = [], [], set()
    for payee, amount in sorted(wanted, key=lambda row: row[0].worker.reference):
        worker = payee.worker.reference
        account = accounts.get(payee.worker_id)
        balance = -account.balance if account is not None else Decimal(0)
        if items is None and amount <= 0:
            continue  # nothing held for this family yet
        if payee.worker_id in seen:
            problems.append(_("%(worker)s is in the batch twice.") % {"worker": worker})
        seen.add(payee.worker_id)
        if payee.ended_on is not None:
            problems.append(
                _("%(name)s is no longer %(worker)s's payee (ended %(day)s).")
                % {"name": payee.name, "worker": worker, "day": payee.ended_on.isoformat()}
            )
        elif not payee.consented:
            problems.append(
                _(
                    "%(worker)s's consent to send money to %(name)s is not on file: record the "
                    "signed consent first."
                )
                % {"worker": worker, "name": payee.name}
            )
        if amount != amount.quantize(minor_unit(currency)):
            problems.append(
                _("%(amount)s for %(worker)s has more decimals than %(currency)s has.")
                % {"amount": amount, "worker": worker, "currency": currency}
            )
        elif amount <= 0:
            problems.append(
                _("The amount for %(worker)s is %(amount)s: send more than zero.")
                % {"worker": worker, "amount": amount}
            )
        elif amount > balance:
            problems.append(
                _(
                    "%(amount)s %(currency)s for %(worker)s is more than the family balance of "
                    "%(balance)s %(currency)s: send at most the balance."
                )
                % {"amount": amount, "currency": currency, "worker": worker, "balance": balance}
            )
        sending.append((payee, account, amount))
    return sending, problems


@transaction.atomic
def remittance_batch_produce(*, items=None, execution_date: datetime.date, user) -> RemittanceBatch:
    if not user.has_perm(PRODUCE):
        raise PermissionDenied(_("You may not produce remittance files."))
    currency = settings.BRIDGEWORK_CURRENCY
    if execution_date < timezone.localdate():
        raise ValidationError(
            _("The execution date %(day)s is past: ask the bank for today or a later day.")
            % {"day": execution_date.isoformat()}
        )
    purpose = _family_purpose()
    payees, accounts = _locked(items, purpose, currency)
    if items is not None and len(payees) != len({payee.pk for payee, _amount in items}):
        raise ValidationError(_("A payee of the batch no longer exists."))
    sending, problems = _checked(items, payees, accounts, currency)
    if problems:
        raise ValidationError(problems)
    if not sending:
        raise ValidationError(_("No family balance is ready to send: nothing was produced."))
    reference = _reference()
    payments = [
        Payment(
            end_to_end_id=f"{reference}-{number:04d}",
            worker_reference=payee.worker.reference,
            payee_name=payee.name,
            iban=payee.iban,
            bic=payee.bic,
            amount=amount,
            currency=currency,
        )
        for number, (payee, _account, amount) in enumerate(sending, start=1)
    ]
    xml, message_id = pain001(
        payments, batch_reference=reference, execution_date=execution_date, currency=currency
    )
    csv = remittance_csv(payments, batch_reference=reference, execution_date=execution_date)
    batch = RemittanceBatch.objects.create(
        reference=reference,
        message_id=message_id,
        execution_date=execution_date,
        currency=currency,
        count=len(payments),
        total=sum((payment.amount for payment in payments), Decimal(0)),
        pain_version=PAIN_VERSION,
        xml_file=store_generated_file(
            xml, name=f"{reference}.xml", purpose=FILE_PURPOSE, content_type="application/xml"
        ),
        csv_file=store_generated_file(
            csv, name=f"{reference}.csv", purpose=FILE_PURPOSE, content_type="text/csv"
        ),
        created_by=user,
    )
    _post(batch, sending, payments, user)
    log(batch, "bridgework.remittance_batch_produced", user=user)
    return batch


def _post(batch, sending, payments, user) -> None:
    made = ensure_accounts([AccountSpec(BANK, _("bank"), Account.Kind.ASSET)], batch.currency)
    bank = Account.objects.get(pk=made[BANK].pk)
    chain = todays_chain("wages")
    on = timezone.localdate()
    for (payee, account, amount), payment in zip(sending, payments, strict=True):
        remittance = Remittance.objects.create(
            batch=batch,
            worker_id=payee.worker_id,
            payee=payee,
            amount=amount,
            currency=batch.currency,
            end_to_end_id=payment.end_to_end_id,
            journal_key=f"remittance:{payment.end_to_end_id}",
        )
        post_journal(
            key=remittance.journal_key,
            on=on,
            lines=[(account, amount), (bank, -amount)],
            memo=f"Family remittance {payment.end_to_end_id} ({payee.worker.reference})",
            chain=chain,
            user=user,
        )
