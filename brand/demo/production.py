"""Months of production for every demo workshop, imported through the same importer as a
supervisor's file (so every record passes the same checks).

Each workshop works Monday to Friday; a worker's day goes to one of the register's SKUs and, where
the shop sells it as several variants of their own, to one of those (``brand.demo.catalogue``).
The first two weeks are history from before the prison used Bridgework (legacy rows, no
supervisor named, except in the fair partner's workshop, whose paper sheets named the prison's
supervisor; workers without a fitness clearance on file appear only there, and so does the
unfair partner's worker whose consent was signed after the work began:
``register_content.CONSENT_AFTER_WORK``). The unfair partner, Quickfix Assembly, has its placement
work a seven-day streak and some ten-hour days, each with the supervisor's reason; the compliance
rules find them.
"""

import datetime
import random
import zlib
from decimal import Decimal

from brand.demo import register_content as data
from brand.demo.catalogue import lines_of_skus
from workshops.models import (
    Assignment,
    Consent,
    FitnessClearance,
    ProductionRecord,
    SafetyIncident,
    Worker,
    Workshop,
    WorkshopSupervisor,
)
from workshops.production import import_production
from workshops.production.spreadsheet import write_csv

ONE_DAY = datetime.timedelta(days=1)
LEGACY_DAYS = 14
UNFAIR_PLACEMENT = "quickfix-assembly-placement"
STREAK_NOTE = "Weekend work ordered by Quickfix for a client deadline"
OVERTIME_NOTE = "Overtime requested by Quickfix; reported to the programme manager"
# The fair partner's workshop kept paper sheets naming the prison's supervisor before Bridgework.
SIGNED_HISTORY = {"jebel-qantar-tailoring"}
PIECES_PER_HOUR = {"piece": (3, 9), "pair": (2, 5), "set": (1, 3), "kg": (2, 6), "l": (4, 10)}


def _period(months: int) -> tuple[datetime.date, datetime.date]:
    last = data.DEMO_TODAY - ONE_DAY
    return last - datetime.timedelta(days=months * 30), last


def _covering(rows, day) -> bool:
    return any(start <= day and (end is None or day <= end) for start, end in rows)


def _unfair_days(first, last) -> tuple[set, set]:
    """The placement's seven-day streak (a whole week, weekend included, four weeks before the
    end, with the Monday after off) and its ten-hour days (the Tuesdays and Wednesdays of the two
    weeks after)."""
    monday = last - datetime.timedelta(days=last.weekday() + 28)
    streak = {monday + ONE_DAY * n for n in range(7)}
    long_days = {monday + datetime.timedelta(days=7 * week + n) for week in (1, 2) for n in (1, 2)}
    return {d for d in streak if first <= d}, {d for d in long_days if d <= last}


def production_rows(months: int) -> list[tuple]:
    """The demo's production as rows of the import format, in a fixed order."""
    first, last = _period(months)
    bridgework_from = first + datetime.timedelta(days=LEGACY_DAYS)
    streak, long_days = _unfair_days(bridgework_from, last)
    assignments, by_worker = {}, {}
    for worker, workshop, start, end in Assignment.objects.values_list(
        "worker__reference", "workshop__slug", "start", "end"
    ):
        assignments.setdefault(workshop, {}).setdefault(worker, []).append((start, end))
        by_worker.setdefault(worker, {}).setdefault(workshop, []).append((start, end))
    cleared = {}
    for worker, start, end in FitnessClearance.objects.values_list(
        "worker__reference", "cleared_on", "valid_until"
    ):
        cleared.setdefault(worker, []).append((start, end))
    consents = {}
    for worker, partner, signed, withdrawn in Consent.objects.filter(
        kind=Consent.Kind.WORK
    ).values_list("worker__reference", "partner_id", "signed_on", "withdrawn_on"):
        consents.setdefault(worker, []).append((partner, signed, withdrawn))
    supervisors = {
        s.workshop.slug: s.user.get_username()
        for s in WorkshopSupervisor.objects.select_related("workshop", "user")
    }
    line_of = lines_of_skus()
    rows = []
    workshops = Workshop.objects.prefetch_related("skus", "contracts").order_by("slug")
    for workshop in workshops:
        rng = random.Random(f"production:{workshop.slug}")  # demo output, not security  # nosec B311
        skus = sorted(workshop.skus.all(), key=lambda sku: sku.code)
        # a day's work goes to one of the register's SKUs (its line), then to one SKU of that line
        variants = {sku.code: [sku] for sku in skus if sku.code not in line_of}
        for sku in skus:
            if sku.code in line_of and line_of[sku.code] in variants:
                variants[line_of[sku.code]].append(sku)
        skus = [sku for sku in skus if sku.code in variants]
        contracts = list(workshop.contracts.all())
        unfair = workshop.slug == UNFAIR_PLACEMENT
        for worker, periods in sorted(assignments.get(workshop.slug, {}).items()):
            day = first
            while day <= last:
                works = day.weekday() < 5 or (unfair and day in streak)
                if unfair and streak and day == max(streak) + ONE_DAY:
                    works = False  # the Monday after the streak: its day of rest, late
                if works and _covering(periods, day):
                    # a worker in two workshops that day shares the day between them
                    shared = sum(_covering(p, day) for p in by_worker[worker].values())
                    row = _row(
                        (workshop, worker, day, skus, contracts),
                        rng,
                        cleared,
                        consents,
                        legacy=day < bridgework_from,
                        variants=variants,
                        supervisor=supervisors[workshop.slug],
                        unfair=(unfair and day in streak, unfair and day in long_days),
                        shared=shared,
                    )
                    if row:
                        rows.append(row)
                day += ONE_DAY
    return rows


def _row(shift, rng, cleared, consents, *, legacy, variants, supervisor, unfair, shared):
    workshop, worker, day, skus, contracts = shift
    in_streak, long_day = unfair
    if not legacy:
        if not _covering(cleared.get(worker, []), day):
            return None  # no clearance on file: the supervisor does not put them to work
        contract = next(
            (c for c in contracts if c.start <= day and (c.end is None or day <= c.end)), None
        )
        if contract and not any(
            partner == contract.partner_id
            and signed <= day
            and (withdrawn is None or day < withdrawn + datetime.timedelta(days=7))
            for partner, signed, withdrawn in consents.get(worker, [])
        ):
            return None
    hours = Decimal("6.00") if day.weekday() == 4 else Decimal("7.00")
    note = ""
    if in_streak:
        note = STREAK_NOTE
    if long_day:
        hours, note = Decimal("10.00"), OVERTIME_NOTE
    hours = (hours / shared).quantize(Decimal("0.01"))
    if rng.random() < 0.03:
        hours = Decimal("0.00")  # there but sent back to the wing: a day with no output
    sku, pieces, rejects = "", "", ""
    if skus:
        chosen = skus[(day.toordinal() + zlib.crc32(worker.encode()) % 7) % len(skus)]
        low, high = PIECES_PER_HOUR[chosen.unit]
        made = int(hours * rng.randint(low, high))
        rejected = sum(1 for _ in range(made) if rng.random() < 0.03)
        line = variants[chosen.code]
        made_as = line[zlib.crc32(f"{worker}:{day}".encode()) % len(line)]
        sku, pieces, rejects = made_as.code, made - rejected, rejected
    return (
        day.isoformat(),
        worker,
        workshop.slug,
        sku,
        str(hours),
        pieces,
        rejects,
        "" if legacy and workshop.slug not in SIGNED_HISTORY else supervisor,
        note,
        "yes" if legacy else "",
    )


def seed_production(months: int) -> int:
    """Import the demo's production that an earlier run did not; returns the records added."""
    rows = production_rows(months)
    existing = set(
        ProductionRecord.objects.filter(day__gte=_period(months)[0]).values_list(
            "worker__reference", "workshop__slug", "day", "sku__code"
        )
    )
    rows = [
        row
        for row in rows
        if (row[1], row[2], datetime.date.fromisoformat(row[0]), row[3] or None) not in existing
    ]
    if not rows:
        return 0
    result = import_production(write_csv(rows), file_name="demo-production.csv", allow_legacy=True)
    return result.rows


# (workshop slug, days before DEMO_TODAY, severity, worker number or None, what happened,
#  follow-up, days the follow-up took or None when there was none)
INCIDENTS = [
    (
        "ain-zahra-bakery",
        61,
        SafetyIncident.Severity.FIRST_AID,
        2,
        "Burn on the forearm from a baking tray taken out without gloves.",
        "Heat-resistant gloves hung beside each oven; safe handling repeated at the morning brief.",
        1,
    ),
    (
        "wadi-sahel-joinery",
        40,
        SafetyIncident.Severity.NEAR_MISS,
        None,
        "Offcut thrown back by the table saw; nobody hurt.",
        "Riving knife refitted and the saw's guard checked by the technician.",
        2,
    ),
    (
        "jebel-qantar-tailoring",
        25,
        SafetyIncident.Severity.FIRST_AID,
        5,
        "Needle puncture to a finger at an industrial sewing machine.",
        "Finger guard fitted to the machine.",
        0,
    ),
    (
        "quickfix-assembly-placement",
        30,
        SafetyIncident.Severity.LOST_TIME,
        3,
        "Back strain lifting flat-packed wardrobes alone during the weekend shift.",
        "",
        None,
    ),
    (
        "quickfix-assembly-placement",
        12,
        SafetyIncident.Severity.FIRST_AID,
        7,
        "Cut to the hand from an unguarded panel edge.",
        "",
        None,
    ),
]


def seed_incidents() -> int:
    """A few safety incidents, followed up, except at the unfair partner's placement."""
    from brand.demo.register import reference_of

    supervisors = {
        s.workshop.slug: s.user
        for s in WorkshopSupervisor.objects.select_related("workshop", "user")
    }
    workshops = {w.slug: w for w in Workshop.objects.all()}
    made = 0
    for slug, days, severity, number, description, follow_up, took in INCIDENTS:
        occurred_on = data.DEMO_TODAY - datetime.timedelta(days=days)
        worker = None
        if number is not None:
            worker = Worker.objects.filter(reference=reference_of(slug, number)).first()
        _incident, created = SafetyIncident.objects.get_or_create(
            workshop=workshops[slug],
            occurred_on=occurred_on,
            description=description,
            defaults={
                "severity": severity,
                "worker": worker,
                "follow_up": follow_up,
                "followed_up_on": None
                if took is None
                else occurred_on + datetime.timedelta(days=took),
                "reported_by": supervisors[slug],
            },
        )
        made += created
    return made
