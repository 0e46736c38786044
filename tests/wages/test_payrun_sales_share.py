"""The makers' share of sales (``wages.payruns.sales_share``): a workshop's net sales in the
period, less a shortfall carried in, times the policy's share (10 % in these tests), split by
hours among the workers who made its goods, paid in its own journal per worker."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.wages.payrun_builders import (
    WEEK_1,
    WEEK_2,
    D,
    approved,
    build_pay_world,
    calculated,
    everything,
    journal_entries,
    line_of,
    posted,
    record,
)
from tests.wages.sales_share_builders import refund, sell
from wages.ledger import verify_ledger
from wages.models import PayRunLine, SalesShareCarry
from wages.payruns import approve_pay_run, line_hashes, post_pay_run
from wages.payruns.line_hashes import lines_hash

pytestmark = pytest.mark.django_db


@pytest.fixture
def pay_world():
    return build_pay_world(workers=3)


@pytest.fixture
def three(pay_world):
    """Three workers make tailoring's goods (SKU-A) in week 1: 7, 5 and 3 hours."""
    workers = pay_world.workers
    for worker, hours in zip(workers, ("7", "5", "3"), strict=True):
        record(pay_world, worker, pay_world.tailoring, D(2026, 11, 3), hours)
    return workers


def shares(run) -> dict[str, Decimal]:
    return dict(
        PayRunLine.objects.filter(run=run)
        .order_by("worker__reference")
        .values_list("worker__reference", "sales_share")
    )


def carry(run, workshop) -> tuple:
    row = SalesShareCarry.objects.get(run=run, workshop=workshop)
    return (row.net_revenue, row.carried_in, row.shared, row.share, row.carried_out, row.hours)


def test_a_worked_example_of_the_makers_share(pay_world, three):
    tailoring = pay_world.tailoring
    # Sales in week 1: 250.00 + 130.00 = 380.00; a refund of 43.33; a sale the day after the
    # week (the next run's) and one the day before (the earlier period's) are not counted.
    sell(tailoring, D(2026, 11, 2), "250.00", "inv-1")
    sell(tailoring, D(2026, 11, 8), "130.00", "inv-2")
    refund(tailoring, D(2026, 11, 5), "43.33", "ref-1")
    sell(tailoring, D(2026, 11, 9), "999.00", "inv-3")
    sell(tailoring, D(2026, 11, 1), "888.00", "inv-0")
    # Another workshop's sales are its own makers' (nobody made bakery goods this week).
    sell(pay_world.bakery, D(2026, 11, 4), "500.00", "inv-b")

    run = posted(pay_world)

    # Net = 380.00 − 43.33 = 336.67; 10 % = 33.667, rounded half up once: 33.67.
    # Hours 7 + 5 + 3 = 15. Exact parts 33.67 × 7/15 = 15.7127, × 5/15 = 11.2233,
    # × 3/15 = 6.7340; rounded down 15.71 + 11.22 + 6.73 = 33.66, one cent left, to the largest
    # remainder (0.0040, the third worker): 15.71, 11.22, 6.74 = 33.67 exactly.
    assert shares(run) == {
        "W-000000": Decimal("15.71"),
        "W-000001": Decimal("11.22"),
        "W-000002": Decimal("6.74"),
    }
    assert carry(run, tailoring) == (
        Decimal("336.67"),
        Decimal(0),
        Decimal("336.67"),
        Decimal("33.67"),
        Decimal(0),
        Decimal("15.00"),
    )
    bakery = SalesShareCarry.objects.get(run=run, workshop=pay_world.bakery)
    assert (bakery.net_revenue, bakery.share, bakery.makers) == (Decimal("500.00"), 0, 0)
    assert run.sales_share == Decimal("33.67")
    assert journal_entries(f"payrun:{run.reference}:W-000002:sales-share") == [
        ("sales-share-expense", Decimal("6.74")),
        ("worker:W-000002:own-spending", Decimal("-6.74")),
    ]
    # The share is on top of wages: gross and own spending of the wages' journal are unchanged.
    line = line_of(run, three[2])
    assert (line.gross, line.own_spending) == (Decimal("6.00"), Decimal("3.90"))
    assert verify_ledger() == []


def test_equal_remainders_go_to_the_lower_worker_id(pay_world, three):
    for worker in three:
        record(pay_world, worker, pay_world.tailoring, D(2026, 11, 4), "1")
    # Hours now 8, 6, 4 = 18; net 180.00, share 18.00: 8.00, 6.00, 4.00 exactly.
    sell(pay_world.tailoring, D(2026, 11, 2), "180.00", "inv-1")
    run = calculated(pay_world)
    assert list(shares(run).values()) == [Decimal("8.00"), Decimal("6.00"), Decimal("4.00")]


def test_ties_of_remainder_are_broken_by_worker_id(pay_world):
    for worker in pay_world.workers[:2]:
        record(pay_world, worker, pay_world.tailoring, D(2026, 11, 3), "4")
    # Net 0.10 × 10 % = 0.01, two makers of 4 hours: 0.005 each, one cent, to the lower id.
    sell(pay_world.tailoring, D(2026, 11, 2), "0.10", "inv-1")
    run = calculated(pay_world)
    assert shares(run) == {"W-000000": Decimal("0.01"), "W-000001": Decimal("0.000")}


def test_refunds_reduce_the_share(pay_world, three):
    sell(pay_world.tailoring, D(2026, 11, 2), "300.00", "inv-1")
    refund(pay_world.tailoring, D(2026, 11, 6), "150.00", "ref-1")
    run = calculated(pay_world)
    assert run.sales_share == Decimal("15.00")  # (300 − 150) × 10 %
    assert sum(shares(run).values()) == Decimal("15.00")


def test_a_negative_period_pays_nothing_and_the_next_subtracts_the_shortfall(pay_world, three):
    tailoring = pay_world.tailoring
    # Week 1: only a refund of an earlier sale: net −40.00, nothing paid, 40.00 carried.
    refund(tailoring, D(2026, 11, 3), "40.00", "ref-1")
    first = posted(pay_world)
    assert carry(first, tailoring) == (
        Decimal("-40.00"),
        Decimal(0),
        Decimal(0),
        Decimal(0),
        Decimal("40.00"),
        Decimal("15.00"),
    )
    assert set(shares(first).values()) == {Decimal(0)}
    assert not PayRunLine.objects.filter(run=first, sales_share__gt=0).exists()
    # Week 2: sales of 100.00, less the 40.00 carried: 60.00 shared, 6.00 paid, by hours 2 and 1.
    record(pay_world, three[0], tailoring, D(2026, 11, 10), "2")
    record(pay_world, three[1], tailoring, D(2026, 11, 11), "1")
    sell(tailoring, D(2026, 11, 12), "100.00", "inv-1")
    second = posted(pay_world, WEEK_2)
    assert carry(second, tailoring) == (
        Decimal("100.00"),
        Decimal("40.00"),
        Decimal("60.00"),
        Decimal("6.00"),
        Decimal(0),
        Decimal("3.00"),
    )
    assert shares(second) == {"W-000000": Decimal("4.00"), "W-000001": Decimal("2.00")}
    assert verify_ledger() == []


def test_a_shortfall_larger_than_the_next_period_carries_on(pay_world, three):
    refund(pay_world.tailoring, D(2026, 11, 3), "40.00", "ref-1")
    posted(pay_world)
    record(pay_world, three[0], pay_world.tailoring, D(2026, 11, 10), "2")
    sell(pay_world.tailoring, D(2026, 11, 12), "25.00", "inv-1")
    second = calculated(pay_world, WEEK_2)
    assert carry(second, pay_world.tailoring)[1:5] == (
        Decimal("40.00"),
        Decimal(0),
        Decimal(0),
        Decimal("15.00"),
    )


def test_a_cancelled_runs_carry_is_not_carried(pay_world, three):
    from wages.payruns import cancel_pay_run

    refund(pay_world.tailoring, D(2026, 11, 3), "40.00", "ref-1")
    cancel_pay_run(calculated(pay_world), user=pay_world.calculator, reason="wrong week")
    record(pay_world, three[0], pay_world.tailoring, D(2026, 11, 10), "2")
    sell(pay_world.tailoring, D(2026, 11, 12), "100.00", "inv-1")
    second = calculated(pay_world, WEEK_2)
    assert carry(second, pay_world.tailoring)[1:4] == (0, Decimal("100.00"), Decimal("10.00"))


def test_the_approval_hash_changes_if_the_share_changes(pay_world, three, monkeypatch):
    sell(pay_world.tailoring, D(2026, 11, 2), "100.00", "inv-1")
    run = calculated(pay_world)
    pinned = run.result_hash
    line = PayRunLine.objects.get(run=run, worker=three[0])
    line.sales_share += Decimal("0.01")
    line.save(update_fields=["sales_share"])
    assert lines_hash(run) != pinned
    before = everything()
    with pytest.raises(ValidationError, match="changed after it was calculated"):
        approve_pay_run(run, user=pay_world.approver)
    assert everything() == before


def test_a_run_without_shares_hashes_as_before_the_share_existed(pay_world, three, monkeypatch):
    run = calculated(pay_world)  # no sales: no line pays a share
    new_form = lines_hash(run, in_database=False)
    monkeypatch.setattr(line_hashes, "PAID_FIELDS", ())
    assert lines_hash(run, in_database=False) == new_form


def test_posting_refuses_when_sales_changed_after_the_calculation(pay_world, three):
    sell(pay_world.tailoring, D(2026, 11, 2), "100.00", "inv-1")
    run = approved(pay_world)
    sell(pay_world.tailoring, D(2026, 11, 7), "20.00", "inv-late")
    before = everything()
    with pytest.raises(ValidationError, match=r"net sales of Workshop .* changed"):
        post_pay_run(run, user=pay_world.approver)
    assert everything() == before


def test_revenue_is_counted_by_one_run_only(pay_world, three):
    sell(pay_world.tailoring, D(2026, 11, 8), "100.00", "inv-1")  # week 1's last day
    sell(pay_world.tailoring, D(2026, 11, 9), "50.00", "inv-2")  # week 2's first day
    first = posted(pay_world)
    record(pay_world, three[0], pay_world.tailoring, D(2026, 11, 10), "2")
    second = posted(pay_world, WEEK_2)
    assert (first.sales_share, second.sales_share) == (Decimal("10.00"), Decimal("5.00"))
    assert WEEK_1[1] < WEEK_2[0]


def test_the_line_and_the_run_show_the_share(client, pay_world, three):
    from tests.brand.builders import build_home
    from tests.wages.payrun_screens import page_url, signed_in

    build_home()
    sell(pay_world.tailoring, D(2026, 11, 2), "336.67", "inv-1")
    run = calculated(pay_world)
    signed_in(client, pay_world.approver)
    line = client.get(f"/admin/wages/payrun/lines/{line_of(run, three[2]).pk}/").text
    assert "share of sales" in line and "€6.74" in line
    page = client.get(page_url(run)).text
    assert "€33.67" in page
