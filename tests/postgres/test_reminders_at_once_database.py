"""Payment reminders on PostgreSQL, with real connections: two runs of the daily command at the
same moment send each reminder once (one row per invoice and stage, one e-mail each), and a
second run later that day sends nothing."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from catalogue.invoices.issuing import issue_invoice
from catalogue.models import PaymentReminder
from catalogue.reminders.sending import send_payment_reminders
from core.testing.database import race
from tests.brand.builders import build_home
from tests.catalogue.order_builders import build_order, build_shop

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ORDERS = 6


@pytest.fixture
def overdue():
    build_home()
    shop = build_shop(stock=100)
    today = timezone.localdate()
    orders = []
    for n in range(1, ORDERS + 1):
        order = build_order(
            shop, f"BW-2026-{n:04d}", quantities=(1, 1), hold=datetime.timedelta(days=90)
        )
        late = 20 if n % 2 else 2  # odd orders are due their second reminder, even their first
        issue_invoice(order, on=today - datetime.timedelta(days=30 + late))
        orders.append(order)
    mail.outbox.clear()
    return orders


def run():
    return send_payment_reminders(report=lambda line: None)


def test_two_runs_at_once_send_each_reminder_once(overdue):
    first, second = race(run, run)
    assert sorted(first.sent + second.sent) == sorted(
        f"BW-2026-{n:04d} {'second' if n % 2 else 'first'}" for n in range(1, ORDERS + 1)
    )
    assert first.already_sent + second.already_sent == ORDERS
    assert PaymentReminder.objects.count() == ORDERS
    assert sorted(message.to[0] for message in mail.outbox) == ["buyer@example.org"] * ORDERS

    assert run().sent == []
    assert len(mail.outbox) == ORDERS


def test_four_runs_at_once_still_send_each_once(overdue):
    outcomes = race(run, run, run, run)
    assert sum(len(summary.sent) for summary in outcomes) == ORDERS
    assert PaymentReminder.objects.count() == ORDERS
    assert len(mail.outbox) == ORDERS
