"""GENDER_ACCESS: women and men have access to the same trades, pay and training (Bangkok Rule 42:
women "shall have access to a balanced and comprehensive programme of activities"; UN model
strategies on reducing reoffending, No. 11).

Reads the production records in scope with their workers' sex, the enrolments of those workers,
the pay rates and contracts the records are priced by, and the compliance thresholds in force
(``gender_gap``). For each piece of the period (cut where the thresholds change) it compares, and
flags a gap **above** ``gender_gap`` (exactly at it passes):

- (a) **segregation**: per trade worked in scope, women's share of the trade's workers against
  women's share of all the workers in scope, in percentage points. A workshop's scope is compared
  with its prison's workers instead: one workshop is one trade, and whether women reach it shows
  only against the population it draws from;
- (b) **pay**: per trade, women's effective hourly pay against men's, as a % of men's. Effective
  pay is each record's hours and accepted pieces priced at the rates the pay run prices them at
  (``wages.payruns.prices.Prices``: the contract in force, else the workshop's pay rate, else the
  trade's), over the hours worked: the women's of the trade together, and the men's. Not from
  posted pay run lines: a line is a worker's whole run, across every trade and payer they worked
  for, and its ``earned`` includes training pay, so it cannot be split by trade; it also exists
  only once a run is posted. The records priced by the same rates can, for any period;
- (c) **training**: women's share of the enrolments (open at some time in the piece, of the
  workers who worked in scope in it) against women's share of those workers.

Only where both sexes are among the workers compared: a women's prison (or a partner employing
men only) cannot show segregation or a gap between the sexes, so it gives no finding of (a)–(c);
(b) further needs both sexes in the trade, with hours, and (c) at least one enrolment and both
sexes among the workers in scope.

Findings name no worker (``worker`` is None): they are about groups. The counts in them may be
under 5; they are for the back office, and the published figures suppress counts under 5
(DESIGN.md, "Privacy and dignity"). Evidence: the trade's workshops in scope (a, b), the courses
enrolled on (c).

Missing data (minor, the rule's severity): no thresholds in force for part of the period; work in
a trade that no contract or pay rate prices (its pay cannot be compared, so it is left out of (b)).

Queries, whatever the number of workers: three for the workshops worked in and their prices, one
for the thresholds' versions, then per piece of the period one (per trade and sex: workers, hours,
pay and unpriced records) and, where thresholds were in force, two more (workers per sex, by
probing each worker's records; enrolments per course and sex).
"""

import itertools
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
)
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from djmoney.money import Money

from compliance.models import ComplianceThresholds
from compliance.rules.base import MINOR, Rule, register
from compliance.rules.evidence import MAX_EVIDENCE, evidence, evidence_of
from core.formatting import format_day, format_money, format_number
from wages.payruns.prices import NoRate, Prices
from workshops.models import Course, Enrolment, ProductionRecord, Worker, Workshop

HUNDREDTH = Decimal("0.01")
RATE = DecimalField(max_digits=14, decimal_places=4)
PAY = DecimalField(max_digits=20, decimal_places=6)
HOURS = DecimalField(max_digits=14, decimal_places=2)
WOMEN, MEN = Worker.Sex.FEMALE.value, Worker.Sex.MALE.value


@register
class GenderAccess(Rule):
    code = "GENDER_ACCESS"
    title = gettext_lazy("Women and men have access to the same trades, pay and training")
    source = "Bangkok Rule 42; UN model strategies on reducing reoffending, No. 11"
    severity = MINOR

    def check(self, context):
        scope, start, end = context.scope, context.start, context.end
        worked = scope.production(start, end).filter(workshop=OuterRef("pk"))
        workshops = list(
            Workshop.objects.filter(Exists(worked)).select_related("trade").order_by("slug")
        )
        if not workshops:
            return
        hourly, piece = _price_cases(Prices(workshops, start, end), workshops)
        trades = {workshop.trade_id: workshop.trade for workshop in workshops}
        places = {}
        for workshop in workshops:
            places.setdefault(workshop.trade_id, []).append(workshop)
        unpriced: dict[int, int] = {}
        for first, last, thresholds in context.segments(ComplianceThresholds):
            piece_of = _Piece(self, context, first, last, thresholds, trades, places)
            rows = piece_of.per_trade(hourly, piece)
            for row in rows:
                if row["unpriced"]:
                    trade = row["workshop__trade"]
                    unpriced[trade] = unpriced.get(trade, 0) + row["unpriced"]
            if thresholds is None:
                yield self.missing(
                    context,
                    start=first,
                    end=last,
                    detail=_(
                        "No compliance thresholds were in force from %(start)s to %(end)s: "
                        "women's and men's access cannot be compared. Add the thresholds in "
                        "force then."
                    )
                    % {"start": format_day(first), "end": format_day(last)},
                )
                continue
            yield from piece_of.findings(rows)
        for trade_id, records in sorted(unpriced.items(), key=lambda item: trades[item[0]].name):
            trade = trades[trade_id]
            yield self.missing(
                context,
                detail=_(
                    "No contract or pay rate prices %(records)s records of the trade %(trade)s "
                    "from %(start)s to %(end)s: women's and men's pay in it cannot be compared. "
                    "Add the pay rates in force then."
                )
                % {
                    "records": format_number(records),
                    "trade": trade.name,
                    "start": format_day(start),
                    "end": format_day(end),
                },
                figures={"trade": trade.slug, "unpriced_records": records},
                evidence=evidence(*places[trade_id][:MAX_EVIDENCE]),
            )


class _Piece:
    """The comparisons of one piece of the period, under one version of the thresholds."""

    def __init__(self, rule, context, first, last, thresholds, trades, places):
        self.rule, self.context = rule, context
        self.first, self.last, self.thresholds = first, last, thresholds
        self.trades, self.places = trades, places
        self.production = context.scope.production(first, last).order_by()
        scope = context.scope
        if scope.kind == "workshop":  # (a) compares a workshop with its prison's workers
            self.population = ProductionRecord.objects.filter(
                day__gte=first, day__lte=last, workshop__prison=scope.target.prison_id
            )
            self.population_words = _("all the workers of %(prison)s") % {
                "prison": scope.target.prison.name
            }
        else:
            self.population = self.production
            self.population_words = _("all the workers in scope")

    def per_trade(self, hourly, piece) -> list[dict]:
        priced = Q(hourly__isnull=False)
        return list(
            self.production.annotate(hourly=hourly, piece=piece)
            .values("workshop__trade", "worker__sex")
            .annotate(
                workers=Count("worker", distinct=True),
                priced_hours=Sum("hours", filter=priced, output_field=HOURS),
                pay=Sum(F("hours") * F("hourly") + F("pieces") * F("piece"), output_field=PAY),
                unpriced=Count("pk", filter=~priced),
            )
            .order_by("workshop__trade", "worker__sex")
        )

    def findings(self, rows):
        compared = _by_sex(self.population)
        if not compared.get(WOMEN) or not compared.get(MEN):
            return  # one sex only: nothing to compare (the module's docstring)
        women, everyone = compared[WOMEN], compared[WOMEN] + compared[MEN]
        by_trade = {}
        for row in rows:
            by_trade.setdefault(row["workshop__trade"], {})[row["worker__sex"]] = row
        ordered = sorted(by_trade.items(), key=lambda item: self.trades[item[0]].name)
        for trade_id, sexes in ordered:
            yield from self._segregation(trade_id, sexes, women, everyone)
        for trade_id, sexes in ordered:
            yield from self._pay(trade_id, sexes)
        in_scope = compared if self.population is self.production else _by_sex(self.production)
        if in_scope.get(WOMEN) and in_scope.get(MEN):
            yield from self._training(in_scope[WOMEN], in_scope[WOMEN] + in_scope[MEN])

    @property
    def gap(self) -> Decimal:
        return self.thresholds.gender_gap

    def _words(self) -> dict:
        return {
            "start": format_day(self.first),
            "end": format_day(self.last),
            "threshold": format_number(self.gap, places=2),
        }

    def _segregation(self, trade_id, sexes, women, everyone):
        trade = self.trades[trade_id]
        trade_women = sexes[WOMEN]["workers"] if WOMEN in sexes else 0
        trade_workers = trade_women + (sexes[MEN]["workers"] if MEN in sexes else 0)
        trade_share = Decimal(trade_women) * 100 / trade_workers
        share = Decimal(women) * 100 / everyone
        gap = trade_share - share
        if abs(gap) <= self.gap:
            return
        yield self.rule.finding(
            self.context,
            start=self.first,
            end=self.last,
            detail=_(
                "Women are %(trade_share)s %% of the workers in %(trade)s (%(trade_women)s of "
                "%(trade_workers)s) against %(share)s %% of %(population)s "
                "(%(women)s of %(workers)s) from %(start)s to %(end)s: %(gap)s points apart, "
                "more than %(threshold)s."
            )
            % {
                **self._words(),
                "population": self.population_words,
                "trade": trade.name,
                "trade_share": format_number(trade_share, places=2),
                "trade_women": format_number(trade_women),
                "trade_workers": format_number(trade_workers),
                "share": format_number(share, places=2),
                "women": format_number(women),
                "workers": format_number(everyone),
                "gap": format_number(abs(gap), places=2),
            },
            figures={
                "comparison": "trade",
                "trade": trade.slug,
                "trade_women": trade_women,
                "trade_workers": trade_workers,
                "women": women,
                "workers": everyone,
                "trade_women_share": trade_share.quantize(HUNDREDTH),
                "women_share": share.quantize(HUNDREDTH),
                "gap_points": gap.quantize(HUNDREDTH),
                "gender_gap": self.gap,
            },
            evidence=evidence(*self.places[trade_id][:MAX_EVIDENCE]),
        )

    def _pay(self, trade_id, sexes):
        if WOMEN not in sexes or MEN not in sexes:
            return  # (a) says so, when it is a gap
        if sexes[WOMEN]["unpriced"] or sexes[MEN]["unpriced"]:
            return  # a missing-data finding says so
        women_hours = sexes[WOMEN]["priced_hours"] or 0
        men_hours = sexes[MEN]["priced_hours"] or 0
        if not women_hours or not men_hours:
            return
        women_pay = sexes[WOMEN]["pay"] / women_hours
        men_pay = sexes[MEN]["pay"] / men_hours
        if not men_pay:
            return
        gap = (men_pay - women_pay) * 100 / men_pay  # women's below men's is positive
        if abs(gap) <= self.gap:
            return
        trade = self.trades[trade_id]
        words = {
            **self._words(),
            "trade": trade.name,
            "women_pay": format_money(Money(women_pay, settings.BRIDGEWORK_CURRENCY)),
            "men_pay": format_money(Money(men_pay, settings.BRIDGEWORK_CURRENCY)),
            "gap": format_number(abs(gap), places=2),
        }
        if gap > 0:
            detail = _(
                "Women's effective pay in %(trade)s was %(women_pay)s an hour against men's "
                "%(men_pay)s from %(start)s to %(end)s: %(gap)s %% below men's, more than "
                "%(threshold)s %%."
            )
        else:
            detail = _(
                "Women's effective pay in %(trade)s was %(women_pay)s an hour against men's "
                "%(men_pay)s from %(start)s to %(end)s: %(gap)s %% above men's, more than "
                "%(threshold)s %%."
            )
        yield self.rule.finding(
            self.context,
            start=self.first,
            end=self.last,
            detail=detail % words,
            figures={
                "comparison": "pay",
                "trade": trade.slug,
                "women_hourly": women_pay.quantize(HUNDREDTH),
                "men_hourly": men_pay.quantize(HUNDREDTH),
                "women_hours": women_hours.quantize(HUNDREDTH),
                "men_hours": men_hours.quantize(HUNDREDTH),
                "gap_percent": gap.quantize(HUNDREDTH),
                "gender_gap": self.gap,
            },
            evidence=evidence(*self.places[trade_id][:MAX_EVIDENCE]),
        )

    def _training(self, women, everyone):
        worked = self.context.scope.production(self.first, self.last).filter(
            worker=OuterRef("worker")
        )
        rows = list(
            Enrolment.objects.filter(enrolled_on__lte=self.last)
            .filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=self.first))
            .filter(Exists(worked))
            .order_by()
            .values("course", "worker__sex")
            .annotate(count=Count("pk"))
            .values_list("course", "worker__sex", "count")
        )
        enrolments = sum(count for _course, _sex, count in rows)
        if not enrolments:
            return  # no training at all: TRAINING_SHARE's finding, not a gap between the sexes
        enrolled_women = sum(count for _course, sex, count in rows if sex == WOMEN)
        enrolled_share = Decimal(enrolled_women) * 100 / enrolments
        share = Decimal(women) * 100 / everyone
        gap = enrolled_share - share
        if abs(gap) <= self.gap:
            return
        courses = sorted({course for course, _sex, _count in rows})[:MAX_EVIDENCE]
        yield self.rule.finding(
            self.context,
            start=self.first,
            end=self.last,
            detail=_(
                "Women hold %(enrolled_share)s %% of the enrolments (%(enrolled_women)s of "
                "%(enrolments)s) against %(share)s %% of the workers in scope (%(women)s of "
                "%(workers)s) from %(start)s to %(end)s: %(gap)s points apart, more than "
                "%(threshold)s."
            )
            % {
                **self._words(),
                "enrolled_share": format_number(enrolled_share, places=2),
                "enrolled_women": format_number(enrolled_women),
                "enrolments": format_number(enrolments),
                "share": format_number(share, places=2),
                "women": format_number(women),
                "workers": format_number(everyone),
                "gap": format_number(abs(gap), places=2),
            },
            figures={
                "comparison": "training",
                "enrolled_women": enrolled_women,
                "enrolments": enrolments,
                "women": women,
                "workers": everyone,
                "enrolled_women_share": enrolled_share.quantize(HUNDREDTH),
                "women_share": share.quantize(HUNDREDTH),
                "gap_points": gap.quantize(HUNDREDTH),
                "gender_gap": self.gap,
            },
            evidence=evidence_of(Course, courses),
        )


def _by_sex(production) -> dict[str, int]:
    """The number of workers of each sex with records in ``production``, by probes of each
    worker's records by index: no scan of them all."""
    worked = production.filter(worker=OuterRef("pk"))
    return dict(
        Worker.objects.filter(Exists(worked))
        .order_by()
        .values("sex")
        .annotate(count=Count("pk"))
        .values_list("sex", "count")
    )


def _price_cases(prices: Prices, workshops) -> tuple[Case, Case]:
    """Two expressions giving each production record the hourly and piece rate it is paid at,
    NULL where no contract or pay rate prices it: one branch per workshop and span of unchanged
    rates (so as many as workshops times rate changes, never as many as records or workers)."""
    hourly, piece = [], []
    spans = list(itertools.pairwise(prices.boundaries()))
    for workshop in workshops:
        runs = []  # (first, after, price), adjacent spans of the same price merged
        for first, after in spans:
            try:
                price = prices.on(workshop.pk, first)
            except NoRate:
                price = None
            if runs and runs[-1][2] == price and runs[-1][1] == first:
                runs[-1] = (runs[-1][0], after, price)
            else:
                runs.append((first, after, price))
        for first, after, price in runs:
            if price is None:
                continue
            where = Q(workshop_id=workshop.pk)
            if (first, after) != (spans[0][0], spans[-1][1]):
                where &= Q(day__gte=first, day__lt=after)
            hourly.append(When(where, then=Value(price.hourly, output_field=RATE)))
            piece.append(When(where, then=Value(price.piece, output_field=RATE)))
    return (
        Case(*hourly, default=Value(None, output_field=RATE), output_field=RATE),
        Case(*piece, default=Value(None, output_field=RATE), output_field=RATE),
    )
