"""Reminders of overdue invoices (``catalogue.reminders``): the e-mails, word for word and in the
order's language; each sent once per invoice and stage, whatever the runs; none for a paid or
cancelled order; the dry run; the command; and the overdue list finance reads and exports."""

import csv
import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import ModelLogEntry

from catalogue.invoices.issuing import issue_invoice
from catalogue.models import Order, PaymentReminder, ShopSettings
from catalogue.orders import lifecycle
from catalogue.reminders.sending import send_payment_reminders
from core.formatting import format_day
from tests.brand.builders import build_home
from tests.catalogue.order_builders import build_order, build_shop, staff
from tests.catalogue.order_screens import (
    auditor_staff,
    finance_staff,
    fulfilment_staff,
    signed_in,
    table,
)

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]
REPORT = "/admin/catalogue/overdue-invoices/"
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def home():
    return build_home()


@pytest.fixture
def shop():
    settings = ShopSettings.load()
    settings.seller_name, settings.bank_name = "Bridgework", "Banque Centrale"
    settings.iban, settings.bic = "FR7630006000011234567890189", "BCFRFRPP"
    settings.save()
    return build_shop(stock=20)


def overdue(shop, number="BW-2026-0001", *, days_late=1, **fields):
    """An order on invoice whose invoice fell due ``days_late`` days before today."""
    order = build_order(shop, number, hold=datetime.timedelta(days=90), **fields)
    issue_invoice(order, on=timezone.localdate() - datetime.timedelta(days=30 + days_late))
    return order


def run(capture, **kwargs):
    lines: list[str] = []
    with capture(execute=True):
        summary = send_payment_reminders(report=lines.append, **kwargs)
    return summary, lines


def reminders() -> list[tuple[str, str, int]]:
    return list(
        PaymentReminder.objects.order_by("invoice__order__number", "stage").values_list(
            "invoice__order__number", "stage", "days_overdue"
        )
    )


def test_the_first_reminder_says_what_to_pay_where_and_links_to_the_order(
    shop, django_capture_on_commit_callbacks
):
    order = overdue(shop, language="en", purchase_order="PO-77")
    invoice = order.invoice
    summary, lines = run(django_capture_on_commit_callbacks)

    assert summary.sent == ["BW-2026-0001 first"]
    assert lines == [
        f"BW-2026-0001: first reminder sent to buyer@example.org (invoice {invoice.number}, "
        "1 days overdue)"
    ]
    assert reminders() == [("BW-2026-0001", "first", 1)]
    [message] = mail.outbox
    assert message.to == ["buyer@example.org"]
    assert message.subject == f"Reminder: invoice {invoice.number} is overdue"
    due = format_day(invoice.due_on, "en")
    assert message.body == (
        "Hello Camille Martin,\n\n"
        f"Invoice {invoice.number} for order BW-2026-0001, €60.50, was due on {due} and we have "
        "not received your payment yet.\n"
        "Your purchase-order number: PO-77\n\n"
        "Please transfer €60.50 to:\n"
        "Bank: Banque Centrale\n"
        "IBAN: FR7630006000011234567890189\n"
        "BIC: BCFRFRPP\n"
        "Payment reference: REF0001\n"
        "We send your order once the transfer has arrived.\n\n"
        "If you have paid in the last few days, thank you: please ignore this message.\n\n"
        "Your order, its invoice and its progress: "
        f"http://localhost/en/orders/{order.access_token}/\n"
    )
    html = message.alternatives[0][0]
    assert f'href="http://localhost/en/orders/{order.access_token}/"' in html
    assert ModelLogEntry.objects.filter(action="bridgework.payment_reminder_sent").count() == 1


def test_the_reminder_is_in_the_order_s_language(shop, django_capture_on_commit_callbacks):
    order = overdue(shop, language="fr")
    run(django_capture_on_commit_callbacks)
    [message] = mail.outbox
    assert message.body.startswith("Bonjour Camille Martin,\n")
    assert "60,50\u00a0€" in message.body
    assert f"http://localhost/fr/orders/{order.access_token}/" in message.body


def test_a_second_run_sends_nothing_and_the_second_stage_goes_after_fourteen_days(
    shop, django_capture_on_commit_callbacks
):
    order = overdue(shop, language="en")
    due = order.invoice.due_on
    run(django_capture_on_commit_callbacks, today=due + DAY)
    summary, lines = run(django_capture_on_commit_callbacks, today=due + DAY)
    assert (summary.sent, summary.already_sent) == ([], 1)
    assert lines == ["BW-2026-0001: first reminder already sent"]
    assert len(mail.outbox) == 1

    summary, _lines = run(django_capture_on_commit_callbacks, today=due + 13 * DAY)
    assert (summary.sent, summary.already_sent) == ([], 1)
    summary, _lines = run(django_capture_on_commit_callbacks, today=due + 14 * DAY)
    assert summary.sent == ["BW-2026-0001 second"]
    run(django_capture_on_commit_callbacks, today=due + 15 * DAY)
    assert reminders() == [("BW-2026-0001", "first", 1), ("BW-2026-0001", "second", 14)]
    assert [m.subject for m in mail.outbox] == [
        f"Reminder: invoice {order.invoice.number} is overdue",
        f"Second reminder: invoice {order.invoice.number} is overdue",
    ]


def test_an_invoice_first_seen_late_gets_only_the_latest_stage(
    shop, django_capture_on_commit_callbacks
):
    overdue(shop, days_late=20)
    run(django_capture_on_commit_callbacks)
    run(django_capture_on_commit_callbacks)
    assert reminders() == [("BW-2026-0001", "second", 20)]
    assert len(mail.outbox) == 1


def test_the_schedule_is_the_shop_s(shop, django_capture_on_commit_callbacks):
    settings = ShopSettings.load()
    settings.first_reminder_days, settings.second_reminder_days = 5, 0
    settings.save()
    overdue(shop, "BW-2026-0001", days_late=4)
    overdue(shop, "BW-2026-0002", days_late=40)
    summary, _lines = run(django_capture_on_commit_callbacks)
    assert (summary.sent, summary.not_yet) == (["BW-2026-0002 first"], 1)
    assert reminders() == [("BW-2026-0002", "first", 40)]


def test_paid_cancelled_and_not_yet_due_orders_get_no_reminder(
    shop, django_capture_on_commit_callbacks
):
    paid = overdue(shop, "BW-2026-0001", days_late=3)
    cancelled = overdue(shop, "BW-2026-0002", days_late=3)
    overdue(shop, "BW-2026-0003", days_late=0)  # due today: not overdue yet
    lifecycle.mark_paid(paid, user=staff("finance", "catalogue.mark_order_paid"))
    lifecycle.cancel(cancelled, user=staff("packer", "catalogue.cancel_order"), reason="asked")
    mail.outbox.clear()

    summary, lines = run(django_capture_on_commit_callbacks)
    assert (summary.sent, summary.already_sent, summary.not_yet, lines) == ([], 0, 0, [])
    assert (PaymentReminder.objects.count(), len(mail.outbox)) == (0, 0)


def test_an_order_paid_between_the_listing_and_the_claim_gets_nothing(
    shop, django_capture_on_commit_callbacks
):
    from catalogue.reminders import sending

    order = overdue(shop)
    Order.objects.filter(pk=order.pk).update(status="paid", paid_at=timezone.now())
    assert sending._claim(order.invoice, "first", timezone.localdate()) is None
    assert PaymentReminder.objects.count() == 0


def test_a_dry_run_lists_the_reminders_due_and_sends_nothing(
    shop, django_capture_on_commit_callbacks
):
    order = overdue(shop, days_late=2)
    summary, lines = run(django_capture_on_commit_callbacks, dry_run=True)
    assert summary.sent == ["BW-2026-0001 first"]
    assert lines == [
        f"BW-2026-0001: first reminder would be sent to buyer@example.org "
        f"(invoice {order.invoice.number}, 2 days overdue)"
    ]
    assert (PaymentReminder.objects.count(), len(mail.outbox)) == (0, 0)
    assert not ModelLogEntry.objects.filter(action="bridgework.payment_reminder_sent").exists()


def test_the_command_prints_each_reminder_and_a_summary(shop, django_capture_on_commit_callbacks):
    order = overdue(shop, days_late=2)
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_payment_reminders", stdout=out)
    assert out.getvalue() == (
        f"BW-2026-0001: first reminder sent to buyer@example.org "
        f"(invoice {order.invoice.number}, 2 days overdue)\n"
        "1 reminder(s) sent, 0 already sent, 0 overdue invoice(s) not due a reminder yet.\n"
    )
    out = io.StringIO()
    call_command("send_payment_reminders", "--dry-run", stdout=out)
    assert out.getvalue().endswith(
        "0 reminder(s) would be sent, 1 already sent, 0 overdue invoice(s) not due a reminder "
        "yet.\n"
    )
    assert len(mail.outbox) == 1


def overdue_list(shop, capture):
    late = overdue(
        shop,
        "BW-2026-0001",
        days_late=20,
        organisation="Lycée Jean-Moulin",
        purchase_order="BC-114",
    )
    recent = overdue(shop, "BW-2026-0002", days_late=3, name="Ada Lovelace")
    overdue(shop, "BW-2026-0003", days_late=0)  # due today: not listed
    paid = overdue(shop, "BW-2026-0004", days_late=9)
    Order.objects.filter(pk=paid.pk).update(status="paid", paid_at=timezone.now())
    with capture(execute=True):
        send_payment_reminders(
            today=late.invoice.due_on + datetime.timedelta(days=2), report=lambda line: None
        )
    return late, recent


def test_the_overdue_list_shows_the_most_overdue_first_with_the_last_reminder(
    client, shop, django_capture_on_commit_callbacks
):
    late, recent = overdue_list(shop, django_capture_on_commit_callbacks)
    signed_in(client, finance_staff())
    response = client.get(REPORT)
    assert response.status_code == 200
    sent = format_day(late.invoice.due_on + datetime.timedelta(days=2), "en")
    assert table(response.text) == [
        [
            f"BW-2026-0001 · {late.invoice.number}",
            "Camille Martin · Lycée Jean-Moulin · PO BC-114",
            "€60.50",
            f"{format_day(late.invoice.due_on, 'en')}: 20 days",
            f"{sent} (first reminder)",
        ],
        [
            f"BW-2026-0002 · {recent.invoice.number}",
            "Ada Lovelace",
            "€60.50",
            f"{format_day(recent.invoice.due_on, 'en')}: 3 days",
            "",
        ],
    ]


def test_the_overdue_list_exports_to_csv(client, shop, django_capture_on_commit_callbacks):
    late, recent = overdue_list(shop, django_capture_on_commit_callbacks)
    signed_in(client, fulfilment_staff())
    response = client.get(REPORT + "?export=csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    sent = (late.invoice.due_on + datetime.timedelta(days=2)).isoformat()
    assert rows == [
        [
            "Order",
            "Invoice number",
            "Buyer",
            "Organisation",
            "PO number",
            "Currency",
            "Total",
            "Due on",
            "Days overdue",
            "Last reminder",
            "Last reminder's stage",
        ],
        [
            "BW-2026-0001",
            late.invoice.number,
            "Camille Martin",
            "Lycée Jean-Moulin",
            "BC-114",
            "EUR",
            "60.50",
            late.invoice.due_on.isoformat(),
            "20",
            sent,
            "first",
        ],
        [
            "BW-2026-0002",
            recent.invoice.number,
            "Ada Lovelace",
            "",
            "",
            "EUR",
            "60.50",
            recent.invoice.due_on.isoformat(),
            "3",
            "",
            "",
        ],
    ]


def test_the_overdue_list_exports_to_xlsx_and_auditors_read_it(
    client, shop, django_capture_on_commit_callbacks
):
    import openpyxl

    overdue_list(shop, django_capture_on_commit_callbacks)
    signed_in(client, auditor_staff())
    response = client.get(REPORT + "?export=xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [row[0] for row in sheet.iter_rows(values_only=True)] == [
        "Order",
        "BW-2026-0001",
        "BW-2026-0002",
    ]


def test_the_overdue_list_is_refused_without_the_invoices(client, shop):
    signed_in(client, staff("editor", "wagtailadmin.access_admin"))
    response = client.get(REPORT)
    assert response.status_code == 302
