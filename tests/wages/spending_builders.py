"""Workers with money in their own spending, a finance officer who records purchases, and what a
refused purchase must leave as it was."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.utils import timezone

from wages.ledger.accounts import WAGES_EXPENSE, AccountSpec, ensure_accounts
from wages.ledger.chains import open_chain
from wages.ledger.posting import post_journal
from wages.ledger.worker_accounts import OWN_SPENDING, sub_account_spec
from wages.models import Account, Entry, Journal, Purchase
from workshops.models import Worker

D = Decimal
TODAY = timezone.localdate()
YESTERDAY = TODAY - datetime.timedelta(days=1)


def staff(username: str, *permissions: str):
    user = get_user_model().objects.create_user(username, password="x")
    for name in permissions:
        app, codename = name.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app, codename=codename)
        )
    return get_user_model().objects.get(pk=user.pk)


def officer(username: str = "claire"):
    if (found := get_user_model().objects.filter(username=username).first()) is not None:
        return found
    return staff(
        username,
        "wagtailadmin.access_admin",
        "wages.add_purchase",
        "wages.view_purchase",
        "wages.view_account",
        "wages.view_journal",
    )


def worker(reference: str = "W-AAAA01", language: str = "en") -> Worker:
    return Worker.objects.create(
        reference=reference,
        legal_name=f"Legal {reference}",
        prison_number=f"P{reference}",
        sex="female",
        language=language,
    )


def fund(person: Worker, amount: str, *, key: str | None = None, on=None) -> Journal:
    """Credit ``amount`` to the worker's own spending, as a pay run would."""
    specs = [
        AccountSpec(WAGES_EXPENSE, "Wages", Account.Kind.EXPENSE),
        sub_account_spec(OWN_SPENDING, worker=person),
    ]
    refs = ensure_accounts(specs, "EUR")
    expense, own = (Account.objects.get(pk=refs[key].pk) for key in (WAGES_EXPENSE, specs[1].key))
    key = key or f"fund:{person.reference}:{Journal.objects.count() + 1}"
    return post_journal(
        key=key,
        on=on or YESTERDAY,
        lines=[(expense, D(amount)), (own, -D(amount))],
        memo=f"Wages {person.reference}",
        chain=open_chain("test:wages"),
    )


def own_balance(person: Worker) -> Decimal:
    account = Account.objects.filter(worker=person, purpose="own-spending").first()
    return -account.balance if account else D(0)


def snapshot() -> dict:
    return {
        "journals": Journal.objects.count(),
        "entries": Entry.objects.count(),
        "purchases": Purchase.objects.count(),
        "balances": list(Account.objects.order_by("pk").values_list("code", "balance")),
    }
