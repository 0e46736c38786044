"""The smallest world a remittance needs: a family deduction category, workers whose family
accounts hold money (posted from wages expense, as a pay run would), payees with and without
consent, and users with the roles' permissions."""

import datetime
from decimal import Decimal

from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from brand.demo.documents import one_page_pdf
from tests.workshops.builders import build_worker
from wages.ledger.accounts import AccountSpec, ensure_accounts
from wages.ledger.chains import open_chain
from wages.ledger.posting import post_journal
from wages.ledger.worker_accounts import FAMILY, balances, sub_account_spec
from wages.models import Account, Journal, Payee, Remittance, RemittanceBatch
from wages.remittances import payee_add
from workshops.models import DeductionCategory

D = Decimal
TODAY = timezone.localdate
IBANS = {
    "W-000001": "DE89370400440532013000",
    "W-000002": "FR7630006000011234567890189",
    "W-000003": "DE62370400440532013001",
}


def user_with(username: str, *permissions: str) -> User:
    user, _made = User.objects.get_or_create(username=username)
    for name in permissions:
        app_label, codename = name.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return User.objects.get(pk=user.pk)  # permissions cache fresh


def finance() -> User:
    return user_with(
        "finance",
        "wagtailadmin.access_admin",
        "wages.add_remittancebatch",
        "wages.view_remittancebatch",
        "wages.view_remittance",
        "wages.reject_remittance",
        "wages.view_payee",
    )


def programme() -> User:
    return user_with(
        "programme",
        "wagtailadmin.access_admin",
        "wages.add_payee",
        "wages.change_payee",
        "wages.view_payee",
    )


def consent_upload(name="consent.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, one_page_pdf(["I agree."]), content_type="application/pdf")


def family_category() -> DeductionCategory:
    return DeductionCategory.objects.create(
        code="family", name="Family", credited_to_worker=True, use=DeductionCategory.Use.FAMILY
    )


def credit_family(worker, amount: str, key: str) -> None:
    """Credit ``worker``'s family account with ``amount`` from wages expense, as a run does."""
    spec = sub_account_spec(FAMILY, worker=worker)
    wages = AccountSpec("wages-expense", "Wages", Account.Kind.EXPENSE)
    found = ensure_accounts([spec, wages], "EUR")
    expense, family = (Account.objects.get(pk=found[k].pk) for k in ("wages-expense", spec.key))
    post_journal(
        key=key,
        on=TODAY(),
        lines=[(expense, D(amount)), (family, -D(amount))],
        memo="wages",
        chain=open_chain(f"test-run:{key}"),
    )


def build_remittance_world(*, balances_held=("40.00", "25.50", "0")):
    """Three workers with family balances ``balances_held``; W-000001 and W-000002 have a
    consented payee, W-000003 has one without consent."""
    family_category()
    keeper = programme()
    workers = []
    for number, held in enumerate(balances_held, start=1):
        worker = build_worker(f"W-00000{number}")
        if D(held):
            credit_family(worker, held, f"wages:{number}")
        workers.append(worker)
    payees = [
        payee_add(
            worker=worker,
            name=f"Family of {worker.reference}",
            relationship=Payee.Relationship.PARENT,
            iban=IBANS[worker.reference],
            consented_on=TODAY() - datetime.timedelta(days=3) if consented else None,
            document=consent_upload() if consented else None,
            user=keeper,
        )
        for worker, consented in zip(workers, (True, True, False), strict=True)
    ]
    return workers, payees


def family_balance(worker) -> Decimal:
    return balances(worker)[FAMILY]


def snapshot() -> dict:
    """What a refused operation must leave as it was."""
    return {
        "journals": Journal.objects.count(),
        "batches": RemittanceBatch.objects.count(),
        "remittances": Remittance.objects.count(),
        "payees": Payee.objects.count(),
        "balances": sorted(Account.objects.values_list("code", "balance")),
    }
