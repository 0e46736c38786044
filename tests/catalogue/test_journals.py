"""The shop's money in the ledger (``catalogue.orders.journals``): one journal per invoice and per
payment, balanced, in the day's chain of shop journals, replayed safely, and closed by
``close_ledger_day``."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from catalogue.invoices.issuing import issue_invoice
from catalogue.orders.journals import (
    chain_name,
    close_ledger_day,
    post_invoice_journal,
    post_payment_journal,
)
from tests.catalogue.order_builders import D, build_order, build_shop
from wages.models import Account, Chain, Checkpoint, Journal

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]


def entries(journal) -> dict[str, Decimal]:
    return dict(journal.entries.values_list("account__code", "amount"))


def balances() -> dict[str, Decimal]:
    return dict(Account.objects.exclude(balance=0).values_list("code", "balance"))


@pytest.fixture
def invoiced():
    shop = build_shop()
    order = build_order(shop)
    return shop, issue_invoice(order, on=D(2026, 12, 6))


def test_an_invoice_posts_receivables_against_each_workshops_revenue_tax_and_shipping(invoiced):
    shop, invoice = invoiced
    journal = post_invoice_journal(invoice)
    assert entries(journal) == {
        "shop:receivables": Decimal("60.50"),
        f"sales:workshop:{shop.bakery.pk}": Decimal("-20.00"),
        f"sales:workshop:{shop.sewing.pk}": Decimal("-25.42"),
        "shop:shipping": Decimal("-5.00"),
        "tax-payable": Decimal("-10.08"),
    }
    assert (journal.key, journal.on) == ("invoice:2026-000001", D(2026, 12, 6))
    assert journal.chain.name == chain_name(timezone.localdate())
    assert Account.objects.get(code=f"sales:workshop:{shop.bakery.pk}").kind == "income"


def test_posting_an_invoice_again_returns_the_journal_and_changes_no_balance(invoiced):
    _shop, invoice = invoiced
    first = post_invoice_journal(invoice)
    before = balances()
    assert post_invoice_journal(invoice).pk == first.pk
    assert Journal.objects.count() == 1 and balances() == before


def test_a_transfer_moves_the_total_from_receivables_to_the_bank(invoiced):
    _shop, invoice = invoiced
    post_invoice_journal(invoice)
    payment = post_payment_journal(invoice.order, on=D(2026, 12, 8))
    assert entries(payment) == {"bank": Decimal("60.50"), "shop:receivables": Decimal("-60.50")}
    assert post_payment_journal(invoice.order, on=D(2026, 12, 8)).pk == payment.pk
    assert balances() == {
        "bank": Decimal("60.500"),
        f"sales:workshop:{invoice.order.lines.get(sku__code='BREAD').workshop_id}": Decimal(
            "-20.000"
        ),
        f"sales:workshop:{invoice.order.lines.get(sku__code='APRON').workshop_id}": Decimal(
            "-25.420"
        ),
        "shop:shipping": Decimal("-5.000"),
        "tax-payable": Decimal("-10.080"),
    }


def test_a_card_payment_goes_to_card_clearing(invoiced):
    _shop, invoice = invoiced
    payment = post_payment_journal(invoice.order, on=D(2026, 12, 6), card=True)
    assert entries(payment) == {
        "shop:card-clearing": Decimal("60.50"),
        "shop:receivables": Decimal("-60.50"),
    }


def test_closing_a_day_appends_its_chain_to_the_checkpoints_once(invoiced, monkeypatch):
    _shop, invoice = invoiced
    today = timezone.localdate()
    post_invoice_journal(invoice)
    tomorrow = today + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args: tomorrow)  # the day is over
    out = io.StringIO()
    call_command("close_ledger_day", stdout=out)
    checkpoint = Checkpoint.objects.get(chain_name=chain_name(today))
    assert out.getvalue() == (
        f"Closed shop:{today.isoformat()}: 1 journal(s), checkpoint #{checkpoint.sequence}.\n"
    )
    assert Chain.objects.get(name=chain_name(today)).closed_at is not None
    assert close_ledger_day(today).pk == checkpoint.pk  # again: the same checkpoint
    assert Checkpoint.objects.count() == 1


def test_a_day_not_over_is_not_closed_and_nothing_changes(invoiced):
    _shop, invoice = invoiced
    post_invoice_journal(invoice)
    with pytest.raises(CommandError, match=r"is not over yet"):
        call_command("close_ledger_day", "--day", timezone.localdate().isoformat())
    with pytest.raises(CommandError, match=r"'6 Dec' is not a date: write it as YYYY-MM-DD"):
        call_command("close_ledger_day", "--day", "6 Dec")
    assert not Checkpoint.objects.exists()
    assert Chain.objects.get().closed_at is None


def test_a_day_without_shop_journals_closes_nothing(invoiced):
    out = io.StringIO()
    call_command("close_ledger_day", "--day", "2026-01-01", stdout=out)
    assert out.getvalue() == "No shop journals were posted on 2026-01-01.\n"
    assert not Checkpoint.objects.exists()
