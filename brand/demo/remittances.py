"""The demo's family remittances: after the pay runs are posted, the first four workers (by
reference) whose family account holds money name a payee, recorded by the programme manager;
three signed their consent, the fourth has not yet, so their family balance waits. Finance
produces one batch of the three consented balances, and the bank returned the first transfer
(account closed), so its money is back in that worker's family balance.

Payees' IBANs are fictional German test accounts with valid check digits (made by ``schwifty``);
the names are fictional. A currency other than one of two decimals (the demo in dinars) gets the
payees but no batch: a pain.001 file carries amounts in hundredths. Seeding again changes
nothing.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from schwifty import IBAN

from brand.demo.documents import one_page_pdf
from core.money import decimal_places
from wages.ledger.worker_accounts import FAMILY, purposes
from wages.models import Account, Payee, RemittanceBatch
from wages.remittances import payee_add, remittance_batch_produce, remittance_reject
from workshops.models import Worker

PAYEES = [
    ("Nadia Benali", Payee.Relationship.PARENT),
    ("Youssef Amrani", Payee.Relationship.SIBLING),
    ("Leila Haddad", Payee.Relationship.PARTNER),
    ("Karim Saadi", Payee.Relationship.CHILD),  # consent not signed yet
]
RETURN_REASON = "AC04 Account closed (demo)"


def _demo_iban(number: int) -> str:
    return IBAN.generate("DE", bank_code="37040044", account_code=f"{5320130 + number}").compact


def _workers():
    purpose = purposes()[FAMILY]
    if purpose is None:
        return []
    held = Account.objects.filter(
        purpose=purpose, currency=settings.BRIDGEWORK_CURRENCY, balance__lt=0
    ).values_list("worker_id", flat=True)
    return list(Worker.objects.filter(pk__in=held).order_by("reference")[: len(PAYEES)])


def _consent(worker, name) -> SimpleUploadedFile:
    lines = [
        f"Worker {worker.reference} asks that the family share of their pay be sent to",
        f"{name}, and agrees to it in writing.",
    ]
    return SimpleUploadedFile("consent.pdf", one_page_pdf(lines), content_type="application/pdf")


def seed_remittances() -> dict:
    users = get_user_model().objects
    keeper, officer = users.get(username="programme"), users.get(username="finance")
    today = timezone.localdate()
    # Seeded once: after the batch other workers' balances lead the list, and they name no one.
    workers = [] if Payee.objects.exists() else _workers()
    for number, (worker, (name, relationship)) in enumerate(zip(workers, PAYEES, strict=False)):
        consented = number < len(PAYEES) - 1
        payee_add(
            worker=worker,
            name=name,
            relationship=relationship,
            iban=_demo_iban(number),
            consented_on=today - datetime.timedelta(days=10) if consented else None,
            document=_consent(worker, name) if consented else None,
            user=keeper,
        )
    # The batch needs the administration's own account (settings): a deployment that seeds the
    # demo without it (the web benchmark, in production settings) gets the payees only.
    if (
        not RemittanceBatch.objects.exists()
        and settings.BRIDGEWORK_REMITTANCE_DEBTOR_NAME
        and settings.BRIDGEWORK_REMITTANCE_DEBTOR_IBAN
        and decimal_places(settings.BRIDGEWORK_CURRENCY) == 2
        and Payee.objects.filter(consented_on__isnull=False).exists()
    ):
        batch = remittance_batch_produce(execution_date=today, user=officer)
        remittance_reject(
            remittance=batch.remittances.order_by("pk").first(),
            reason=RETURN_REASON,
            on=today,
            user=officer,
        )
    return {"payees": Payee.objects.count(), "batches": RemittanceBatch.objects.count()}
