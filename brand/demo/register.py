"""The demo country's work programme register: regions, prisons, workshops and their supervisors,
partners and contracts, deduction categories, the working-time policy, SKUs, and the workers with
their stays, fitness clearances, assignments, transfers, releases and consents.

Fixed data comes from ``register_content``; workers are generated from a fixed seed, each from its
own generator, so a worker is the same person at every demo size. Places and partners are found by
slug and brought up to date; a worker's history (stays, clearances, assignments, transfers,
releases, consents) is written once, when the worker is first created. Assignments, transfers,
releases, contracts and consents go through the register's own operations, so the audit log shows
them as it would for real work.
"""

import datetime
import random
import string
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from djmoney.money import Money
from wagtail.models import Locale

from brand.demo import content
from brand.demo import register_content as data
from brand.demo.catalogue import catalogue_skus
from brand.demo.documents import consent_document
from workshops.models import (
    SKU,
    Assignment,
    Consent,
    Contract,
    DeductionCategory,
    FitnessClearance,
    Partner,
    Prison,
    Region,
    Stay,
    Trade,
    Worker,
    WorkingTimePolicy,
    Workshop,
    WorkshopSupervisor,
)
from workshops.register.assignments import assign_worker, release_worker, transfer_worker
from workshops.register.consents import record_consent, withdraw_consent
from workshops.register.contracts import contract_in_force, create_contract

if TYPE_CHECKING:
    from brand.demo.seed import DemoSize

REFERENCE_ALPHABET = string.ascii_uppercase + string.digits
CURRENCY = "EUR"


@dataclass(frozen=True)
class PlannedWorker:
    workshop: str  # slug of the first workshop
    number: int  # within that workshop
    reference: str
    legal_name: str
    prison_number: str
    sex: str
    language: str
    stay_start: datetime.date
    assigned_from: datetime.date
    cleared_on: datetime.date | None

    @property
    def key(self) -> tuple[str, int]:
        return (self.workshop, self.number)


ONE_DAY = datetime.timedelta(days=1)


def first_production_day(size: "DemoSize") -> datetime.date:
    """The first day of the demo's production at ``size`` (``brand.demo.production``)."""
    return data.DEMO_TODAY - ONE_DAY - datetime.timedelta(days=size.months_of_production * 30)


def _days_before(days: int) -> datetime.date:
    return data.DEMO_TODAY - datetime.timedelta(days=days)


def _latest_starts() -> dict[tuple[str, int], datetime.date]:
    """Workers to whom something happens later (a transfer, a release, a withdrawal) start at
    least a month before it."""
    events = [(w, n, days) for w, n, _prison, _to, days in data.TRANSFERS]
    events += [*data.RELEASES, data.CONSENT_WITHDRAWN]
    latest = {}
    for workshop, number, days in events:
        day = _days_before(days + 30)
        latest[(workshop, number)] = min(day, latest.get((workshop, number), day))
    return latest


def _worker_random(workshop: str, number: int, purpose: str = "") -> random.Random:
    """The generator of one worker's made-up details: a fixed seed per worker, so every run, at
    every size, builds the same person."""
    seed = f"{data.REGISTER_SEED}:{workshop}:{number}{purpose}"
    return random.Random(seed)  # made-up demo people, not security  # nosec B311


def reference_of(workshop: str, number: int) -> str:
    """The pseudonymous reference of worker ``number`` of ``workshop``, e.g. W-4F7K2Q."""
    return "W-" + "".join(_worker_random(workshop, number).choices(REFERENCE_ALPHABET, k=6))


def plan_workers(size: "DemoSize") -> list[PlannedWorker]:
    """Every worker of the demo at ``size``, without touching the database."""
    prisons = {slug: (population, code) for slug, _n, _r, population, code in data.PRISONS}
    tellers = {(spec[0], 0): (name, *spec[1:]) for name, spec in data.STORY_TELLERS.items()}
    latest = _latest_starts()
    codes = [code for code, _name in settings.LANGUAGES]
    languages = [code for code, weight in data.LANGUAGE_WEIGHTS if code in codes] or codes[:1]
    weights = [weight for code, weight in data.LANGUAGE_WEIGHTS if code in languages] or [1]
    window = size.months_of_production * 30
    planned = []
    for index, (slug, _name, _public, prison, *_rest) in enumerate(data.WORKSHOPS):
        population, code = prisons[prison]
        for number in range(size.workers_per_workshop):
            rng = _worker_random(slug, number)
            reference = "W-" + "".join(rng.choices(REFERENCE_ALPHABET, k=6))
            if population == "mixed":
                every = data.MIXED_WORKSHOP_WOMEN_EVERY.get(slug, 2)
                sex = "female" if number % every == 0 else "male"
            else:
                sex = "female" if population == "women" else "male"
            names = data.FEMALE_NAMES if sex == "female" else data.MALE_NAMES
            legal_name = f"{rng.choice(names)} {rng.choice(data.SURNAMES)}"
            language = rng.choices(languages, weights=weights)[0]
            assigned_from = _days_before(rng.randint(21, window + 120))
            assigned_from = min(assigned_from, latest.get((slug, number), assigned_from))
            if (slug, number) == data.CONSENT_AFTER_WORK:
                # at work before the demo's production begins (its legacy history shows it)
                assigned_from = min(assigned_from, first_production_day(size) - ONE_DAY)
            teller = tellers.get((slug, number))
            if teller:
                _teller_name, legal_name, teller_sex, assigned_from = teller
                if teller_sex != sex:
                    raise ValueError(f"{legal_name} cannot be held at {prison} ({population}).")
            stay_start = assigned_from - datetime.timedelta(days=rng.randint(14, 540))
            cleared_on = assigned_from - datetime.timedelta(days=rng.randint(2, 30))
            if (slug, number) in data.WITHOUT_CLEARANCE:
                cleared_on = None
            planned.append(
                PlannedWorker(
                    workshop=slug,
                    number=number,
                    reference=reference,
                    legal_name=legal_name,
                    prison_number=f"DEMO-{code}-{index + 1:02d}{number:03d}",
                    sex=sex,
                    language=language,
                    stay_start=stay_start,
                    assigned_from=assigned_from,
                    cleared_on=cleared_on,
                )
            )
    references = [worker.reference for worker in planned]
    if len(set(references)) != len(references):
        raise ValueError("Two demo workers drew the same reference; change REGISTER_SEED.")
    return planned


def seed_places() -> dict[str, Workshop]:
    regions = {
        slug: Region.objects.update_or_create(slug=slug, defaults={"name": name})[0]
        for slug, name in data.REGIONS
    }
    prisons = {
        slug: Prison.objects.update_or_create(
            slug=slug,
            defaults={"name": name, "region": regions[region], "population": population},
        )[0]
        for slug, name, region, population, _code in data.PRISONS
    }
    trades = {trade.slug: trade for trade in Trade.objects.filter(locale=Locale.get_default())}
    workshops = {}
    for slug, name, public_name, prison, trade, kind, makes_products in data.WORKSHOPS:
        workshops[slug], _created = Workshop.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "public_name": public_name,
                "public_name_translations": data.WORKSHOP_PUBLIC_NAMES.get(public_name, {}),
                "prison": prisons[prison],
                "trade": trades[trade],
                "kind": kind,
                "makes_products": makes_products,
                "is_active": True,
            },
        )
    return workshops


def _staff_user(username: str, full_name: str = ""):
    """A member of staff; one created here cannot sign in (no password) until given one."""
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username)
    if created:
        user.first_name, _space, user.last_name = full_name.partition(" ")
        user.email = f"{username}@bridgework.example"
        user.set_unusable_password()
        user.save()
    return user


def seed_supervisors(workshops: dict[str, Workshop]) -> None:
    """The demo login "supervisor" supervises two workshops (``seed_users`` gives it its name,
    password and role later); each prison's member of staff supervises the others."""
    demo = _staff_user(data.DEMO_SUPERVISOR)
    staff = {prison: _staff_user(username, name) for username, name, prison in data.PRISON_STAFF}
    for slug, workshop in workshops.items():
        user = demo if slug in data.DEMO_SUPERVISOR_WORKSHOPS else staff[workshop.prison.slug]
        WorkshopSupervisor.objects.get_or_create(
            workshop=workshop, user=user, start=data.SUPERVISION_START
        )


def seed_partners(workshops: dict[str, Workshop]) -> None:
    for slug, name, legal, registration, address, sector, contact, email, phone in data.PARTNERS:
        Partner.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "legal_name": legal,
                "registration_number": registration,
                "address": address,
                "sector": sector,
                "contact_name": contact,
                "contact_email": email,
                "contact_phone": phone,
            },
        )
    made = set(Contract.objects.values_list("reference", flat=True))
    for spec in data.CONTRACTS:
        if spec["reference"] in made:
            continue
        money = {
            field: Money(spec[field], CURRENCY) if spec[field] is not None else None
            for field in ("hourly_rate", "piece_rate", "labour_charge_per_hour")
        }
        create_contract(
            workshop=workshops[spec["workshop"]],
            reference=spec["reference"],
            partner=Partner.objects.get(slug=spec["partner"]),
            agreed_hours_per_week=spec["agreed_hours_per_week"],
            awarded_on=spec["awarded_on"],
            start=spec["start"],
            **money,
        )


def seed_rules_and_products(workshops: dict[str, Workshop]) -> None:
    """Deduction categories, the working-time policy and what each workshop makes, including the
    shop's variants."""
    for code, name, description, credited_to_worker in data.DEDUCTION_CATEGORIES:
        DeductionCategory.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "description": description,
                "credited_to_worker": credited_to_worker,
                "use": data.CATEGORY_USES.get(code, DeductionCategory.Use.KEPT),
            },
        )
    policy = dict(data.WORKING_TIME_POLICY)
    WorkingTimePolicy.objects.update_or_create(
        effective_from=policy.pop("effective_from"), defaults=policy
    )
    for code, name, unit, workshop in data.SKUS:
        SKU.objects.update_or_create(
            code=code, defaults={"name": name, "unit": unit, "workshop": workshops[workshop]}
        )
    # the shop's variants that the register lacks (brand.demo.catalogue), made alongside its SKUs
    for row in catalogue_skus():
        SKU.objects.update_or_create(
            code=row.code,
            defaults={
                "name": row.name,
                "unit": SKU.Unit.PIECE,
                "workshop": workshops[row.workshop],
            },
        )


def _work_consents(
    worker: Worker,
    assignments: list[Assignment],
    rng: random.Random,
    without_document: bool,
    signed_late_on: datetime.date | None = None,
) -> list[Consent]:
    """One work consent for each partner the worker works for in ``assignments`` (in date order),
    signed a few days before the first assignment with that partner (on ``signed_late_on``,
    after the work began, for the worker ``data.CONSENT_AFTER_WORK``)."""
    consents = []
    seen = set()
    for assignment in assignments:
        contract = contract_in_force(assignment.workshop, assignment.start)
        if contract is None or contract.partner.slug in seen:
            continue
        partner = contract.partner
        seen.add(partner.slug)
        signed_on = assignment.start - datetime.timedelta(days=rng.randint(2, 10))
        if signed_late_on is not None:
            signed_on = signed_late_on
        codes = data.PARTNER_DEDUCTIONS[partner.slug]
        document = None
        if not without_document:
            document = consent_document(
                [
                    f"Worker: {worker.reference}",
                    f"Consents to work for: {partner.legal_name}",
                    f"Deductions agreed: {', '.join(codes)}",
                    f"Signed on: {signed_on.isoformat()}",
                ]
            )
        consents.append(
            record_consent(
                worker=worker,
                kind=Consent.Kind.WORK,
                signed_on=signed_on,
                partner_slug=partner.slug,
                deduction_codes=codes,
                document=document,
            )
        )
    return consents


def _story_consent(worker: Worker, chosen_name: str) -> Consent:
    story_dates = {story[2]: datetime.date.fromisoformat(story[4]) for story in content.STORIES}
    signed_on = story_dates[chosen_name] - datetime.timedelta(days=data.STORY_CONSENT_DAYS_BEFORE)
    document = consent_document(
        [
            f"Worker: {worker.reference}",
            "Consents to a story on the brand site",
            f"Name to show: {chosen_name}",
            f"Signed on: {signed_on.isoformat()}",
        ]
    )
    return record_consent(
        worker=worker,
        kind=Consent.Kind.STORY,
        signed_on=signed_on,
        chosen_name=chosen_name,
        document=document,
    )


def seed_workers(size: "DemoSize", workshops: dict[str, Workshop]) -> None:
    """Create the workers an earlier run did not, each with their history."""
    planned = plan_workers(size)
    existing = set(
        Worker.objects.filter(reference__in=[p.reference for p in planned]).values_list(
            "reference", flat=True
        )
    )
    planned = [p for p in planned if p.reference not in existing]
    if not planned:
        return
    Worker.objects.bulk_create(
        Worker(
            reference=p.reference,
            legal_name=p.legal_name,
            known_as=p.legal_name.split()[0],  # workshops use first names
            prison_number=p.prison_number,
            sex=p.sex,
            language=p.language,
        )
        for p in planned
    )
    workers = {
        w.reference: w for w in Worker.objects.filter(reference__in=[p.reference for p in planned])
    }
    by_key = {p.key: workers[p.reference] for p in planned}
    Stay.objects.bulk_create(
        Stay(
            worker=workers[p.reference],
            prison=workshops[p.workshop].prison,
            start=p.stay_start,
        )
        for p in planned
    )
    FitnessClearance.objects.bulk_create(
        FitnessClearance(
            worker=workers[p.reference],
            cleared_on=p.cleared_on,
            valid_until=p.cleared_on + datetime.timedelta(days=730),
        )
        for p in planned
        if p.cleared_on is not None
    )
    for p in planned:
        assign_worker(
            worker=workers[p.reference], workshop=workshops[p.workshop], start=p.assigned_from
        )
    for name, workshop, start in data.SECOND_ASSIGNMENTS:
        worker = by_key.get((data.STORY_TELLERS[name][0], 0))
        if worker is not None:
            assign_worker(worker=worker, workshop=workshops[workshop], start=start)

    prisons = {prison.slug: prison for prison in Prison.objects.all()}
    for workshop, number, prison, to_workshop, days in data.TRANSFERS:
        worker = by_key.get((workshop, number))
        if worker is not None:
            transfer_worker(worker=worker, to_prison=prisons[prison], on=_days_before(days))
            assign_worker(worker=worker, workshop=workshops[to_workshop], start=_days_before(days))
    for workshop, number, days in data.RELEASES:
        worker = by_key.get((workshop, number))
        if worker is not None:
            release_worker(worker=worker, on=_days_before(days))

    partner_work = defaultdict(list)
    for assignment in (
        Assignment.objects.filter(
            worker__in=list(workers.values()), workshop__contracts__isnull=False
        )
        .select_related("workshop")
        .distinct()
        .order_by("start", "pk")
    ):
        partner_work[assignment.worker_id].append(assignment)
    withdrawn_workshop, withdrawn_number, withdrawn_days = data.CONSENT_WITHDRAWN
    signed_late_on = first_production_day(size) + datetime.timedelta(
        days=data.CONSENT_AFTER_WORK_DAYS
    )
    for p in planned:
        worker = by_key[p.key]
        if worker.pk not in partner_work:
            continue
        consents = _work_consents(
            worker,
            partner_work[worker.pk],
            _worker_random(p.workshop, p.number, ":consent"),
            without_document=p.key == data.CONSENT_WITHOUT_DOCUMENT,
            signed_late_on=signed_late_on if p.key == data.CONSENT_AFTER_WORK else None,
        )
        if p.key == (withdrawn_workshop, withdrawn_number):
            withdraw_consent(consent=consents[0], on=_days_before(withdrawn_days))
    for name, (workshop, *_rest) in data.STORY_TELLERS.items():
        worker = by_key.get((workshop, 0))
        if worker is not None:
            _story_consent(worker, name)


def story_consents() -> dict[str, Consent]:
    """Each story teller's valid story consent, by the name they chose to show. A teller who has
    withdrawn their consent is left out: the demo never asks again on their behalf."""
    consents = {}
    for name, (workshop, *_rest) in data.STORY_TELLERS.items():
        consent = (
            Consent.objects.filter(
                kind=Consent.Kind.STORY,
                worker__reference=reference_of(workshop, 0),
                chosen_name=name,
                withdrawn_on__isnull=True,
            )
            .order_by("-signed_on", "-pk")
            .first()
        )
        if consent is not None:
            consents[name] = consent
    return consents


def seed_register(size: "DemoSize") -> dict:
    """Build or bring up to date the register; returns the story consents by chosen name
    (``story_consents``) and how many of each record the register holds."""
    workshops = seed_places()
    seed_supervisors(workshops)
    seed_partners(workshops)
    seed_rules_and_products(workshops)
    seed_workers(size, workshops)
    counted = [Region, Prison, Workshop, Worker, Assignment, Partner, Contract, Consent, SKU]
    return {
        "story_consents": story_consents(),
        **{model._meta.model_name: model.objects.count() for model in counted},
    }
