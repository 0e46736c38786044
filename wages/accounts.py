"""The ledger's accounts for wages (DESIGN.md, "Ledger"): their codes, and making them in bulk.

    wages-expense                     expense    the administration's wages for its own work
    wages-expense:back-wages          expense    shortfalls below the floor in its own workshops
    partner:<id>:labour               asset      what a partner owes for the wages of its work
    deduction:<code>                  liability  a deduction held for others (victims' fund, board…)
    worker:<reference>:<purpose>      liability  a worker's own spending, family, release savings,
                                                 and back wages owed

Workers' accounts are named by their pseudonymous reference only.
"""

import itertools
from dataclasses import dataclass

from django.db import connection
from django.utils.translation import gettext as _

from core.postgres import json_rows
from wages.models import Account

WAGES_EXPENSE = "wages-expense"
BACK_WAGES_EXPENSE = "wages-expense:back-wages"
BACK_WAGES = "back-wages"
# Deduction categories credited to the worker's own sub-account; any other category is credited
# to one account for everyone (``deduction:<code>``).
PERSONAL = ("own-spending", "family", "release-savings")


@dataclass(frozen=True)
class AccountRef:
    """What posting needs of an account, without loading the model."""

    pk: int
    code: str
    currency: str


@dataclass(frozen=True)
class AccountSpec:
    code: str
    name: str
    kind: str
    worker_id: int | None = None


def payer_account(payer: str, names: dict | None = None) -> AccountSpec:
    """The account debited for a payer's wages: ``own`` or ``partner:<id>``. ``names`` maps a
    payer or a category code to the name shown (``wages.payruns.account_names``)."""
    if payer == "own":
        return AccountSpec(WAGES_EXPENSE, _("Wages, own workshops"), Account.Kind.EXPENSE)
    partner = payer.split(":", 1)[1]
    return AccountSpec(
        f"partner:{partner}:labour",
        _("Wages receivable from %(partner)s") % {"partner": (names or {}).get(payer, payer)},
        Account.Kind.ASSET,
    )


def back_wages_payer_account(payer: str, names: dict | None = None) -> AccountSpec:
    """The account debited for back wages owed: the administration's, or the partner's."""
    if payer == "own":
        return AccountSpec(BACK_WAGES_EXPENSE, _("Back wages, own workshops"), Account.Kind.EXPENSE)
    return payer_account(payer, names)


def category_account(
    code: str, *, worker_id: int | None, reference: str, names: dict | None = None
) -> AccountSpec:
    """The account a deduction category (or own spending) is credited to."""
    label = (names or {}).get(code, code)
    if code in PERSONAL:
        return AccountSpec(
            f"worker:{reference}:{code}",
            f"{reference} · {label}",
            Account.Kind.LIABILITY,
            worker_id,
        )
    return AccountSpec(
        f"deduction:{code}",
        _("Deductions held: %(category)s") % {"category": label},
        Account.Kind.LIABILITY,
    )


def back_wages_account(*, worker_id: int, reference: str) -> AccountSpec:
    return AccountSpec(
        f"worker:{reference}:{BACK_WAGES}",
        f"{reference} · {_('back wages owed')}",
        Account.Kind.LIABILITY,
        worker_id,
    )


def ensure_accounts(specs, currency: str, *, batch: int = 5_000) -> dict[str, AccountRef]:
    """The accounts ``specs`` name, in ``currency``, made where missing (safe when two
    callers make the same account at once). Set-based: a few queries per ``batch`` codes."""
    unique = {spec.code: spec for spec in specs}
    found: dict[str, AccountRef] = {}
    codes = iter(sorted(unique))  # made in one order by every caller: no deadlock between them
    while chunk := list(itertools.islice(codes, batch)):
        found |= _refs(chunk, currency)
        missing = [unique[code] for code in chunk if code not in found]
        if missing:
            made = _create(missing, currency)
            found |= made
            # Made by another caller at the same moment: theirs is the account.
            found |= _refs([spec.code for spec in missing if spec.code not in made], currency)
    return found


def _create(specs: list[AccountSpec], currency: str) -> dict[str, AccountRef]:
    """Make the accounts ``specs`` name, skipping any made meanwhile; returns those made."""
    if connection.vendor == "postgresql":  # one statement, no model instances (json_rows)
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO wages_account (code, name, kind, currency, worker_id, balance) "
                "SELECT a->>0, a->>1, a->>2, %s, (a->>3)::bigint, 0 "
                "FROM json_array_elements(%s::json) AS a "
                "ON CONFLICT (code, currency) DO NOTHING RETURNING id, code",
                [
                    currency,
                    json_rows(
                        [[spec.code, spec.name[:200], spec.kind, spec.worker_id] for spec in specs]
                    ),
                ],
            )
            return {code: AccountRef(pk, code, currency) for pk, code in cursor.fetchall()}
    Account.objects.bulk_create(
        [
            Account(
                code=spec.code,
                name=spec.name[:200],
                kind=spec.kind,
                currency=currency,
                worker_id=spec.worker_id,
            )
            for spec in specs
        ],
        ignore_conflicts=True,
    )
    return {}


def _refs(codes, currency) -> dict[str, AccountRef]:
    if connection.vendor == "postgresql":  # one array parameter, not thousands
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, code FROM wages_account WHERE currency = %s "
                "AND code = ANY(ARRAY(SELECT json_array_elements_text(%s::json)))",
                [currency, json_rows(list(codes))],
            )
            return {code: AccountRef(pk, code, currency) for pk, code in cursor.fetchall()}
    return {
        code: AccountRef(pk, code, currency)
        for pk, code in Account.objects.filter(code__in=codes, currency=currency).values_list(
            "pk", "code"
        )
    }
