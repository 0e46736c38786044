"""Migrations ``wages/0009`` and ``workshops/0011``: existing accounts of workers get what they are
for from their code, so posting finds them by worker and purpose; the categories a fixed list
of codes named are flagged as credited to the worker."""

import importlib

import pytest
from django.apps import apps

from tests.workshops.builders import build_worker
from wages.models import Account
from workshops.models import DeductionCategory

accounts_migration = importlib.import_module("wages.migrations.0009_accounts_by_worker")
categories_migration = importlib.import_module(
    "workshops.migrations.0011_category_flag_and_reference_guard"
)

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]


def account(code, worker=None, purpose="", currency="EUR"):
    return Account.objects.create(
        code=code,
        name=code,
        kind=Account.Kind.LIABILITY,
        currency=currency,
        worker=worker,
        purpose=purpose,
    )


def test_workers_accounts_get_their_purpose_from_their_code():
    first, second = build_worker("W-000000"), build_worker("W-000001")
    family = DeductionCategory.objects.create(code="family", name="Family")
    made = account("worker:W-000000:own-spending", first, "own-spending")  # made since
    for code in (
        "worker:W-000000:family",
        "worker:W-000000:back-wages",
        "worker:W-000001:own-spending",
        "worker:W-000001:own-spending-old",  # a category since recoded or removed
        "worker:W-999999:family",  # a reference nobody holds
        "deduction:victims-fund",
    ):
        account(code)
    account("worker:W-000000:family", currency="USD")

    accounts_migration.fill_purposes(apps, None)

    assert list(
        Account.objects.order_by("code", "currency").values_list(
            "code", "currency", "worker__reference", "purpose"
        )
    ) == [
        ("deduction:victims-fund", "EUR", None, ""),
        ("worker:W-000000:back-wages", "EUR", "W-000000", "back-wages"),
        ("worker:W-000000:family", "EUR", "W-000000", f"category:{family.pk}"),
        ("worker:W-000000:family", "USD", "W-000000", f"category:{family.pk}"),
        ("worker:W-000000:own-spending", "EUR", "W-000000", "own-spending"),
        ("worker:W-000001:own-spending", "EUR", "W-000001", "own-spending"),
        ("worker:W-000001:own-spending-old", "EUR", "W-000001", "code:own-spending-old"),
        ("worker:W-999999:family", "EUR", None, ""),
    ]
    assert Account.objects.get(pk=made.pk).purpose == "own-spending"
    assert second.accounts.count() == 2


def test_the_categories_the_fixed_list_named_are_credited_to_the_worker():
    for code in ("own-spending", "family", "release-savings", "victims-fund", "board"):
        DeductionCategory.objects.create(code=code, name=code)

    categories_migration.flag_categories(apps, None)

    assert dict(DeductionCategory.objects.values_list("code", "credited_to_worker")) == {
        "own-spending": True,
        "family": True,
        "release-savings": True,
        "victims-fund": False,
        "board": False,
    }
