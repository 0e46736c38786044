"""What a payslip says, read for a batch of a run's lines at once (a fixed number of queries per
batch, whatever its size): the work the run paid, by workshop and span of days at one rate; the
training; adjustments and gross; each deduction; own spending; back wages owed and paid out; the
makers' share of sales; and the worker's sub-account balances after the run.

    SlipReader(run)                        what every slip of the run shares, read once
    reader.slips(lines) -> [Slip]          one per line, in the lines' order

**The work** is the production records the run paid (those its production lock holds), summed
per workshop and day, then joined into spans of consecutive worked days of one workshop at one
payer and rates (``wages.payruns.prices``: a contract's, else the workshop's or its trade's).

**Balances after the run** are read from the ledger, never from a copy: the sum of the entries of
the worker's sub-accounts (``wages.ledger.worker_accounts`` kinds) in journals up to and including
the run's last journal (journals are numbered in the order they were posted). A slip generated
later therefore shows the same balances as one generated at posting.
"""

import datetime
import itertools
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Max, Min, Sum
from django.utils.translation import gettext_lazy as _
from djmoney.money import Money

from core.i18n import check_language
from wages.ledger import worker_accounts
from wages.models import Entry, Journal, PayRun, PayRunLine
from wages.payruns.amounts import OWN, ZERO, cents
from wages.payruns.line_display import names_of_payers
from wages.payruns.prices import NoRate, Prices
from wages.payruns.records import locked_records
from workshops.models import DeductionCategory, Workshop

DAY = datetime.timedelta(days=1)


@dataclass
class Span:
    """Work of one workshop on consecutive worked days at one payer and rates."""

    workshop: Workshop
    first: datetime.date
    last: datetime.date
    payer: str
    hourly: Money | None
    piece: Money | None
    hours: Decimal = ZERO
    pieces: int = 0


@dataclass
class Slip:
    line: PayRunLine
    language: str
    spans: list[Span] = field(default_factory=list)
    work_pay: Money | None = None
    training_rate: Money | None = None
    training_pay: Money | None = None
    adjustments: Money | None = None
    gross: Money | None = None
    deductions: list[tuple[str, Money]] = field(default_factory=list)
    deductions_total: Money | None = None
    own_spending: Money | None = None
    back_wages: Money | None = None
    back_wages_paid: Money | None = None
    sales_share: Money | None = None
    balances: list[tuple[str, Money]] = field(default_factory=list)

    @property
    def workshop_ids(self) -> set[int]:
        return {span.workshop.pk for span in self.spans}


class SlipReader:
    """What the slips of ``run`` share: its workshops, rates, category and payer names, the
    worker accounts' purposes and the run's last journal; read once, in a few queries."""

    def __init__(self, run: PayRun):
        self.run = run
        self.currency = run.currency
        self.workshops = {w.pk: w for w in Workshop.objects.filter(prison_id=run.prison_id)}
        self.records = locked_records(run)
        first = self.records.aggregate(day=Min("day"))["day"] or run.period_start
        self.prices = Prices(
            list(self.workshops.values()), min(first, run.period_start), run.period_end
        )
        self.payer_names = names_of_payers()
        categories = {c.code: c.name for c in DeductionCategory.objects.all()}
        codes = (
            list(
                run.policy.allocations.order_by("priority").values_list("category__code", flat=True)
            )
            if run.policy
            else []
        )
        self.categories, self.codes = categories, codes
        self.training_rate = run.policy.training_rate.amount if run.policy else ZERO
        self.purposes = {p: kind for kind, p in worker_accounts.purposes().items() if p}
        self.kind_names = _kind_names(categories)
        self.last_journal = (
            Journal.objects.filter(chain_id=run.chain_id).aggregate(last=Max("pk"))["last"]
            if run.chain_id
            else None
        )

    def money(self, amount) -> Money:
        return Money(Decimal(amount), self.currency)

    def slips(self, lines: list[PayRunLine]) -> list[Slip]:
        """The slips of ``lines`` (with their workers), in three queries whatever their number."""
        ids = [line.worker_id for line in lines]
        spans = self._spans(ids)
        balances = self._balances(ids)
        return [self._slip(line, spans.get(line.worker_id, []), balances) for line in lines]

    def _slip(self, line: PayRunLine, spans: list[Span], balances: dict) -> Slip:
        money = self.money
        training = cents(line.training_hours * self.training_rate, self.currency)
        deductions = [
            (self.categories.get(code, code), money(line.deductions.get(code, 0)))
            for code in self.codes or list(line.deductions)
        ]
        total = sum((Decimal(amount) for amount in line.deductions.values()), ZERO)
        kinds = worker_accounts.KINDS
        language = line.worker.language
        try:
            check_language(language)
        except ValueError:
            language = None  # rendered in the default language (``generation``)
        return Slip(
            line=line,
            language=language,
            spans=spans,
            work_pay=money(line.earned - training),
            training_rate=money(self.training_rate),
            training_pay=money(training),
            adjustments=money(line.adjustments),
            gross=money(line.gross),
            deductions=deductions,
            deductions_total=money(total),
            own_spending=money(line.own_spending),
            back_wages=money(line.back_wages),
            back_wages_paid=money(line.back_wages_paid),
            sales_share=money(line.sales_share),
            balances=[
                (self.kind_names[kind], money(balances.get((line.worker_id, kind), ZERO)))
                for kind in kinds
                if kind in self.purposes.values()
            ],
        )

    def _spans(self, worker_ids: list[int]) -> dict[int, list[Span]]:
        rows = (
            self.records.filter(worker_id__in=worker_ids)
            .values_list("worker_id", "workshop_id", "day")
            .annotate(hours=Sum("hours"), pieces=Sum("pieces"))
            .order_by("worker_id", "workshop_id", "day")
        )
        found: dict[int, list[Span]] = {}
        for (worker_id, workshop_id), days in itertools.groupby(rows, key=lambda r: r[:2]):
            spans = found.setdefault(worker_id, [])
            current = None
            for _worker, _workshop, day, hours, pieces in days:
                try:
                    price = self.prices.on(workshop_id, day)
                    rates = (price.payer, price.hourly, price.piece)
                except NoRate:  # paid by a rate since ended: shown without it
                    rates = (OWN, None, None)
                if current is None or (current.payer, *self._amounts(current)) != rates:
                    current = Span(
                        self.workshops[workshop_id],
                        day,
                        day,
                        rates[0],
                        *(self.money(r) if r is not None else None for r in rates[1:]),
                    )
                    spans.append(current)
                current.last = day
                current.hours += Decimal(hours or 0)
                current.pieces += int(pieces or 0)
        return found

    @staticmethod
    def _amounts(span: Span) -> tuple:
        return tuple(r.amount if r is not None else None for r in (span.hourly, span.piece))

    def _balances(self, worker_ids: list[int]) -> dict[tuple[int, str], Decimal]:
        """What each worker is owed in each sub-account after the run's last journal."""
        if self.last_journal is None or not self.purposes:
            return {}
        rows = (
            Entry.objects.filter(
                account__worker_id__in=worker_ids,
                account__currency=self.currency,
                account__purpose__in=list(self.purposes),
                journal_id__lte=self.last_journal,
            )
            .values_list("account__worker_id", "account__purpose")
            .annotate(total=Sum("amount"))
            .order_by()
        )
        return {(worker, self.purposes[purpose]): -total for worker, purpose, total in rows}


def _kind_names(categories: dict) -> dict:
    """The balances' names: the fixed ones translated when the slip is rendered (in the worker's
    language), the family's and savings' those of their deduction categories."""
    names = {
        worker_accounts.OWN_SPENDING: _("Own spending"),
        worker_accounts.BACK_WAGES_OWED: _("Back wages owed"),
    }
    for kind in (worker_accounts.FAMILY, worker_accounts.RELEASE_SAVINGS):
        category = worker_accounts.category_for(kind)
        names[kind] = category.name if category else kind
    return names
