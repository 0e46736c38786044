"""TRAINING_SHARE: work comes with training (Mandela Rules 98–99: "vocational training in useful
trades"; UN model strategies on reducing reoffending, No. 11: work and training together).

Reads the production records in scope (hours worked), the training attendance of the workers who
worked there (``workshops.TrainingAttendance``, wherever it was recorded: training belongs to the
person, not to the workshop), the active courses (``workshops.Course``) and the compliance
thresholds in force (``training_share``, % of the hours worked).

Finds:

- a worker whose training hours in a piece of the period (cut where the thresholds change) are
  below ``training_share`` % of the hours they worked in scope in it (minor). Exactly at the share
  passes; the hours required are rounded up to the hundredth of an hour, as attendance is kept, so
  0.01 h less fails;
- a trade worked in scope (a workshop of it has records in the period) without an active course:
  no training is offered in it at all, so this one is **major** (a shortfall of one worker is
  minor, a trade nobody can train in is the programme's failure);
- no thresholds in force for part of the period (missing data, minor: the rule's severity).

Four queries per piece of the period whatever the number of workers (the hours worked per
worker, the hours trained per worker, then the evidence of those short: their attendance and
their production, the first records each by a window), and one for the trades.
"""

from decimal import ROUND_CEILING, Decimal

from django.db.models import Exists, F, OuterRef, Sum, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from compliance.models import ComplianceThresholds
from compliance.rules.base import MAJOR, MINOR, Rule, register
from compliance.rules.evidence import MAX_EVIDENCE, evidence, evidence_of
from core.formatting import format_day, format_number
from workshops.models import Course, ProductionRecord, TrainingAttendance, Workshop

HUNDREDTH = Decimal("0.01")
ATTENDANCE_CITED = MAX_EVIDENCE // 2  # the rest of a finding's evidence is production


@register
class TrainingShare(Rule):
    code = "TRAINING_SHARE"
    title = gettext_lazy("Training hours at least the share of hours worked; a course per trade")
    source = "Mandela Rules 98–99; UN model strategies on reducing reoffending, No. 11"
    severity = MINOR

    def check(self, context):
        yield from self._trades_without_course(context)
        for first, last, thresholds in context.segments(ComplianceThresholds):
            if thresholds is None:
                yield self.missing(
                    context,
                    start=first,
                    end=last,
                    detail=_(
                        "No compliance thresholds were in force from %(start)s to %(end)s: the "
                        "training share cannot be checked. Add the thresholds in force then."
                    )
                    % {"start": format_day(first), "end": format_day(last)},
                )
                continue
            yield from self._short_of_training(context, first, last, thresholds)

    def _short_of_training(self, context, first, last, thresholds):
        share = thresholds.training_share
        production = context.scope.production(first, last).order_by()
        rows = (
            production.values("worker", "worker__reference")
            .annotate(worked=Sum("hours"))
            .filter(worked__gt=0)
            .order_by("worker__reference")
        )
        trained = dict(
            TrainingAttendance.objects.filter(
                day__gte=first,
                day__lte=last,
                enrolment__worker__in=production.values("worker"),
            )
            .order_by()
            .values("enrolment__worker")
            .annotate(hours=Sum("hours"))
            .values_list("enrolment__worker", "hours")
        )
        short = []
        for row in rows:
            row["worked"] = row["worked"].quantize(HUNDREDTH)  # SQLite sums in floating point
            row["trained"] = Decimal(trained.get(row["worker"], 0)).quantize(HUNDREDTH)
            required = (row["worked"] * share / 100).quantize(HUNDREDTH, rounding=ROUND_CEILING)
            if row["trained"] < required:
                short.append((row, required))
        if not short:
            return
        cited = self._evidence(context, first, last, [row["worker"] for row, _ in short])
        for row, required in short:
            worked, training = row["worked"], row["trained"]
            achieved = (training * 100 / worked).quantize(HUNDREDTH)
            yield self.finding(
                context,
                worker=row["worker__reference"],
                start=first,
                end=last,
                detail=_(
                    "%(training)s h of training from %(start)s to %(end)s against %(worked)s h "
                    "worked: %(achieved)s %%, below the required %(share)s %% (%(required)s h)."
                )
                % {
                    "training": format_number(training, places=2),
                    "worked": format_number(worked, places=2),
                    "achieved": format_number(achieved, places=2),
                    "share": format_number(share, places=2),
                    "required": format_number(required, places=2),
                    "start": format_day(first),
                    "end": format_day(last),
                },
                figures={
                    "worked_hours": worked,
                    "training_hours": training,
                    "required_hours": required,
                    "training_share": share,
                    "achieved_share": achieved,
                },
                evidence=cited.get(row["worker"], ()),
            )

    def _evidence(self, context, first, last, workers):
        """The first attendance records (by id) of each worker short of training, then their
        first production records, ``MAX_EVIDENCE`` in all: two queries, a window each."""
        attendance = _first_of_each(
            TrainingAttendance.objects.filter(
                enrolment__worker__in=workers, day__gte=first, day__lte=last
            ),
            "enrolment__worker",
            ATTENDANCE_CITED,
        )
        production = _first_of_each(
            context.scope.production(first, last).filter(worker__in=workers),
            "worker",
            MAX_EVIDENCE,
        )
        cited = {}
        for worker in workers:
            sessions = evidence_of(TrainingAttendance, attendance.get(worker, ()))
            records = evidence_of(
                ProductionRecord, production.get(worker, ()), limit=MAX_EVIDENCE - len(sessions)
            )
            cited[worker] = sessions + records
        return cited

    def _trades_without_course(self, context):
        worked = context.scope.production(context.start, context.end).filter(
            workshop=OuterRef("pk")
        )
        course = Course.objects.filter(trade=OuterRef("trade"), is_active=True)
        workshops = (
            Workshop.objects.filter(Exists(worked))
            .exclude(Exists(course))
            .select_related("trade")
            .order_by("trade__name", "slug")
        )
        by_trade = {}
        for workshop in workshops:
            by_trade.setdefault(workshop.trade, []).append(workshop)
        for trade, places in by_trade.items():
            yield self.finding(
                context,
                severity=MAJOR,
                detail=_(
                    "No active course in the trade %(trade)s, worked in %(workshops)s from "
                    "%(start)s to %(end)s: no training is offered in it."
                )
                % {
                    "trade": trade.name,
                    "workshops": ", ".join(place.name for place in places),
                    "start": format_day(context.start),
                    "end": format_day(context.end),
                },
                figures={"trade": trade.slug, "workshops": len(places), "active_courses": 0},
                evidence=evidence(trade, *places[: MAX_EVIDENCE - 1]),
            )


def _first_of_each(queryset, key: str, limit: int) -> dict[int, list[int]]:
    """The ids of the first ``limit`` rows (by id) of ``queryset`` per value of ``key``."""
    rows = (
        queryset.order_by()
        .annotate(number=Window(RowNumber(), partition_by=[F(key)], order_by=F("pk").asc()))
        .filter(number__lte=limit)
        .values_list(key, "pk")
    )
    found: dict[int, list[int]] = {}
    for owner, pk in rows:
        found.setdefault(owner, []).append(pk)
    return found
