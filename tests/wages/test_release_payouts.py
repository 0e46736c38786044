"""Paying a released worker out (``wages.releases.payouts``): the journal, the settlement, the
receipt, and every refusal changing nothing."""

import subprocess
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.wages.payrun_builders import D, journal_entries, record
from tests.wages.release_builders import WEEK_1_BALANCES, build_released, ledger_state
from wages.ledger.worker_accounts import balances
from wages.models import Journal, ReleaseSettlement
from wages.releases.payouts import release_payout

pytestmark = pytest.mark.django_db
IBAN = "DE89 3704 0044 0532 0130 00"


def text_of(private_file) -> str:
    with private_file.file.open("rb") as pdf:
        return subprocess.run(
            ["pdftotext", "-layout", "-", "-"], input=pdf.read(), capture_output=True, check=True
        ).stdout.decode()


def test_a_ready_worker_is_paid_out_every_balance_by_transfer(pay_world):
    settlement = build_released(pay_world)
    worker = pay_world.workers[0]
    assert settlement.status == ReleaseSettlement.Status.READY
    assert balances(worker) == WEEK_1_BALANCES

    settlement = release_payout(
        settlement=settlement, method="transfer", iban=IBAN, user=pay_world.approver
    )

    # 14.95 + 2.30 + 4.60 = 21.85, all out of the bank
    assert journal_entries(f"release:{worker.reference}") == [
        ("bank", Decimal("-21.850")),
        (f"worker:{worker.reference}:family", Decimal("2.300")),
        (f"worker:{worker.reference}:own-spending", Decimal("14.950")),
        (f"worker:{worker.reference}:release-savings", Decimal("4.600")),
    ]
    assert balances(worker) == dict.fromkeys(WEEK_1_BALANCES, Decimal(0))
    assert Journal.objects.get(key=f"release:{worker.reference}").chain.name.startswith("wages:")
    assert (settlement.status, settlement.method, settlement.iban) == (
        "paid",
        "transfer",
        "DE89370400440532013000",
    )
    assert settlement.amounts == {
        "own_spending": "14.95",
        "release_savings": "4.60",
        "family": "2.30",
        "back_wages": "0.00",
    }
    text = text_of(settlement.receipt)
    for shown in (
        "W-000000",
        "€14.95",
        "€4.60",
        "€2.30",
        "€21.85",
        "bank transfer",
        "DE89 3704 0044 0532 0130 00",
    ):
        assert shown in text
    assert "Receipt: savings and wages paid out" in text
    assert "Legal" not in text and "tailoring" not in text.lower()


def test_cash_credits_the_cash_office(pay_world):
    settlement = build_released(pay_world)

    release_payout(settlement=settlement, method="cash", user=pay_world.approver)

    assert journal_entries("release:W-000000")[0] == ("cash", Decimal("-21.850"))


def test_the_receipt_is_in_the_workers_language(pay_world):
    settlement = build_released(pay_world)
    pay_world.workers[0].__class__.objects.filter(pk=pay_world.workers[0].pk).update(language="fr")
    settlement.refresh_from_db()

    settlement = release_payout(settlement=settlement, method="cash", user=pay_world.approver)

    text = text_of(settlement.receipt)
    assert "W-000000" in text and "21,85" in text


def test_paying_out_twice_is_refused_and_changes_nothing(pay_world):
    settlement = build_released(pay_world)
    release_payout(settlement=settlement, method="cash", user=pay_world.approver)
    before = ledger_state(pay_world.workers[0])

    with pytest.raises(ValidationError, match="a worker is paid out once"):
        release_payout(
            settlement=settlement, method="transfer", iban=IBAN, user=pay_world.calculator
        )

    assert ledger_state(pay_world.workers[0]) == before


def test_unpaid_work_is_refused_in_words_and_changes_nothing(pay_world):
    settlement = build_released(pay_world)
    # a record of the release day entered after week 1 was posted: no posted run pays it
    record(pay_world, pay_world.workers[0], pay_world.tailoring, D(2026, 11, 6), "3")
    before = ledger_state(pay_world.workers[0])

    with pytest.raises(ValidationError) as refused:
        release_payout(settlement=settlement, method="cash", user=pay_world.approver)

    assert refused.value.messages == [
        "W-000000's final pay is not paid yet: 1 production records, 0 training sessions and 0 "
        "adjustments at North Prison (3.00 hours) are in no posted pay run. Post the pay run "
        "that covers Nov 8, 2026 first, then pay out."
    ]
    assert ledger_state(pay_world.workers[0]) == before


@pytest.mark.parametrize(
    ("iban", "problem"),
    [
        ("", "A bank transfer needs the worker's IBAN"),
        ("DE89370400440532013001", "is not a valid IBAN"),
    ],
)
def test_a_transfer_without_a_valid_iban_is_refused(pay_world, iban, problem):
    settlement = build_released(pay_world)
    before = ledger_state(pay_world.workers[0])

    with pytest.raises(ValidationError, match=problem):
        release_payout(settlement=settlement, method="transfer", iban=iban, user=pay_world.approver)

    assert ledger_state(pay_world.workers[0]) == before


def test_only_finance_pays_out(pay_world):
    settlement = build_released(pay_world)
    before = ledger_state(pay_world.workers[0])

    with pytest.raises(PermissionDenied):
        release_payout(settlement=settlement, method="cash", user=pay_world.world.supervisor)

    assert ledger_state(pay_world.workers[0]) == before
