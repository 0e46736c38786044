"""Where a batch came from, computed from the records (DESIGN.md, "SKU"): what the shop shows
beside a product, so a buyer sees that the people who made it were trained and fairly employed.

The production records behind a batch are those of its SKU's workshop, that SKU and the batch's
date range; batches of one SKU never overlap, so each record is counted for one batch only. The
figures: worker-hours; how many people made it (suppressed below 5: published figures never let
a small group be singled out); the trade; the training hours those people attended over the same
days; how many certificates in that trade they hold (suppressed below 5 as well); and, for partner
work, the partner and its fairness status. Never a name, a reference or a prison number.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum

from workshops.models import (
    Batch,
    Certificate,
    Contract,
    Partner,
    ProductionRecord,
    Trade,
    TrainingAttendance,
)
from workshops.register.assignments import overlapping

SUPPRESS_BELOW = 5


def published_count(value: int) -> int | None:
    """A count of people as it may be published: None (shown as "fewer than 5") below 5."""
    return value if value >= SUPPRESS_BELOW else None


@dataclass(frozen=True)
class Provenance:
    worker_hours: Decimal
    people: int | None  # None: fewer than SUPPRESS_BELOW
    trade: Trade
    training_hours: Decimal
    certificates: int | None  # in force, in the trade, held by these people; None: fewer than 5
    partners: tuple[Partner, ...]  # partners whose contract covered the workshop in the range

    @property
    def partner_work(self) -> bool:
        return bool(self.partners)


def batch_provenance(batch: Batch) -> Provenance:
    """The provenance of ``batch``: four queries whatever its size, once the batch's SKU,
    workshop and trade are loaded (``select_related("sku__workshop__trade")``)."""
    workshop = batch.sku.workshop
    records = ProductionRecord.objects.filter(
        workshop=workshop, sku=batch.sku, day__gte=batch.made_from, day__lte=batch.made_to
    )
    made = records.aggregate(hours=Sum("hours"), people=Count("worker", distinct=True))
    makers = records.values("worker")
    training = TrainingAttendance.objects.filter(
        enrolment__worker__in=makers, day__gte=batch.made_from, day__lte=batch.made_to
    ).aggregate(hours=Sum("hours"))
    certificates = Certificate.objects.filter(
        enrolment__worker__in=makers,
        enrolment__course__trade_id=workshop.trade_id,
        issued_on__lte=batch.made_to,
        revoked_on__isnull=True,
        superseded_by__isnull=True,
    ).count()
    contracts = overlapping(
        Contract.objects.filter(workshop=workshop), batch.made_from, batch.made_to
    ).select_related("partner")
    partners = tuple({contract.partner_id: contract.partner for contract in contracts}.values())
    return Provenance(
        worker_hours=made["hours"] or Decimal(0),
        people=published_count(made["people"]),
        trade=workshop.trade,
        training_hours=training["hours"] or Decimal(0),
        certificates=published_count(certificates),
        partners=partners,
    )
