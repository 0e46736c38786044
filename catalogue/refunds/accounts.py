"""The ledger account a refund on invoice owes to its buyer until it is paid back:

    shop:refunds-owed             liability  refunds on invoice not yet transferred to the buyer

The other accounts a refund touches are the shop's (``catalogue.orders.accounts``).
"""

from django.utils.translation import gettext as _

from catalogue.orders.accounts import shop_specs
from wages.ledger.accounts import AccountSpec, ensure_accounts
from wages.models import Account

REFUNDS_OWED = "shop:refunds-owed"


def refund_specs(workshops) -> list[AccountSpec]:
    return [
        *shop_specs(workshops),
        AccountSpec(REFUNDS_OWED, _("shop: refunds owed to buyers"), Account.Kind.LIABILITY),
    ]


def refund_accounts(workshops, currency: str) -> dict:
    """The accounts a refund may touch in ``currency``, by code, made where missing."""
    refs = ensure_accounts(refund_specs(workshops), currency)
    loaded = Account.objects.in_bulk([ref.pk for ref in refs.values()])
    return {code: loaded[ref.pk] for code, ref in refs.items()}
