"""Labour invoices past their due day and not paid in full: the finance dashboard's list and
the *Overdue labour invoices* report read this one query."""

import datetime

from django.db.models import QuerySet

from wages.models import LabourInvoice


def overdue_labour_invoices(today: datetime.date) -> QuerySet:
    return (
        LabourInvoice.objects.filter(due_on__lt=today)
        .exclude(status=LabourInvoice.Status.PAID)
        .select_related("partner")
        .order_by("due_on", "number")
    )
