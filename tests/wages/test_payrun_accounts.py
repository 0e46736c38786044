"""Whose accounts a pay run credits (``wages.ledger.accounts``).

- A worker's accounts are found by the worker and what the account is for, never by the code,
  which names the worker by the reference they had when it was made: even a swap of references
  made behind the database's back pays each worker into their own accounts.
- A deduction is credited to the worker's own account when its category says so
  (``credited_to_worker``), not by its code, which staff may edit.

Each worker's week is tailoring only (2.00 an hour and 0.125 a piece, above the floor), split by
the policy of ``tests.wages.payrun_builders``: family 10 %, release savings 20 %, victims' fund
5 %, and own spending the rest.
"""

from decimal import Decimal

import pytest
from django.db import connection

from tests.wages.payrun_builders import (
    WEEK_1,
    WEEK_2,
    D,
    build_policy,
    draft,
    everything,
    journal_entries,
    posted,
    record,
)
from tests.wages.payrun_examples import refusal
from wages.ledger import verify_ledger
from wages.models import Account
from wages.payruns import approve_pay_run, calculate_pay_run, post_pay_run
from workshops.models import DeductionCategory, Worker

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]

RUN_1 = "PR-north-prison-2026-11-02"
RUN_2 = "PR-north-prison-2026-11-09"


def week_of_tailoring(pay, day):
    """The first worker earns 17.00 (6 h, 40 pieces), the second 11.00 (4 h, 24 pieces)."""
    first, second = pay.workers
    record(pay, first, pay.tailoring, day, "6", 40)
    record(pay, second, pay.tailoring, day, "4", 24)


def accounts_of(worker) -> dict[str, tuple[str, str]]:
    """The worker's accounts: code → (purpose, balance)."""
    return {
        code: (purpose, f"{balance:.2f}")
        for code, purpose, balance in Account.objects.filter(worker=worker).values_list(
            "code", "purpose", "balance"
        )
    }


def switch_off_reference_guards() -> None:
    """As a database writer could: the change below is then made behind the guards' back (the
    test's transaction brings them back)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE workshops_worker DISABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS workshops_worker_reference_fixed")


def test_a_swap_of_references_still_pays_each_worker_into_their_own_accounts(pay_world):
    first, second = pay_world.workers
    week_of_tailoring(pay_world, D(2026, 11, 2))
    posted(pay_world, WEEK_1)
    accounts = Account.objects.count()
    switch_off_reference_guards()
    Worker.objects.filter(pk=first.pk).update(reference="W-SWAP")
    Worker.objects.filter(pk=second.pk).update(reference="W-000000")
    Worker.objects.filter(pk=first.pk).update(reference="W-000001")
    week_of_tailoring(pay_world, D(2026, 11, 9))

    posted(pay_world, WEEK_2)

    # The first worker now holds W-000001: the journal is keyed so, the accounts are theirs.
    assert journal_entries(f"payrun:{RUN_2}:W-000001") == sorted(
        [
            ("wages-expense", Decimal("17.00")),
            ("worker:W-000000:family", Decimal("-1.70")),
            ("worker:W-000000:release-savings", Decimal("-3.40")),
            ("deduction:victims-fund", Decimal("-0.85")),
            ("worker:W-000000:own-spending", Decimal("-11.05")),
        ]
    )
    assert accounts_of(first) == {
        "worker:W-000000:family": (family_purpose(), "-3.40"),
        "worker:W-000000:release-savings": (savings_purpose(), "-6.80"),
        "worker:W-000000:own-spending": ("own-spending", "-22.10"),
    }
    assert accounts_of(second) == {
        "worker:W-000001:family": (family_purpose(), "-2.20"),
        "worker:W-000001:release-savings": (savings_purpose(), "-4.40"),
        "worker:W-000001:own-spending": ("own-spending", "-14.30"),
    }
    assert Account.objects.count() == accounts
    assert verify_ledger() == []


def family_purpose() -> str:
    return f"category:{DeductionCategory.objects.get(name='Family').pk}"


def savings_purpose() -> str:
    return f"category:{DeductionCategory.objects.get(name='Release-Savings').pk}"


def test_a_worker_whose_reference_another_workers_account_holds_gets_an_account_of_their_own(
    pay_world,
):
    """A worker's new account whose usual code is taken (a used reference was given to someone
    else behind the database's back) is still the worker's own, under a code of its own."""
    first, second = pay_world.workers
    record(pay_world, first, pay_world.tailoring, D(2026, 11, 2), "6", 40)
    posted(pay_world, WEEK_1)
    switch_off_reference_guards()
    Worker.objects.filter(pk=first.pk).update(reference="W-000009")
    Worker.objects.filter(pk=second.pk).update(reference="W-000000")
    record(pay_world, second, pay_world.tailoring, D(2026, 11, 9), "4", 24)

    posted(pay_world, WEEK_2)

    assert set(accounts_of(second)) == {
        f"worker:W-000000:family#{second.pk}",
        f"worker:W-000000:release-savings#{second.pk}",
        f"worker:W-000000:own-spending#{second.pk}",
    }
    assert accounts_of(second)[f"worker:W-000000:own-spending#{second.pk}"] == (
        "own-spending",
        "-7.15",
    )
    assert accounts_of(first)["worker:W-000000:own-spending"] == ("own-spending", "-11.05")
    assert verify_ledger() == []


def test_a_renamed_and_recoded_category_keeps_crediting_the_worker(pay_world):
    first = pay_world.workers[0]
    record(pay_world, first, pay_world.tailoring, D(2026, 11, 2), "6", 40)
    posted(pay_world, WEEK_1)
    DeductionCategory.objects.filter(code="family").update(
        code="family-support", name="Family support"
    )
    record(pay_world, first, pay_world.tailoring, D(2026, 11, 9), "6", 40)

    run = posted(pay_world, WEEK_2)

    assert run.lines.get().deductions == {
        "family-support": "1.70",
        "release-savings": "3.40",
        "victims-fund": "0.85",
    }
    assert ("worker:W-000000:family", Decimal("-1.70")) in journal_entries(
        f"payrun:{RUN_2}:W-000000"
    )
    assert accounts_of(first)["worker:W-000000:family"] == (
        family_purpose_of("family-support"),
        "-3.40",
    )
    assert not Account.objects.filter(code__contains="family-support").exists()


def family_purpose_of(code: str) -> str:
    return f"category:{DeductionCategory.objects.get(code=code).pk}"


def test_a_new_category_credited_to_the_worker_has_its_own_account_of_the_worker(pay_world):
    first = pay_world.workers[0]
    tools = DeductionCategory.objects.create(
        code="tools-on-release", name="Tools on release", credited_to_worker=True
    )
    DeductionCategory.objects.create(code="board", name="Board")  # held for others
    pay_world.policy.delete()
    build_policy(allocations=(("tools-on-release", "10", 1), ("board", "10", 2)))
    record(pay_world, first, pay_world.tailoring, D(2026, 11, 2), "6", 40)

    posted(pay_world, WEEK_1)

    assert journal_entries(f"payrun:{RUN_1}:W-000000") == sorted(
        [
            ("wages-expense", Decimal("17.00")),
            ("worker:W-000000:tools-on-release", Decimal("-1.70")),
            ("deduction:board", Decimal("-1.70")),
            ("worker:W-000000:own-spending", Decimal("-13.60")),
        ]
    )
    assert accounts_of(first)["worker:W-000000:tools-on-release"] == (
        f"category:{tools.pk}",
        "-1.70",
    )
    assert Account.objects.get(code="deduction:board").worker_id is None


def test_a_category_recoded_between_approval_and_posting_refuses_the_posting(pay_world):
    record(pay_world, pay_world.workers[0], pay_world.tailoring, D(2026, 11, 2), "6", 40)
    run = approve_pay_run(
        calculate_pay_run(draft(pay_world, WEEK_1), user=pay_world.calculator),
        user=pay_world.approver,
    )
    DeductionCategory.objects.filter(code="victims-fund").update(code="victims")

    assert refusal(lambda: post_pay_run(run, user=pay_world.approver)) == [
        f"Pay run {RUN_1} deducts for category victims-fund, which no longer exists under that "
        "code: cancel the run and calculate a new one."
    ]
    assert everything()["journals"] == []
