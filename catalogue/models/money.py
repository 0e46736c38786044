"""How the shop stores amounts: as many decimals as the ledger keeps (three, for currencies such
as the dinar), rounded by ``core.money.round_money`` before they are stored."""

from django.conf import settings

AMOUNT = {"max_digits": 15, "decimal_places": 3}


def money_field_options() -> dict:
    return {**AMOUNT, "default_currency": settings.BRIDGEWORK_CURRENCY}
