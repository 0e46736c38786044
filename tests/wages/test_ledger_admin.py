"""The ledger's back-office screens: the trial balance, closing a period, verifying the ledger."""

import datetime
import json
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from brand.roles import sync_roles
from core.testing.database import triggers_off
from core.testing.twofactor import login_with_second_factor
from tests.brand.builders import build_home
from wages.ledger import close_chain, open_chain, post_journal, verify_ledger
from wages.models import Account, Entry, LedgerVerification, PeriodClose

pytestmark = pytest.mark.django_db
ON = datetime.date(2026, 10, 31)


@pytest.fixture
def ledger():
    bank = Account.objects.create(code="bank", name="Bank", kind="asset", currency="EUR")
    wages = Account.objects.create(code="wages", name="Wages", kind="expense", currency="EUR")
    chain = open_chain("run-1")
    for n, amount in enumerate(["120.00", "80.50"], start=1):
        post_journal(
            key=f"j-{n}",
            on=ON + datetime.timedelta(days=n - 1),
            lines=[(wages, Decimal(amount)), (bank, -Decimal(amount))],
            memo=f"Pay {n}",
            chain=chain,
        )
    close_chain(chain)
    return bank, wages


def signed_in(client, role):
    build_home()
    groups = sync_roles()
    user = User.objects.create_user(role, password="a-long-test-password-1")
    user.groups.add(groups[role])
    login_with_second_factor(client, user)
    return user


def test_the_trial_balance_shows_each_account_and_equal_totals_on_a_day(client, ledger):
    signed_in(client, "finance")

    first_day = client.get(reverse("ledger_trial_balance"), {"on": ON.isoformat()})
    both = client.get(
        reverse("ledger_trial_balance"), {"on": (ON + datetime.timedelta(1)).isoformat()}
    )

    rows = [(r.account.code, r.debit, r.credit) for r in first_day.context["balance"].rows]
    assert rows == [
        ("bank", Decimal(0), Decimal("120.00")),
        ("wages", Decimal("120.00"), Decimal(0)),
    ]
    assert both.context["totals"] == [("EUR", (Decimal("200.50"), Decimal("200.50")), 2)]
    assert 'data-total="debit">€200.50<' in both.content.decode()


def test_the_trial_balance_is_grouped_by_kind_with_subtotals_and_totals(client, ledger):
    signed_in(client, "finance")
    Account.objects.create(code="rand", name="Rand", kind="asset", currency="ZAR")

    both = client.get(
        reverse("ledger_trial_balance"), {"on": (ON + datetime.timedelta(1)).isoformat()}
    )

    groups = [
        (group.kind, [row.account.code for row in group.rows], subtotals)
        for group, subtotals in both.context["groups"]
    ]
    assert groups == [
        ("asset", ["bank"], [("EUR", (Decimal(0), Decimal("200.50")), 2)]),
        ("expense", ["wages"], [("EUR", (Decimal("200.50"), Decimal(0)), 2)]),
    ]
    html = both.content.decode()
    assert html.index('data-kind="asset"') < html.index('data-kind="expense"')
    assert 'data-subtotal="credit">€200.50<' in html
    assert 'data-subtotal="debit">€200.50<' in html
    assert 'name="currency"' in html  # two currencies among the accounts: one can be chosen


def test_the_trial_balance_exports_its_lines_grouped_as_shown(client, ledger):
    signed_in(client, "finance")
    on = (ON + datetime.timedelta(1)).isoformat()

    csv = client.get(reverse("ledger_trial_balance"), {"on": on, "export": "csv"})
    xlsx = client.get(reverse("ledger_trial_balance"), {"on": on, "export": "xlsx"})
    results = client.get(reverse("ledger_trial_balance_results"), {"on": on})

    assert csv["Content-Disposition"] == 'attachment; filename="trial-balance.csv"'
    lines = b"".join(csv.streaming_content).decode().splitlines()
    assert lines == [
        "Kind,Code,Account,Currency,Debit,Credit",
        "asset,bank,Bank,EUR,0,200.50",
        "asset,,Subtotal,EUR,0,200.50",
        "expense,wages,Wages,EUR,200.50,0",
        "expense,,Subtotal,EUR,200.50,0",
        ",,Total EUR,EUR,200.50,200.50",
    ]
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'data-total="debit">€200.50<' in results.content.decode()


def test_a_finance_officer_closes_a_period_once_and_only_in_the_past(client, ledger):
    user = signed_in(client, "finance")
    url = reverse("ledger_close_period")

    future = client.post(url, {"up_to": "2999-01-01"})
    closed = client.post(url, {"up_to": ON.isoformat()})
    again = client.post(url, {"up_to": ON.isoformat()})

    assert (future.status_code, closed.status_code, again.status_code) == (400, 302, 400)
    assert "Only a day in the past can be closed." in future.content.decode()
    assert "The period up to Oct 31, 2026 is already closed." in again.content.decode()
    assert list(PeriodClose.objects.values_list("up_to", "closed_by")) == [(ON, user.pk)]


def test_an_auditor_verifies_the_ledger_and_sees_what_was_found(client, ledger):
    user = signed_in(client, "auditor")
    bank, _wages = ledger

    intact = client.post(reverse("ledger_verify"))
    with triggers_off("wages_entry"):
        Entry.objects.filter(account=bank, amount=Decimal("-120.00")).update(amount=Decimal("-12"))
    broken = client.post(reverse("ledger_verify"), follow=True)

    assert intact.status_code == 302
    runs = list(
        LedgerVerification.objects.order_by("run_at").values_list(
            "run_by", "journals", "checkpoints", "problems"
        )
    )
    assert runs == [
        (user.pk, 2, 1, []),
        (
            user.pk,
            2,
            1,
            [
                "journal j-1: does not balance",
                "journal j-1: its content does not match its hash",
                "account bank (EUR): balance -200.50, entries sum to -92.50",
            ],
        ),
    ]
    assert "The ledger is not intact: 3 problem(s) found." in broken.content.decode()


def test_an_auditor_downloads_the_anchors_and_they_verify(client, ledger):
    signed_in(client, "auditor")

    response = client.get(reverse("ledger_anchors"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == (
        f'attachment; filename="ledger-anchors-{timezone.localdate().isoformat()}.json"'
    )
    anchors = json.loads(response.content)
    assert [(a["sequence"], a["chain"], a["length"]) for a in anchors["checkpoints"]] == [
        (1, "run-1", 2)
    ]
    assert list(anchors["public_keys"]) == ["test-ledger-key"]
    assert verify_ledger(anchors=anchors) == []
    assert b"Download the anchors" in client.get(reverse("ledger_verify")).content


@pytest.mark.parametrize("role", ["supervisor", "fulfilment", "editor"])
def test_other_roles_cannot_open_the_ledger_screens(client, ledger, role):
    signed_in(client, role)

    answers = [
        client.get(reverse(name)).status_code
        for name in (
            "ledger_trial_balance",
            "ledger_close_period",
            "ledger_verify",
            "ledger_anchors",
        )
    ]
    posted = client.post(reverse("ledger_close_period"), {"up_to": ON.isoformat()})

    assert answers == [302, 302, 302, 302]
    assert posted.status_code == 302
    assert not PeriodClose.objects.exists()
    assert not LedgerVerification.objects.exists()
