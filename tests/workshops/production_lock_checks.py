"""How the production-lock tests build records and read them back: records, locks, adjustments
and the audit log, to show that a refusal left all of them as they were.
"""

from decimal import Decimal

from wagtail.models import ModelLogEntry

from tests.workshops.production_builders import day
from workshops.models import ProductionAdjustment, ProductionLock, ProductionRecord

DAY = day(3)  # Thursday 2026-11-05


def build_record(world, worker, sku, *, hours="4.50", pieces=12, rejects=1) -> ProductionRecord:
    record = ProductionRecord.objects.create(
        worker=worker,
        workshop=world.workshop,
        day=DAY,
        sku=sku,
        hours=Decimal(hours),
        pieces=pieces,
        rejects=rejects,
        supervisor=world.supervisor,
    )
    record.refresh_from_db()
    return record


def state() -> tuple:
    """Everything a refused operation must leave as it was."""
    return (
        list(
            ProductionRecord.objects.order_by("pk").values_list(
                "pk",
                "hours",
                "pieces",
                "rejects",
                "supervisor_note",
                "breaches",
                "locked__lock__reference",
            )
        ),
        list(ProductionLock.objects.order_by("pk").values_list("pk", "reference", "released_at")),
        list(ProductionAdjustment.objects.order_by("pk").values()),
        list(ModelLogEntry.objects.order_by("pk").values_list("action", "object_id", "data")),
    )


def log_entries(action) -> list[tuple]:
    return list(
        ModelLogEntry.objects.filter(action=action)
        .order_by("pk")
        .values_list("object_id", "data", "user__username")
    )
