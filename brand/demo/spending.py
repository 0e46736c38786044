"""The demo's purchases from the prison shops: a few recorded by hand and one file imported from
the shop system, from workers whose own spending the posted pay runs filled, so their statements
show money in and out. Idempotent: once the demo's purchases exist, nothing is added."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from wages.accounts.purchase_import import import_purchases
from wages.accounts.spending import record_purchase
from wages.models import Account, Purchase
from wages.models.pay import OWN_SPENDING
from workshops.models import Worker

BY_HAND = (("3.50", "Toiletries"), ("7.20", "Phone card"))
IN_FILE = (("2.40", "Tea and sugar"), ("5.90", "Writing paper and stamps"), ("1.80", "Fruit"))
NEEDED = sum(Decimal(amount) for amount, _what in BY_HAND + IN_FILE)


def _funded_workers(count: int) -> list[Worker]:
    """Workers whose own spending holds enough for every demo purchase, by reference."""
    ids = (
        Account.objects.filter(
            purpose=OWN_SPENDING,
            currency=settings.BRIDGEWORK_CURRENCY,
            balance__lte=-NEEDED,
            worker__isnull=False,
        )
        .order_by("worker__reference")
        .values_list("worker_id", flat=True)[:count]
    )
    return list(Worker.objects.filter(pk__in=list(ids)).order_by("reference"))


def seed_spending() -> dict:
    if Purchase.objects.filter(key__startswith="DEMO-").exists():
        return {"purchases": Purchase.objects.count()}
    workers = _funded_workers(4)
    if not workers:
        return {"purchases": 0}
    user = get_user_model().objects.get(username="finance")
    today = timezone.localdate()
    for index, worker in enumerate(workers[:2]):
        for number, (amount, what) in enumerate(BY_HAND, start=1):
            record_purchase(
                worker=worker,
                amount=Decimal(amount),
                on=today - datetime.timedelta(days=6 - number - index),
                description=_(what),
                key=f"DEMO-HAND-{worker.reference}-{number}",
                user=user,
            )
    day = (today - datetime.timedelta(days=1)).isoformat()
    rows = [
        f"{day},{worker.reference},{amount},{what},DEMO-SHOP-{index:02d}{number}"
        for index, worker in enumerate(workers)
        for number, (amount, what) in enumerate(IN_FILE, start=1)
    ]
    data = ("date,worker,amount,description,reference\n" + "\n".join(rows) + "\n").encode()
    import_purchases(data, file_name=f"shop-{day}.csv", user=user)
    return {"purchases": Purchase.objects.count()}
