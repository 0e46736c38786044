"""A released worker, for the release tests: the pay world (``tests.wages.payrun_builders``) with
W-000000's week 1 (two tailoring records and a training session) posted, released through the
register's own operation, so the hook wages registers runs as it does in the back office."""

import datetime
from decimal import Decimal

from core.private_files import PrivateFile
from tests.wages.payrun_builders import D, attend, posted, record
from wages.ledger import open_chain
from wages.ledger.accounts import BANK, AccountSpec, ensure_accounts
from wages.ledger.posting import post_journal
from wages.ledger.worker_accounts import balances, sub_account_spec
from wages.models import Account, Entry, Journal, ReleaseSettlement
from workshops.models import DeductionCategory
from workshops.register.assignments import release_worker

# Week 1 of W-000000 (tests.wages.payrun_builders): 6 h + 40 pieces and 2 h of tailoring at
# 2.00/h and 0.125/piece = 16.00 + 5.00 = 21.00, and 2 h of training at 1.00 = 2.00: gross 23.00.
# The policy allocates family 10 % (2.30), release savings 20 % (4.60), victims' fund 5 % (1.15,
# held for everyone): own spending keeps 14.95.
WEEK_1_BALANCES = {
    "own_spending": Decimal("14.95"),
    "family": Decimal("2.30"),
    "release_savings": Decimal("4.60"),
    "back_wages": Decimal("0"),
}


def use_categories() -> None:
    """The policy's family and release-savings categories say what they are for (as the demo's)."""
    DeductionCategory.objects.filter(code="family").update(use=DeductionCategory.Use.FAMILY)
    DeductionCategory.objects.filter(code="release-savings").update(
        use=DeductionCategory.Use.RELEASE_SAVINGS
    )


def week_1_worked(pay) -> None:
    worker = pay.workers[0]
    record(pay, worker, pay.tailoring, D(2026, 11, 2), "6", 40)
    record(pay, worker, pay.tailoring, D(2026, 11, 3), "2", 0)
    attend(pay, worker, D(2026, 11, 4), "2")
    use_categories()


RELEASE_DAY = D(2026, 11, 8)  # the Sunday of week 1


def released(pay, on=RELEASE_DAY) -> ReleaseSettlement:
    worker = release_worker(worker=pay.workers[0], on=on, user=pay.calculator)
    return ReleaseSettlement.objects.get(worker=worker)


def build_released(pay, *, post_first=True) -> ReleaseSettlement:
    """W-000000 worked week 1, which is posted (``post_first``) before the release on its Sunday,
    or after it."""
    week_1_worked(pay)
    if post_first:
        pay.run = posted(pay)
        return released(pay)
    settlement = released(pay)
    pay.run = posted(pay)
    settlement.refresh_from_db()
    return settlement


def direct_journal(key: str, worker, kind: str, amount: str, other_code: str = BANK) -> Journal:
    """A journal posted by hand: debit ``worker``'s account of ``kind``, credit ``other_code``
    (a purchase, a remittance, where their own operation is not here)."""
    spec = sub_account_spec(kind, worker=worker)
    other = AccountSpec(other_code, other_code, Account.Kind.ASSET)
    refs = ensure_accounts([spec, other], "EUR")
    accounts = {key: Account.objects.get(pk=ref.pk) for key, ref in refs.items()}
    value = Decimal(amount)
    return post_journal(
        key=key,
        on=datetime.date(2026, 11, 20),
        lines=[(accounts[spec.key], value), (accounts[other.key], -value)],
        memo=key,
        chain=open_chain(f"hand:{key}"),
    )


def ledger_state(worker) -> dict:
    """What a refused payout must leave as it was."""
    return {
        "balances": balances(worker),
        "journals": Journal.objects.count(),
        "entries": Entry.objects.count(),
        "files": PrivateFile.objects.count(),
        "settlements": list(
            ReleaseSettlement.objects.values_list(
                "status", "method", "iban", "amounts", "journal_key", "receipt", "paid_at"
            )
        ),
    }
