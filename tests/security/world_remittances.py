"""The permission matrix's family remittances: a worker's consented payee, a produced batch with
its one remittance, and a second payee without consent, in the world's register."""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

PAYEE_SECRET = "Secret Payee 8812"


def build_remittance_records(users, ids) -> dict:
    from brand.demo.documents import one_page_pdf
    from wages.ledger import open_chain, post_journal
    from wages.ledger.accounts import AccountSpec, ensure_accounts
    from wages.ledger.worker_accounts import FAMILY, sub_account_spec
    from wages.models import Account, Payee
    from wages.remittances import payee_add, remittance_batch_produce
    from workshops.models import DeductionCategory, Worker

    if not DeductionCategory.objects.filter(use="family").exists():
        DeductionCategory.objects.create(
            code="world-family", name="Family", credited_to_worker=True, use="family"
        )
    worker = Worker.objects.get(pk=ids["worker"])
    spec = sub_account_spec(FAMILY, worker=worker)
    expense = AccountSpec("wages-expense", "Wages", Account.Kind.EXPENSE)
    found = ensure_accounts([spec, expense], "EUR")
    family, wages = (Account.objects.get(pk=found[key].pk) for key in (spec.key, "wages-expense"))
    post_journal(
        key="world-family",
        on=datetime.date.today(),
        lines=[(wages, Decimal("12.00")), (family, Decimal("-12.00"))],
        memo="wages",
        chain=open_chain("world-family"),
    )
    upload = SimpleUploadedFile("consent.pdf", one_page_pdf(["I agree."]))
    payee = payee_add(
        worker=worker,
        name=PAYEE_SECRET,
        relationship=Payee.Relationship.PARENT,
        iban="DE89370400440532013000",
        consented_on=datetime.date.today(),
        document=upload,
        user=users["programme"],
    )
    batch = remittance_batch_produce(execution_date=datetime.date.today(), user=users["finance"])
    return {
        "payee": payee.pk,
        "remittancebatch": batch.pk,
        "remittance": batch.remittances.get().pk,
    }
