"""The two files of a remittance batch: what the bank reads and what people read.

    pain001(payments, *, batch_reference, execution_date, currency) -> (bytes, message_id)
        an ISO 20022 ``pain.001.001.03`` customer credit transfer made with ``sepaxml``, then
        validated against the official XSD shipped in ``schemas/`` (schemas/README.md says where
        it comes from); an invalid file raises ``ValidationError`` and nothing is produced
    remittance_csv(payments, *, batch_reference, execution_date) -> bytes

``payments`` are ``Payment`` rows. Amounts are exact decimals of the currency's minor unit (they
come from the ledger, never rounded here); sepaxml takes them as integer minor units.

The CSV, UTF-8 with a header line, comma-separated, decimal point ``.``, one row per payment in
the order of the pain.001 file:
``batch,end_to_end_id,execution_date,worker,payee,iban,bic,amount,currency``
(``worker`` the pseudonymous reference, ``payee`` the account holder's name, ``bic`` empty when
not known, ``amount`` with the currency's decimals, e.g. ``42.50``). A text cell a spreadsheet
would run as a formula (starting with ``=``, ``+``, ``-``, ``@``) is prefixed with ``'``.
"""

import csv
import io
import os
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from sepaxml import SepaTransfer

from core.money import decimal_places, fixed_text

PAIN_VERSION = "pain.001.001.03"
SCHEMA = os.path.join(os.path.dirname(__file__), "schemas", f"{PAIN_VERSION}.xsd")
CSV_HEADER = [
    "batch",
    "end_to_end_id",
    "execution_date",
    "worker",
    "payee",
    "iban",
    "bic",
    "amount",
    "currency",
]


@dataclass(frozen=True)
class Payment:
    end_to_end_id: str
    worker_reference: str
    payee_name: str
    iban: str
    bic: str
    amount: Decimal
    currency: str


def debtor() -> dict:
    """The administration's account the money leaves from (settings, from the environment)."""
    name = settings.BRIDGEWORK_REMITTANCE_DEBTOR_NAME
    iban = settings.BRIDGEWORK_REMITTANCE_DEBTOR_IBAN.replace(" ", "")
    if not name or not iban:
        raise ValidationError(
            _(
                "The administration's bank account for remittances is not configured: set "
                "BRIDGEWORK_REMITTANCE_DEBTOR_NAME and BRIDGEWORK_REMITTANCE_DEBTOR_IBAN."
            )
        )
    found = {"name": name, "IBAN": iban}
    if settings.BRIDGEWORK_REMITTANCE_DEBTOR_BIC:
        found["BIC"] = settings.BRIDGEWORK_REMITTANCE_DEBTOR_BIC
    return found


def _minor_units(amount: Decimal, currency: str) -> int:
    if decimal_places(currency) != 2:  # sepaxml writes amounts as hundredths
        raise ValidationError(
            _("Remittance files are made for currencies of two decimals, not %(currency)s.")
            % {"currency": currency}
        )
    scaled = amount.scaleb(decimal_places(currency))
    if scaled != scaled.to_integral_value():
        raise ValidationError(
            _("%(amount)s has more decimals than %(currency)s has.")
            % {"amount": amount, "currency": currency}
        )
    return int(scaled)


def validate_pain001(content: bytes) -> None:
    """Raise ``ValidationError`` naming the first fault when ``content`` is not valid against
    the shipped XSD."""
    import xmlschema  # imported late, as sepaxml does: it patches ElementTree on import

    schema = xmlschema.XMLSchema(SCHEMA)
    error = next(schema.iter_errors(content.decode()), None)
    if error is not None:
        raise ValidationError(
            _("The pain.001 file is not valid against its schema: %(reason)s")
            % {"reason": error.reason or error.message}
        )


def pain001(payments, *, batch_reference: str, execution_date, currency: str):
    config = debtor() | {
        "batch": True,
        "currency": currency,
        "domestic": currency != "EUR",  # the SEPA service level only for euros
    }
    transfer = SepaTransfer(config, schema=PAIN_VERSION, clean=True)
    for payment in payments:
        entry = {
            "name": payment.payee_name,
            "IBAN": payment.iban,
            "amount": _minor_units(payment.amount, currency),
            "execution_date": execution_date,
            "description": f"{batch_reference} {payment.worker_reference}",
            "endtoend_id": payment.end_to_end_id,
        }
        if payment.bic:
            entry["BIC"] = payment.bic
        transfer.add_payment(entry)
    content = transfer.export(validate=False)
    validate_pain001(content)
    return content, transfer.msg_id


def _cell(value: str) -> str:
    return f"'{value}" if value[:1] in ("=", "+", "-", "@") else value


def remittance_csv(payments, *, batch_reference: str, execution_date) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for payment in payments:
        writer.writerow(
            [
                batch_reference,
                payment.end_to_end_id,
                execution_date.isoformat(),
                _cell(payment.worker_reference),
                _cell(payment.payee_name),
                payment.iban,
                payment.bic,
                fixed_text(payment.amount, payment.currency),
                payment.currency,
            ]
        )
    return out.getvalue().encode()
