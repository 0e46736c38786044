"""System checks of the money settings: the brand's currency is one the ledger can hold, and a
deployment signs its ledger's checkpoints with a key of its own."""

from django.conf import settings
from django.core.checks import Error, Tags, register

from core.money import decimal_places, is_known_currency
from core.signing import LedgerKeysMissing, configured_ledger_keys

LEDGER_DECIMALS = 3  # the decimals of the ledger's amount columns (wages.models.ledger.AMOUNT)


@register()
def currency_is_known(app_configs, **kwargs):
    """An unknown code would be rounded to a guessed minor unit: refuse to start instead."""
    code = getattr(settings, "BRIDGEWORK_CURRENCY", "")
    if not is_known_currency(code):
        return [
            Error(
                f"BRIDGEWORK_CURRENCY={code!r} is not an ISO 4217 currency code.",
                hint="Set BRIDGEWORK_CURRENCY to a code such as EUR, TND or JPY.",
                id="wages.E001",
            )
        ]
    if decimal_places(code) > LEDGER_DECIMALS:
        return [
            Error(
                f"BRIDGEWORK_CURRENCY={code} has {decimal_places(code)} decimals; the ledger "
                f"keeps {LEDGER_DECIMALS}.",
                hint="Choose a currency of at most three decimals.",
                id="wages.E002",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def ledger_keys_are_configured(app_configs, **kwargs):
    try:
        configured_ledger_keys()
    except LedgerKeysMissing as missing:
        return [
            Error(
                f"Ledger checkpoints cannot be signed or verified: {missing}",
                hint="Set BRIDGEWORK_LEDGER_KEYS or BRIDGEWORK_LEDGER_KEYS_FILE to a key of its "
                "own (python manage.py make_signing_key KEY_ID prints a key line).",
                id="wages.E003",
            )
        ]
    return []
