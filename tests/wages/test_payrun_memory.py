"""A pay run's memory does not grow with its workers (issue 16, item 13): the calculation holds
one worker's earnings at a time, and ``post_journals`` keeps nothing per journal or per account
from one batch to the next (the database sums what each call wrote into the balances, on
PostgreSQL), while still posting a key given twice in one call once and refusing it with other
lines. Runs on SQLite and on PostgreSQL."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from tests.wages.payrun_builders import (
    EUR,
    D,
    attend,
    balances,
    build_pay_world,
    calculated,
    everything,
    record,
)
from wages.ledger import (
    JournalKeyReused,
    Posting,
    open_chain,
    post_journal,
    post_journals,
    verify_ledger,
)
from wages.models import Account, Journal
from wages.models.ledger import AMOUNT_LIMIT
from wages.payruns import calculation as payrun_calculation

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]
ON = D(2026, 11, 8)


class CountedEarnings(payrun_calculation.Earnings):
    """``Earnings`` that count how many of them are alive at once."""

    alive = 0
    most = 0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        CountedEarnings.alive += 1
        CountedEarnings.most = max(CountedEarnings.most, CountedEarnings.alive)

    def __del__(self):
        CountedEarnings.alive -= 1


def test_a_calculation_holds_one_workers_earnings_at_a_time(monkeypatch):
    """Each source (the work, the training) is read in the order of the workers' ids and merged:
    before, every worker's earnings were held until the last was read (three here, 100,000 in
    the bench, some 180 MB)."""
    pay = build_pay_world(workers=3)
    first, second, third = pay.workers
    record(pay, first, pay.tailoring, D(2026, 11, 2), "6", 40)  # 6 x 2.00 + 40 x 0.125 = 17.00
    record(pay, second, pay.bakery, D(2026, 11, 3), "2", 10)  # 2 x 6.50 + 10 x 0.10 = 14.00
    attend(pay, first, D(2026, 11, 4), "3")  # 3 x 1.00
    attend(pay, third, D(2026, 11, 4), "2")  # training only: 2 x 1.00
    monkeypatch.setattr(CountedEarnings, "most", 0)
    monkeypatch.setattr(payrun_calculation, "Earnings", CountedEarnings)

    run = calculated(pay)

    assert CountedEarnings.most == 1
    assert [
        (line.worker.reference, line.hours, line.training_hours, line.payers, line.gross)
        for line in run.lines.select_related("worker").order_by("worker__reference")
    ] == [
        (first.reference, Decimal("6.00"), Decimal("3.00"), {"own": "20.00"}, Decimal("20.00")),
        (
            second.reference,
            Decimal("2.00"),
            Decimal("0.00"),
            {pay.payer: "14.00"},
            Decimal("14.00"),
        ),
        (third.reference, Decimal("0.00"), Decimal("2.00"), {"own": "2.00"}, Decimal("2.00")),
    ]
    assert (run.workers, run.gross) == (3, Decimal("36.00"))


# post_journals, in batches


@pytest.fixture
def books():
    return SimpleNamespace(
        wages=Account.objects.create(
            code="wages", name="Wages", kind=Account.Kind.EXPENSE, currency=EUR
        ),
        owed=Account.objects.create(
            code="owed", name="Owed", kind=Account.Kind.LIABILITY, currency=EUR
        ),
        chain=open_chain("batch"),
    )


def posting(books, key, amount="10.00", *, on=ON) -> Posting:
    return Posting(
        key=key,
        on=on,
        memo="Pay",
        lines=[(books.wages, Decimal(amount)), (books.owed, -Decimal(amount))],
    )


BATCHES = pytest.mark.parametrize("batch", [1, 2_000], ids=["across batches", "in one batch"])


@BATCHES
def test_a_key_given_twice_in_one_call_with_the_same_lines_posts_once(books, monkeypatch, batch):
    monkeypatch.setattr("wages.ledger.bulk_posting.POSTING_BATCH", batch)

    new = post_journals(
        [posting(books, "k-1", "10.00"), posting(books, "k-2", "2.00"), posting(books, "k-1")],
        chain=books.chain,
    )

    assert new == 2
    assert list(Journal.objects.order_by("sequence").values_list("key", "sequence")) == [
        ("k-1", 1),
        ("k-2", 2),
    ]
    assert balances() == {"owed": Decimal("-12.00"), "wages": Decimal("12.00")}
    assert verify_ledger() == []


@BATCHES
@pytest.mark.parametrize(
    "again", [{"amount": "11.00"}, {"on": ON + datetime.timedelta(days=1)}], ids=["amount", "day"]
)
def test_a_key_given_twice_in_one_call_with_other_lines_is_refused(
    books, monkeypatch, batch, again
):
    monkeypatch.setattr("wages.ledger.bulk_posting.POSTING_BATCH", batch)
    before = everything()

    with pytest.raises(JournalKeyReused) as refused:
        post_journals(
            [posting(books, "k-1", "10.00"), posting(books, "k-2"), posting(books, "k-1", **again)],
            chain=books.chain,
        )

    assert refused.value.messages == ["The journal key k-1 was used before with other lines."]
    assert everything() == before


def test_the_balances_gain_what_the_call_wrote_in_every_batch(books, monkeypatch):
    """Journals of the chain before the call, and of another chain, are not added again."""
    monkeypatch.setattr("wages.ledger.bulk_posting.POSTING_BATCH", 2)
    post_journals([posting(books, "k-1", "1.00")], chain=books.chain)
    post_journals([posting(books, "o-1", "100.00")], chain=open_chain("other"))

    new = post_journals(
        [posting(books, f"k-{n}", f"{n}.25") for n in range(2, 7)], chain=books.chain
    )

    assert new == 5
    # 1.00 + 100.00 + 2.25 + 3.25 + 4.25 + 5.25 + 6.25
    assert balances() == {"owed": Decimal("-122.25"), "wages": Decimal("122.25")}
    assert verify_ledger() == []


def test_a_balance_past_the_column_after_several_batches_is_refused_in_words(books, monkeypatch):
    """Each batch fits; their sum does not: the check is of what the whole call adds."""
    monkeypatch.setattr("wages.ledger.bulk_posting.POSTING_BATCH", 1)
    most = AMOUNT_LIMIT - Decimal(10)
    post_journal(
        key="k-0",
        on=ON,
        lines=[(books.wages, most), (books.owed, -most)],
        memo="Pay",
        chain=books.chain,
    )
    before = everything()

    with pytest.raises(ValidationError) as refused:
        post_journals(
            [posting(books, "k-1", "6.00"), posting(books, "k-2", "4.00")], chain=books.chain
        )

    assert refused.value.messages == [
        "The balance of wages would be 1000000000000.00 EUR, more than the ledger holds.",
        "The balance of owed would be -1000000000000.00 EUR, more than the ledger holds.",
    ]
    assert everything() == before
