"""The ledger's accounts for wages (DESIGN.md, "Ledger"): their codes, and making them in bulk.

    wages-expense                     expense    the administration's wages for its own work
    wages-expense:back-wages          expense    shortfalls below the floor in its own workshops
    partner:<id>:labour               asset      what a partner owes for the wages of its work,
                                                 until a labour invoice charges it
    partner:<id>:receivable           asset      what a partner's labour invoices charge and it
                                                 has not paid yet (``wages.invoices``)
    labour-income                     income     the full normal wage charged to partners above
                                                 the wages paid (Mandela Rule 100.2)
    deduction:<code>                  liability  a deduction held for others (victims' fund, board…)
    worker:<reference>:<purpose>      liability  a worker's own spending, back wages owed, and each
                                                 deduction category credited to the worker (family,
                                                 release savings…)
    bank                              asset      the administration's bank account (the shop's too)
    cash                              asset      the prisons' cash offices (payouts in cash)
    sales:workshop:<id>               income     a workshop's sales revenue, posted by the shop; the
                                                 makers' share of sales reads it
    canteen                           income     the prison shops' takings from workers' purchases
                                                 (``wages.accounts.spending``): the shops are the
                                                 administration's own, so what a worker spends there
                                                 is its income; where a contractor runs them, the
                                                 general-ledger mapping sends it to a payable
    sales-share-expense               expense    the makers' share of sales paid with pay runs: a
                                                 cost of the workers' pay (profit sharing), not a
                                                 refund to customers, so it is an expense and the
                                                 workshops' revenue stays what customers paid

Workers' accounts are named by their pseudonymous reference only, but they are **found by the
worker and what the account is for** (``Account.purpose``: ``own-spending``, ``back-wages``,
``category:<id>``), never by the code: a code keeps the reference the worker had when it was
made, and journal hashes cover it, so it is never renamed. Which deduction
categories are the worker's is the category's own flag (``credited_to_worker``), not its code,
which staff may edit; a category recoded later keeps crediting the same account.
"""

import itertools
from dataclasses import dataclass, replace

from django.db import connection
from django.utils.translation import gettext as _

from core.postgres import json_rows
from wages.models import Account
from wages.models.pay import OWN_SPENDING

BANK = "bank"
CASH = "cash"
CANTEEN = "canteen"
WAGES_EXPENSE = "wages-expense"
BACK_WAGES_EXPENSE = "wages-expense:back-wages"
BACK_WAGES = "back-wages"
SALES_SHARE_EXPENSE = "sales-share-expense"


def sales_code(workshop_id: int) -> str:
    """The income account of the sales of what ``workshop_id`` made (posted by the shop)."""
    return f"sales:workshop:{workshop_id}"


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
    purpose: str = ""

    @property
    def key(self) -> str | tuple[int, str]:
        """How the account is found: a worker's by (worker, purpose), any other by its code."""
        return self.code if self.worker_id is None else (self.worker_id, self.purpose)


def payer_account(payer: str, names: dict | None = None) -> AccountSpec:
    """The account debited for a payer's wages: ``own`` or ``partner:<id>``. ``names`` maps a
    payer or a category code to the name shown (``wages.payruns.posting.account_names``)."""
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


def _worker_account(
    purpose: str, suffix: str, label: str, *, worker_id: int, reference: str
) -> AccountSpec:
    return AccountSpec(
        f"worker:{reference}:{suffix}",
        f"{reference} · {label}",
        Account.Kind.LIABILITY,
        worker_id,
        purpose,
    )


def own_spending_account(*, worker_id: int, reference: str, names: dict | None = None):
    """What the allocations leave: always the worker's."""
    label = (names or {}).get(OWN_SPENDING, OWN_SPENDING)
    return _worker_account(
        OWN_SPENDING, OWN_SPENDING, label, worker_id=worker_id, reference=reference
    )


def category_account(
    category, *, worker_id: int | None, reference: str, names: dict | None = None
) -> AccountSpec:
    """The account a deduction category is credited to: the worker's own when the category is
    ``credited_to_worker``, else one account for everyone. ``category``: a
    ``DeductionCategory``, or anything with its ``pk``, ``code`` and ``credited_to_worker``."""
    label = (names or {}).get(category.code, category.code)
    if category.credited_to_worker:
        return _worker_account(
            f"category:{category.pk}",
            category.code,
            label,
            worker_id=worker_id,
            reference=reference,
        )
    return AccountSpec(
        f"deduction:{category.code}",
        _("Deductions held: %(category)s") % {"category": label},
        Account.Kind.LIABILITY,
    )


def back_wages_account(*, worker_id: int, reference: str) -> AccountSpec:
    return _worker_account(
        BACK_WAGES, BACK_WAGES, _("back wages owed"), worker_id=worker_id, reference=reference
    )


def ensure_accounts(specs, currency: str, *, batch: int = 5_000) -> dict:
    """The accounts ``specs`` name, in ``currency``, by ``AccountSpec.key``, made where missing
    (safe when two callers make the same account at once). Set-based: a few queries per
    ``batch`` accounts.

    A worker's new account takes the code ``worker:<reference>:<purpose>``; when another
    worker's account already holds that code (possible only if a used reference was changed
    behind the database's back), it takes ``worker:<reference>:<purpose>#<worker id>``."""
    unique = {spec.key: spec for spec in specs}
    found: dict = {}
    shared = sorted(key for key in unique if isinstance(key, str))
    workers = sorted(key for key in unique if not isinstance(key, str))
    for keys in (iter(shared), iter(workers)):  # made in one order by every caller: no deadlock
        while chunk := list(itertools.islice(keys, batch)):
            found |= _find(chunk, currency)
            found |= _make([unique[key] for key in chunk if key not in found], currency)
            clashing = [k for k in chunk if k not in found and not isinstance(k, str)]
            found |= _make([_own_code(unique[key]) for key in clashing], currency)
    return found


def _make(specs: list[AccountSpec], currency: str) -> dict:
    if not specs:
        return {}
    made = _create(specs, currency)
    # Made by another caller at the same moment: theirs is the account.
    return made | _find([spec.key for spec in specs if spec.key not in made], currency)


def _own_code(spec: AccountSpec) -> AccountSpec:
    """A code for a worker's account whose usual code another worker's account holds."""
    return replace(spec, code=f"{spec.code}#{spec.worker_id}")


def _create(specs: list[AccountSpec], currency: str) -> dict:
    """Make the accounts ``specs`` name, skipping any made meanwhile or whose code is taken;
    returns those made (on PostgreSQL; elsewhere they are found again)."""
    rows = [[s.code, s.name[:200], s.kind, s.worker_id, s.purpose] for s in specs]
    if connection.vendor == "postgresql":  # one statement, no model instances (json_rows)
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO wages_account (code, name, kind, currency, worker_id, purpose, "
                "balance) "
                "SELECT a->>0, a->>1, a->>2, %s, (a->>3)::bigint, a->>4, 0 "
                "FROM json_array_elements(%s::json) AS a "
                "ON CONFLICT DO NOTHING RETURNING id, code, worker_id, purpose",
                [currency, json_rows(rows)],
            )
            return {
                (code if worker_id is None else (worker_id, purpose)): AccountRef(
                    pk, code, currency
                )
                for pk, code, worker_id, purpose in cursor.fetchall()
            }
    Account.objects.bulk_create(
        [
            Account(
                code=code,
                name=name,
                kind=kind,
                currency=currency,
                worker_id=worker,
                purpose=purpose,
            )
            for code, name, kind, worker, purpose in rows
        ],
        ignore_conflicts=True,
    )
    return {}


def _find(keys, currency) -> dict:
    """The accounts with these keys (codes, or (worker id, purpose) pairs) in ``currency``."""
    codes = [key for key in keys if isinstance(key, str)]
    pairs = [key for key in keys if not isinstance(key, str)]
    found = {}
    if connection.vendor == "postgresql":  # one array parameter, not thousands
        with connection.cursor() as cursor:
            if codes:
                cursor.execute(
                    "SELECT id, code FROM wages_account WHERE currency = %s "
                    "AND code = ANY(ARRAY(SELECT json_array_elements_text(%s::json)))",
                    [currency, json_rows(codes)],
                )
                found |= {code: AccountRef(pk, code, currency) for pk, code in cursor.fetchall()}
            if pairs:
                cursor.execute(
                    "SELECT a.id, a.code, a.worker_id, a.purpose FROM wages_account a "
                    "JOIN json_array_elements(%s::json) AS k "
                    "ON a.worker_id = (k->>0)::bigint AND a.purpose = k->>1 "
                    "WHERE a.currency = %s",
                    [json_rows([list(pair) for pair in pairs]), currency],
                )
                found |= {
                    (worker, purpose): AccountRef(pk, code, currency)
                    for pk, code, worker, purpose in cursor.fetchall()
                }
        return found
    if codes:
        found |= {
            code: AccountRef(pk, code, currency)
            for pk, code in Account.objects.filter(code__in=codes, currency=currency).values_list(
                "pk", "code"
            )
        }
    if pairs:
        wanted = set(pairs)
        rows = Account.objects.filter(
            currency=currency,
            worker_id__in={worker for worker, _purpose in pairs},
            purpose__in={purpose for _worker, purpose in pairs},
        ).values_list("pk", "code", "worker_id", "purpose")
        found |= {
            (worker, purpose): AccountRef(pk, code, currency)
            for pk, code, worker, purpose in rows
            if (worker, purpose) in wanted
        }
    return found
