"""What the shop posts that the makers' share reads: sales and refunds of a workshop's goods in its
income account ``sales:workshop:<id>`` (against the bank), as journals dated on a given day."""

from decimal import Decimal

from wages.ledger import post_journal
from wages.ledger.accounts import BANK, AccountSpec, ensure_accounts, sales_code
from wages.ledger.days import todays_chain
from wages.models import Account


def _accounts(workshop):
    specs = [
        AccountSpec(BANK, "Bank", Account.Kind.ASSET),
        AccountSpec(sales_code(workshop.pk), f"Sales {workshop.slug}", Account.Kind.INCOME),
    ]
    found = ensure_accounts(specs, "EUR")
    accounts = Account.objects.in_bulk([found[BANK].pk, found[sales_code(workshop.pk)].pk])
    return accounts[found[BANK].pk], accounts[found[sales_code(workshop.pk)].pk]


def sell(workshop, on, amount: str, key: str):
    """An invoice's goods, excluding tax and shipping: Dr bank, Cr sales."""
    bank, sales = _accounts(workshop)
    return post_journal(
        key=key,
        on=on,
        lines=[(bank, Decimal(amount)), (sales, -Decimal(amount))],
        memo=f"Invoice {key}",
        chain=todays_chain("wages"),
    )


def refund(workshop, on, amount: str, key: str):
    """A refund of goods: Dr sales, Cr bank."""
    bank, sales = _accounts(workshop)
    return post_journal(
        key=key,
        on=on,
        lines=[(sales, Decimal(amount)), (bank, -Decimal(amount))],
        memo=f"Refund {key}",
        chain=todays_chain("wages"),
    )
