"""How the PostgreSQL production tests build records and read them back: a record, a time-only
record, a locked record, and the violation a refused statement raises.
"""

from decimal import Decimal

from tests.workshops.production_builders import day
from workshops.models import ProductionRecord

VALUES = ("hours", "pieces", "rejects")
TABLE = "workshops_productionrecord"


def record(world, *, worker=0, sku=0, hours="7.00", pieces=30, rejects=1, **fields):
    return ProductionRecord.objects.create(
        worker=world.workers[worker],
        workshop=world.workshop,
        day=day(0),
        sku=world.skus[sku],
        hours=Decimal(hours),
        pieces=pieces,
        rejects=rejects,
        **{"supervisor": world.supervisor, **fields},
    )
