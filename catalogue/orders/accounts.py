"""The ledger's accounts for the shop (DESIGN.md, "Ledger"):

    shop:receivables              asset      what buyers owe for invoices not yet paid
    shop:card-clearing            asset      card payments the payment provider has not yet paid out
    bank                          asset      the administration's bank account
    sales:workshop:<id>           income     the sales revenue of the workshop that made the goods
    shop:shipping                 income     what buyers paid for shipping
    tax-payable                   liability  tax collected on sales, owed to the tax authority

Sales revenue is per **making workshop**, net of tax, so that the makers' share of sales and the
auditors read the same money.
"""

from django.utils.translation import gettext as _

from wages.ledger.accounts import BANK, AccountSpec, ensure_accounts, sales_code
from wages.models import Account

RECEIVABLES = "shop:receivables"
CARD_CLEARING = "shop:card-clearing"
SHIPPING_INCOME = "shop:shipping"
TAX_PAYABLE = "tax-payable"

__all__ = [
    "BANK",
    "CARD_CLEARING",
    "RECEIVABLES",
    "SHIPPING_INCOME",
    "TAX_PAYABLE",
    "sales_code",
    "shop_accounts",
    "shop_specs",
]


def shop_specs(workshops) -> list[AccountSpec]:
    """The accounts a sale by ``workshops`` may touch."""
    Kind = Account.Kind
    return [
        AccountSpec(RECEIVABLES, _("shop: receivables"), Kind.ASSET),
        AccountSpec(CARD_CLEARING, _("shop: card payments clearing"), Kind.ASSET),
        AccountSpec(BANK, _("bank"), Kind.ASSET),
        AccountSpec(SHIPPING_INCOME, _("shop: shipping income"), Kind.INCOME),
        AccountSpec(TAX_PAYABLE, _("tax payable"), Kind.LIABILITY),
        *(
            AccountSpec(
                sales_code(workshop.pk),
                _("sales revenue: %(workshop)s") % {"workshop": workshop.name},
                Kind.INCOME,
            )
            for workshop in workshops
        ),
    ]


def shop_accounts(workshops, currency: str) -> dict:
    """The shop's accounts in ``currency`` by code, made where missing."""
    refs = ensure_accounts(shop_specs(workshops), currency)
    loaded = Account.objects.in_bulk([ref.pk for ref in refs.values()])
    return {code: loaded[ref.pk] for code, ref in refs.items()}
