"""Where a batch came from, computed from the records (DESIGN.md, "SKU"): what the shop shows
beside a product, so a buyer sees that the people who made it were trained and fairly employed.

The production records behind a batch are those of its SKU's workshop, that SKU and the batch's
date range; batches of one SKU never overlap, so each record is counted for one batch only. The
figures: worker-hours; how many people made it (suppressed below 5: published figures never let
a small group be singled out); the trade; the training hours those people attended over the same
days; how many certificates in that trade they hold (suppressed below 5 as well); and, for partner
work, the partner and its fairness status. Never a name, a reference or a prison number.

``stock_provenance`` gives the same figures for what is on hand of several SKUs (a product's
variants): the batches still in stock, first in first out, and the records behind them counted
once over the union of those batches, so a person who made two of them is one person.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from workshops.models import (
    SKU,
    Batch,
    Certificate,
    Contract,
    Partner,
    ProductionRecord,
    Stock,
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


def batches_in_stock(skus):
    """The batches of ``skus`` whose units are still on hand, first in first out: the newest
    batches of each SKU whose quantities cover its ``on_hand`` (a batch partly sold counts
    whole). A queryset, evaluated by whoever filters on it: a batch is in stock while the batches
    of its SKU made after it hold fewer units than are on hand."""
    newer = (
        Batch.objects.filter(sku=OuterRef("sku"), made_to__gt=OuterRef("made_to"))
        .values("sku")
        .annotate(units=Sum("quantity"))
        .values("units")
    )
    on_hand = Stock.objects.filter(sku=OuterRef("sku")).values("on_hand")
    return (
        Batch.objects.filter(sku__in=skus)
        .annotate(
            newer_units=Coalesce(Subquery(newer), Value(0)),
            on_hand=Coalesce(Subquery(on_hand), Value(0)),
        )
        .filter(newer_units__lt=F("on_hand"))
    )


HOURS = DecimalField(max_digits=12, decimal_places=2)
COUNT = IntegerField()


def _total(queryset, template: str, expression, output_field) -> Subquery:
    """One aggregate over every row of ``queryset`` as a scalar subquery. (Django would group a
    subquery by the rows it annotates; a ``Func`` is no aggregate to it, so nothing is grouped.)"""
    total = Func(expression, template=template, output_field=output_field)
    return Subquery(queryset.order_by().values(total=total)[:1], output_field=output_field)


def stock_provenance(skus: list[SKU]) -> Provenance | None:
    """The provenance of the units on hand of ``skus`` (loaded with
    ``select_related("workshop__trade")``), over the union of their batches in stock: two
    queries whatever the number of SKUs, batches or records; None without SKUs.

    A production record counts when its SKU's workshop made it on a day of one of that SKU's
    batches in stock, so people are counted once across batches. Training counts the makers'
    sessions on any day of those batches; certificates, the makers' certificates in force in
    the trade of a workshop they made them in, issued by the last day of a batch of that trade.
    The trade shown is the first SKU's."""
    if not skus:
        return None
    in_stock = batches_in_stock(skus)
    covering = in_stock.filter(
        sku=OuterRef("sku"), made_from__lte=OuterRef("day"), made_to__gte=OuterRef("day")
    )
    records = ProductionRecord.objects.filter(sku__in=skus, workshop=F("sku__workshop")).filter(
        Exists(covering)
    )
    makers = records.values("worker")
    training = TrainingAttendance.objects.filter(
        Exists(in_stock.filter(made_from__lte=OuterRef("day"), made_to__gte=OuterRef("day"))),
        enrolment__worker__in=makers,
    )
    certificates = Certificate.objects.filter(
        Exists(
            in_stock.filter(
                sku__workshop__trade=OuterRef("enrolment__course__trade"),
                made_to__gte=OuterRef("issued_on"),
            )
        ),
        Exists(
            records.filter(
                worker=OuterRef("enrolment__worker"),
                workshop__trade=OuterRef("enrolment__course__trade"),
            )
        ),
        revoked_on__isnull=True,
        superseded_by__isnull=True,
    )
    # The four figures in one query: each a subquery over all its rows, read beside one row.
    made = (
        SKU.objects.filter(pk=skus[0].pk)
        .values(
            hours=_total(records, "SUM(%(expressions)s)", F("hours"), HOURS),
            people=_total(records, "COUNT(DISTINCT %(expressions)s)", F("worker"), COUNT),
            training=_total(training, "SUM(%(expressions)s)", F("hours"), HOURS),
            certificates=_total(certificates, "COUNT(%(expressions)s)", F("pk"), COUNT),
        )
        .get()
    )
    covered = in_stock.filter(sku__workshop=OuterRef("workshop"), made_to__gte=OuterRef("start"))
    contracts = Contract.objects.filter(
        Q(Exists(covered), end__isnull=True)
        | Q(Exists(covered.filter(made_from__lte=OuterRef("end"))))
    ).select_related("partner")
    partners = tuple({contract.partner_id: contract.partner for contract in contracts}.values())
    return Provenance(
        worker_hours=made["hours"] or Decimal(0),
        people=published_count(made["people"] or 0),
        trade=skus[0].workshop.trade,
        training_hours=made["training"] or Decimal(0),
        certificates=published_count(made["certificates"] or 0),
        partners=partners,
    )
