"""The impact figures, for the last 12 months and since the start, from the records themselves:

- work: people who worked and hours worked (production records);
- wages: gross pay of posted pay runs only (never drafts, calculated, approved or cancelled
  runs), by currency, and the median pay per hour of work against the pay floor in force;
- training: people trained and hours of training attended;
- certificates: in force (not revoked; a reissued certificate counts once, from its first issue),
  by trade, with the women's share.

Sales are left out until the shop records them.

Only aggregates leave here, and a count under ``THRESHOLD`` never does (DESIGN.md, "Privacy"):
a period in which fewer than 5 people worked publishes no work or wage figures, fewer than 5
trainees no training hours, and a trade's certificate count under 5 is suppressed together with
the next smallest counts (``suppress``), so that the total less the rest reveals nothing.

``compute(today)`` returns a JSON-able dict; ``impact_figures()`` reads it from the cache and
computes it on a miss; ``store(figures)`` puts it there (the recompute task does).
"""

import datetime
import statistics
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.core.cache import cache
from django.db.models import Sum
from django.utils import timezone

from wages.models import PayPolicy, PayRun, PayRunLine
from workshops.models import Certificate, ProductionRecord, Trade, TrainingAttendance, Worker

THRESHOLD = 5
CACHE_KEY = "brand.impact.figures.v1"
CACHE_SECONDS = 24 * 60 * 60  # the 12 months move on each day: a day-old result is recomputed
CENT = Decimal("0.01")
PERIODS = ("year", "all")  # the last 12 months, since the start


def impact_figures() -> dict:
    """The figures from the cache, computed and stored on a miss."""
    figures = cache.get(CACHE_KEY)
    if figures is None:
        figures = store(compute())
    return figures


def store(figures: dict) -> dict:
    cache.set(CACHE_KEY, figures, CACHE_SECONDS)
    return figures


def compute(today: datetime.date | None = None) -> dict:
    today = today or timezone.localdate()
    floor = floor_in_force(today)
    certificates = _certificates()
    names = _trade_names({trade for trade, _, _ in certificates.values()})
    periods = {}
    for key in PERIODS:
        start = year_before(today) if key == "year" else None
        work = work_figures(start, today)
        periods[key] = {
            "start": start.isoformat() if start else None,
            "work": work,
            "wages": wage_figures(start, today, floor) if not work["suppressed"] else _no_wages(),
            "training": training_figures(start, today),
            "certificates": certificate_figures(certificates, names, start, today),
        }
    return {"computed_on": today.isoformat(), "floor": floor, "periods": periods}


def year_before(today: datetime.date) -> datetime.date:
    """The first day of the 12 months that end today."""
    try:
        then = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        then = today.replace(year=today.year - 1, day=28)
    return then + datetime.timedelta(days=1)


def floor_in_force(today: datetime.date) -> dict | None:
    """The least an hour of the administration's own work pays under the policy in force:
    ``floor_share`` % of the minimum wage, or None without a policy."""
    policy = PayPolicy.objects.filter(effective_from__lte=today).order_by("-effective_from").first()
    if policy is None:
        return None
    amount = policy.minimum_wage.amount * policy.floor_share / 100
    return {"amount": _text(amount), "currency": str(policy.minimum_wage.currency)}


def _in(queryset, field: str, start, today):
    queryset = queryset.filter(**{f"{field}__lte": today})
    return queryset.filter(**{f"{field}__gte": start}) if start else queryset


def work_figures(start, today) -> dict:
    records = _in(ProductionRecord.objects.filter(hours__gt=0), "day", start, today)
    return _people_and_hours(records, "worker")


def _people_and_hours(rows, person: str) -> dict:
    """How many people the rows are about and their hours, or neither under ``THRESHOLD``."""
    people = rows.values(person).distinct().count()
    if people < THRESHOLD:
        return {"suppressed": True, "people": None, "hours": None}
    hours = rows.aggregate(total=Sum("hours"))["total"]
    return {"suppressed": False, "people": people, "hours": _text(hours)}


def _no_wages() -> dict:
    return {"suppressed": True, "paid": [], "per_hour": []}


def wage_figures(start, today, floor: dict | None) -> dict:
    """Gross pay of the posted runs whose period ends in the period, by currency, and the median
    over workers of their pay per hour of work (what they earned less their training pay, over
    their hours), each only over at least ``THRESHOLD`` people."""
    lines = _in(
        PayRunLine.objects.filter(run__status=PayRun.Status.POSTED), "run__period_end", start, today
    ).values_list(
        "worker_id",
        "run__currency",
        "gross",
        "earned",
        "hours",
        "training_hours",
        "run__policy__training_rate",
    )
    gross = defaultdict(Decimal)
    paid_people = defaultdict(set)
    worked = defaultdict(lambda: [Decimal(0), Decimal(0)])  # (worker, currency) → [pay, hours]
    for worker, currency, line_gross, earned, hours, training_hours, training_rate in lines:
        gross[currency] += line_gross
        paid_people[currency].add(worker)
        if hours:
            training_pay = (training_hours * (training_rate or 0)).quantize(CENT, ROUND_HALF_UP)
            worked[worker, currency][0] += earned - training_pay
            worked[worker, currency][1] += hours
    per_hour = defaultdict(list)
    for (_, currency), (pay, hours) in worked.items():
        per_hour[currency].append(pay / hours)
    currencies = sorted(c for c, people in paid_people.items() if len(people) >= THRESHOLD)
    medians = []
    for currency in currencies:
        if len(per_hour[currency]) < THRESHOLD:
            continue
        median = Decimal(statistics.median(per_hour[currency]))
        same = floor is not None and floor["currency"] == currency
        medians.append(
            {
                "currency": currency,
                "median": _text(median),
                "floor": floor["amount"] if same else None,
            }
        )
    return {
        "suppressed": not currencies,
        "paid": [{"currency": c, "amount": _text(gross[c])} for c in currencies],
        "per_hour": medians,
    }


def training_figures(start, today) -> dict:
    attended = _in(TrainingAttendance.objects.filter(hours__gt=0), "day", start, today)
    return _people_and_hours(attended, "enrolment__worker")


def _certificates() -> dict:
    """Enrolment → (trade id, first issue, sex) for each enrolment whose current certificate
    (the last of its reissues) is not revoked; dated by the first certificate not revoked."""
    rows = Certificate.objects.values_list(
        "enrolment_id",
        "issued_on",
        "revoked_on",
        "superseded_by_id",
        "enrolment__course__trade_id",
        "enrolment__worker__sex",
    )
    in_force, first, about = set(), {}, {}
    for enrolment, issued_on, revoked_on, superseded_by, trade, sex in rows:
        if revoked_on is not None:
            continue
        if superseded_by is None:
            in_force.add(enrolment)
        if enrolment not in first or issued_on < first[enrolment]:
            first[enrolment] = issued_on
        about[enrolment] = (trade, sex)
    return {each: (about[each][0], first[each], about[each][1]) for each in in_force}


def _trade_names(trade_ids: set) -> dict:
    """Trade id → its slug and its name in each language (``Trade`` rows share a translation
    key), so the page needs no query for them."""
    keys = dict(Trade.objects.filter(pk__in=trade_ids).values_list("pk", "translation_key"))
    names = defaultdict(dict)
    slugs = {}
    for key, slug, language, name in Trade.objects.filter(
        translation_key__in=keys.values()
    ).values_list("translation_key", "slug", "locale__language_code", "name"):
        names[key][language] = name
        slugs[key] = slug
    return {pk: {"slug": slugs[key], "names": names[key]} for pk, key in keys.items()}


def certificate_figures(certificates: dict, names: dict, start, today) -> dict:
    by_trade = defaultdict(int)
    women = total = 0
    for trade, issued_on, sex in certificates.values():
        if issued_on > today or (start and issued_on < start):
            continue
        by_trade[trade] += 1
        total += 1
        women += sex == Worker.Sex.FEMALE
    order = sorted(by_trade, key=lambda trade: names[trade]["slug"])
    shown = suppress([by_trade[trade] for trade in order])
    share = None
    if women >= THRESHOLD and total - women >= THRESHOLD:
        share = _text(Decimal(women) / total, places=Decimal("0.001"))
    return {
        "total": total if total >= THRESHOLD else None,
        "trades": [
            {**names[trade], "count": count} for trade, count in zip(order, shown, strict=True)
        ],
        "women_share": share,
    }


def suppress(counts: list[int]) -> list[int | None]:
    """The counts with each under ``THRESHOLD`` replaced by None, and then the smallest of the
    rest too, until the hidden counts are at least two and add up to ``THRESHOLD`` or more (or
    all are hidden): the total less the shown counts then tells nothing about any one of them."""
    hidden = {n for n, count in enumerate(counts) if count < THRESHOLD}
    rest = sorted((count, n) for n, count in enumerate(counts) if n not in hidden)
    while hidden and rest and (len(hidden) < 2 or sum(counts[n] for n in hidden) < THRESHOLD):
        hidden.add(rest.pop(0)[1])
    return [None if n in hidden else count for n, count in enumerate(counts)]


def _text(value, places: Decimal = CENT) -> str:
    return str(Decimal(value or 0).quantize(places, ROUND_HALF_UP))
