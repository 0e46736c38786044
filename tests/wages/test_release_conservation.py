"""Conservation (issue 22): every euro posted to a worker is paid out, held, or remitted (or spent
by the worker), and a released worker ends at zero.

The history of W-000000, with its arithmetic (policy: family 10 %, release savings 20 %, victims'
fund 5 % held for everyone, own spending what is left):

    week 1  tailoring 6 h + 40 pieces, 2 h; training 2 h     gross 23.00
            own 14.95, family 2.30, savings 4.60 (victims' fund 1.15)  to the worker: 21.85
    week 2  crew 8 h at 1.80 = 14.40, below the floor of 2.25 an hour: back wages 3.60 (own)
            own 9.36, family 1.44, savings 2.88 (victims' fund 0.72)   to the worker: 13.68 + 3.60
    purchase (canteen)  Dr own spending 5.00          remittance  Dr family 2.30, Cr bank
    released on 15 November, before week 2 was posted: waiting, then ready when it is
    the administration pays 2.00 of the back wages it owes; payout:
            own 14.95 + 9.36 − 5.00 = 19.31, family 2.30 + 1.44 − 2.30 = 1.44,
            savings 4.60 + 2.88 = 7.48, back wages 2.00 of 3.60          paid out 30.23
    it pays the other 1.60; the back wages are paid out                 paid out 1.60

    credited 21.85 + 13.68 + 3.60 = 39.13 = paid out 31.83 + remitted 2.30 + spent 5.00 + held 0
"""

from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.wages.payrun_builders import WEEK_2, D, posted, record
from tests.wages.release_builders import direct_journal, ledger_state, released, week_1_worked
from wages.ledger import verify_ledger
from wages.ledger.worker_accounts import balances
from wages.models import Account, Entry, PayRun, PayRunLine
from wages.payruns.back_wages_receipts import record_back_wages_receipt
from wages.releases.payouts import release_payout, release_payout_back_wages

pytestmark = pytest.mark.django_db
ZERO = Decimal(0)


def where_it_went(worker) -> dict[str, Decimal]:
    """Every entry on the worker's accounts, read from the ledger: credits (what was posted to
    the worker) and debits by the journal's kind (its key's first word)."""
    found = defaultdict(Decimal)
    entries = Entry.objects.filter(account__worker=worker).select_related("journal")
    for entry in entries:
        if entry.amount < 0:
            found["credited"] -= entry.amount
        else:
            found[entry.journal.key.split(":")[0]] += entry.amount
    found["held"] = -sum(
        Account.objects.filter(worker=worker).values_list("balance", flat=True), ZERO
    )
    return dict(found)


def credited_by_pay_runs(worker) -> Decimal:
    """What the posted runs' lines credited the worker, read from the lines, not the ledger."""
    total = ZERO
    for line in PayRunLine.objects.filter(worker=worker, run__status=PayRun.Status.POSTED):
        total += line.own_spending + line.back_wages
        total += Decimal(line.deductions.get("family", "0"))
        total += Decimal(line.deductions.get("release-savings", "0"))
    return total


def test_every_euro_posted_to_a_released_worker_is_paid_out_remitted_or_spent(pay_world):
    worker = pay_world.workers[0]
    week_1_worked(pay_world)
    posted(pay_world)
    record(pay_world, worker, pay_world.crew, D(2026, 11, 9), "8")
    direct_journal("purchase:canteen-1", worker, "own_spending", "5.00", "canteen")
    direct_journal("remit:family-1", worker, "family", "2.30")
    settlement = released(pay_world, on=D(2026, 11, 15))
    assert settlement.status == "waiting"

    posted(pay_world, WEEK_2)
    settlement.refresh_from_db()
    assert settlement.status == "ready"
    record_back_wages_receipt(
        payer="own",
        amount=Decimal("2.00"),
        on=D(2026, 11, 20),
        source="Budget",
        key="bw-1",
        user=pay_world.approver,
        check_permission=False,
    )
    settlement = release_payout(settlement=settlement, method="cash", user=pay_world.approver)

    assert settlement.amounts == {
        "own_spending": "19.31",
        "release_savings": "7.48",
        "family": "1.44",
        "back_wages": "2.00",
    }
    assert settlement.back_wages_by_payer == {"own": "2.00"}
    assert balances(worker)["back_wages"] == Decimal("1.60")

    record_back_wages_receipt(
        payer="own",
        amount=Decimal("1.60"),
        on=D(2026, 11, 21),
        source="Budget",
        key="bw-2",
        user=pay_world.approver,
        check_permission=False,
    )
    release_payout_back_wages(settlement=settlement, user=pay_world.approver)

    assert where_it_went(worker) == {
        "credited": Decimal("39.130"),
        "release": Decimal("31.830"),
        "remit": Decimal("2.300"),
        "purchase": Decimal("5.000"),
        "held": ZERO,
    }
    assert credited_by_pay_runs(worker) == Decimal("39.13")
    assert balances(worker) == dict.fromkeys(balances(worker), ZERO)
    assert verify_ledger() == []


def test_back_wages_not_yet_received_stay_owed_until_they_are(pay_world):
    worker = pay_world.workers[0]
    # 16 h of own work for 21.00 + 14.40 = 35.40, the floor 36.00: back wages 0.60 (own)
    record(pay_world, worker, pay_world.crew, D(2026, 11, 5), "8")
    week_1_worked(pay_world)
    posted(pay_world)
    settlement = released(pay_world)

    settlement = release_payout(settlement=settlement, method="cash", user=pay_world.approver)
    assert settlement.amounts["back_wages"] == "0.00"
    before = ledger_state(worker)

    with pytest.raises(ValidationError) as refused:
        release_payout_back_wages(settlement=settlement, user=pay_world.approver)

    assert refused.value.messages == [
        "W-000000 is owed €0.60 of back wages by own, whose payments still hold €0.00: record "
        "the payer's payment first, then pay out."
    ]
    assert ledger_state(worker) == before
    assert balances(worker)["back_wages"] == Decimal("0.60")
