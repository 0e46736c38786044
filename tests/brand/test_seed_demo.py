"""``seed_demo`` builds the whole demo country, prints the logins and can run again."""

import datetime
import io
import itertools
import json
import os
import re
import sqlite3
import subprocess
import sys
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.db.models import Count, Sum
from django.test import TestCase
from django.utils import translation
from wagtail.models import ModelLogEntry, Page, Site

from brand.demo.certificates import ensure_demo_signing_key
from brand.demo.payruns import LATE_SESSION
from brand.demo.register import plan_workers
from brand.demo.seed import SIZES
from brand.models import BrandSettings, HomePage, StoryPage
from core import signing
from core.private_files import PrivateFile
from wages.models import (
    Journal,
    MarketWageBenchmark,
    PayAllocation,
    PayPolicy,
    PayRate,
    PayRun,
    PayRunLine,
)
from workshops.certificates import certificate_status
from workshops.consents import withdraw_consent
from workshops.models import (
    SKU,
    Assessment,
    Assignment,
    Batch,
    Certificate,
    Consent,
    Contract,
    Course,
    DeductionCategory,
    Enrolment,
    FitnessClearance,
    Partner,
    Prison,
    ProductionAdjustment,
    ProductionImport,
    ProductionRecord,
    Region,
    Reservation,
    SafetyIncident,
    Stay,
    Stock,
    StockMovement,
    Trade,
    TrainingAttendance,
    Worker,
    WorkingTimePolicy,
    Workshop,
    WorkshopSupervisor,
)

pytestmark = pytest.mark.django_db

EXPECTED_LOGINS = [
    ("supervisor", "Workshop supervisor"),
    ("finance", "Finance officer"),
    ("finance2", "Finance officer"),
    ("auditor", "Auditor"),
    ("programme", "Programme manager"),
    ("editor", "Brand editor"),
    ("fulfilment", "Order fulfilment"),
    ("admin", "Administrator"),
]


def run_seed(*args):
    """seed_demo as it runs for real, with the callbacks that run once its transaction commits."""
    out = io.StringIO()
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def counts():
    return {
        "pages": Page.objects.count(),
        "live": Page.objects.live().count(),
        "stories": StoryPage.objects.live().count(),
        "trades": Trade.objects.count(),
        "users": User.objects.count(),
        "groups": Group.objects.count(),
        "sites": Site.objects.count(),
        "regions": Region.objects.count(),
        "prisons": Prison.objects.count(),
        "workshops": Workshop.objects.count(),
        "supervisions": WorkshopSupervisor.objects.count(),
        "workers": Worker.objects.count(),
        "stays": Stay.objects.count(),
        "clearances": FitnessClearance.objects.count(),
        "assignments": Assignment.objects.count(),
        "partners": Partner.objects.count(),
        "contracts": Contract.objects.count(),
        "deduction categories": DeductionCategory.objects.count(),
        "policies": WorkingTimePolicy.objects.count(),
        "consents": Consent.objects.count(),
        "skus": SKU.objects.count(),
        "private files": PrivateFile.objects.count(),
        "production records": ProductionRecord.objects.count(),
        "production imports": ProductionImport.objects.count(),
        "safety incidents": SafetyIncident.objects.count(),
        "courses": Course.objects.count(),
        "enrolments": Enrolment.objects.count(),
        "training attendance": TrainingAttendance.objects.count(),
        "assessments": Assessment.objects.count(),
        "certificates": Certificate.objects.count(),
        "batches": Batch.objects.count(),
        "stock rows": Stock.objects.count(),
        "stock movements": StockMovement.objects.count(),
        "reservations": Reservation.objects.count(),
        "pay policies": PayPolicy.objects.count(),
        "allocations": PayAllocation.objects.count(),
        "pay rates": PayRate.objects.count(),
        "benchmarks": MarketWageBenchmark.objects.count(),
        "pay runs": dict(
            PayRun.objects.values_list("status").annotate(n=Count("pk")).order_by("status")
        ),
        "pay run lines": PayRunLine.objects.count(),
        "journals": Journal.objects.count(),
        "production adjustments": ProductionAdjustment.objects.count(),
        "log entries": ModelLogEntry.objects.count(),
    }


def test_seed_demo_builds_the_country_and_prints_every_login():
    output = run_seed()

    # root + 15 English pages (6 stories) + 12 each in French and Arabic (3 stories translated);
    # 8 demo logins and 3 supervising staff who cannot sign in; 10 workshops of 20 workers, 3 of
    # them transferred (a second stay and assignment), Nadia in a second workshop; 61 work
    # consents (the partners' 60 workers and one transferred to a partner) and 6 story consents,
    # each with its document but one.
    assert counts() == {
        "pages": 40,
        "live": 40,
        "stories": 12,
        "trades": 27,
        "users": 11,
        "groups": 7,
        "sites": 1,
        "regions": 3,
        "prisons": 3,
        "workshops": 10,
        "supervisions": 10,
        "workers": 200,
        "stays": 203,
        "clearances": 197,
        "assignments": 204,
        "partners": 2,
        "contracts": 3,
        "deduction categories": 5,
        "policies": 1,
        "consents": 67,
        "skus": 25,
        "private files": 66,
        # three months of weekdays for every assigned worker, imported as one file
        "production records": 10929,
        "production imports": 1,
        "safety incidents": 5,
        # four courses, 22 learners with two-hour Friday sessions (and one session recorded
        # late), 16 assessed
        "courses": 4,
        "enrolments": 22,
        "training attendance": 171,
        "assessments": 16,
        # everyone who passed and attended the course's hours: 10 issued, 1 of them reissued
        "certificates": 11,
        # a batch per product and month of production, every product in stock, two returns, two
        # write-offs, a stocktake and a reservation waiting for payment
        "batches": 75,
        "stock rows": 25,
        "stock movements": 81,
        "reservations": 1,
        # one policy (four allocations), the rates of the 7 own workshops that are paid, and a
        # market wage for each partner contract's trade and region
        "pay policies": 1,
        "allocations": 4,
        "pay rates": 7,
        "benchmarks": 3,
        # August and September posted in the three prisons, October calculated in Ain Zahra
        # (awaiting the second officer); one journal per worker paid in a posted run; one
        # record of August corrected after its run was posted
        "pay runs": {"calculated": 1, "posted": 6},
        "pay run lines": 398,
        "journals": 341,
        "production adjustments": 1,
        # 204 assignments, 3 transfers (3 assignments and stays ended, 3 stays begun), 3 releases
        # (3 assignments and stays ended, 3 workers released), 67 consents, 1 withdrawal and
        # 3 contracts: every change through the register's operations is in the audit log; and
        # the production import, each training session recorded, and 11 certificates issued,
        # 1 revoked and 1 superseded, and each batch received; for the 7 pay runs 39 (created,
        # records locked, calculated; approved, posted and lock made final for 6) and the 1
        # adjustment
        "log entries": 593,
    }
    # the session recorded late for September is paid by Ain Zahra's October run, with a warning
    late = TrainingAttendance.objects.select_related("lock", "enrolment").get(note=LATE_SESSION)
    waiting = PayRun.objects.get(status=PayRun.Status.CALCULATED)
    assert (late.day.month, late.hours, late.lock.reference) == (
        9,
        Decimal("1.50"),
        waiting.reference,
    )
    assert waiting.reference.startswith("PR-ain-zahra-")
    line = waiting.lines.get(worker_id=late.enrolment.worker_id)
    assert {"code": "late_training", "days": 1} in line.warnings
    assert "Seeding the demo country Republic of Qantara (small)" in output
    login_lines = [line.split() for line in output.splitlines() if "bridgework-demo" in line]
    assert [(parts[0], " ".join(parts[2:])) for parts in login_lines] == EXPECTED_LOGINS
    site = Site.objects.get()
    assert isinstance(site.root_page.specific, HomePage)
    assert BrandSettings.for_site(site).country_name == "Republic of Qantara"
    for username, role in EXPECTED_LOGINS:
        user = User.objects.get(username=username)
        assert [g.name for g in user.groups.all()] == [role]
        assert user.check_password("bridgework-demo")
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.filter(is_superuser=True).count() == 1


def test_seed_demo_runs_again_without_duplicating_anything():
    run_seed()
    before = counts()

    run_seed("--size", "small")

    assert counts() == before


def test_seed_demo_trades_carry_four_digit_occupation_codes(demo_database):
    assert list(
        Trade.objects.filter(locale__language_code="en").values_list("slug", "occupation_code")
    ) == [
        ("bakery", "7512"),
        ("carpentry", "7115"),
        ("construction", "7112"),
        ("hydroponics", "6113"),
        ("printing", "7322"),
        ("soap-making", "8131"),
        ("tailoring", "7531"),
        ("upholstery", "7534"),
        ("welding", "7212"),
    ]


def test_seed_demo_refuses_an_unknown_size():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="invalid choice: 'huge'"):
        call_command("seed_demo", "--size", "huge")
    assert counts()["trades"] == 0


def test_the_seeded_site_serves_its_pages(client, demo_database):
    for url in [
        "/en/",
        "/en/our-promise/",
        "/en/how-we-check/",
        "/en/stories/",
        "/en/stories/bread-at-four/",
        "/en/impact/",
    ]:
        assert client.get(url).status_code == 200, url
    # The impact page shows the demo's own figures: work, wages against the floor, training.
    impact = BeautifulSoup(client.get("/en/impact/").content, "html.parser")
    shown = {
        each.dt.get_text(strip=True): each.dd.get_text(strip=True)
        for each in impact.select("section[aria-labelledby='impact-year'] dl div")
    }
    for figure in ("People who worked", "Hours worked", "Wages paid", "Hours of training"):
        assert shown[figure] != "fewer than 5", figure
    assert shown["Wages paid"].startswith("€")
    assert impact.select("section[aria-labelledby='impact-year'] figure svg[role=img] rect")
    story = client.get("/en/stories/bread-at-four/").content.decode()
    assert "Samira" in story
    teller = StoryPage.objects.get(slug="bread-at-four", locale__language_code="en").consent.worker
    for private in [teller.reference, teller.legal_name, teller.prison_number]:
        assert private not in story
    # The footer's address in each language, as that language writes it.
    with translation.override("ar"):
        footer = BeautifulSoup(client.get("/ar/").content, "html.parser").select("address bdi")
    assert [line.get_text() for line in footer] == [
        "متجر Bridgework",
        "14 شارع الحرفيين",
        "مدينة قنطرة 10020",
        "جمهورية قنطرة",
    ]


def test_seed_demo_builds_the_register_and_each_story_names_its_consent(demo_database):
    # Every workshop's public name reads in the three languages, and none names a prison.
    for workshop in Workshop.objects.select_related("prison"):
        names = [workshop.public_name_in(code) for code in ("en", "fr", "ar")]
        assert len(set(names)) == 3, names
        assert not any(workshop.prison.name.split()[0] in name for name in names)
    assert Workshop.objects.get(public_name="Northern bakery").public_name_in("fr") == (
        "Boulangerie du Nord"
    )

    assert dict(Prison.objects.values_list("slug", "population")) == {
        "ain-zahra": "women",
        "jebel-qantar": "men",
        "wadi-sahel": "mixed",
    }
    for stay in Stay.objects.select_related("worker", "prison"):
        assert stay.prison.population in {
            "mixed",
            {"female": "women", "male": "men"}[stay.worker.sex],
        }
    prison_words = {word.lower() for p in Prison.objects.all() for word in p.name.split()}
    for workshop in Workshop.objects.all():
        assert not {word.lower() for word in workshop.public_name.split()} & (
            prison_words | {"prison", "jail"}
        ), workshop.public_name
    assert list(
        Workshop.objects.filter(makes_products=False).values_list("slug", "kind", "trade__slug")
    ) == [
        ("quickfix-assembly-placement", "placement", "carpentry"),
        ("wadi-sahel-building-crew", "administration", "construction"),
    ]
    assert not SKU.objects.filter(workshop__makes_products=False).exists()
    assert not Workshop.objects.filter(makes_products=True, skus__isnull=True).exists()
    assert SKU.objects.filter(workshop__trade__slug="bakery").count() == 3

    # Women in trades long held to be men's: each has women assigned.
    women = Assignment.objects.filter(worker__sex="female")
    assert {
        trade: women.filter(workshop__trade__slug=trade).count()
        for trade in ["welding", "construction", "carpentry"]
    } == {"welding": 21, "construction": 11, "carpentry": 20}

    assert all(
        re.fullmatch(r"W-[A-Z0-9]{6}", ref)
        for ref in Worker.objects.values_list("reference", flat=True)
    )
    assert Worker.objects.filter(stays__end__isnull=False, release_date__isnull=True).count() == 3
    assert Worker.objects.filter(release_date__isnull=False).count() == 3
    assert Worker.objects.filter(clearances__isnull=True).count() == 3
    for assignment in Assignment.objects.all():
        assert ModelLogEntry.objects.filter(
            content_type__model="assignment", object_id=str(assignment.pk), action="wagtail.create"
        ).exists()

    supervisor = User.objects.get(username="supervisor")
    assert sorted(supervisor.supervised_workshops.values_list("workshop__slug", flat=True)) == [
        "jebel-qantar-print-shop",
        "jebel-qantar-tailoring",
    ]
    staff = (
        User.objects.filter(supervised_workshops__isnull=False).exclude(pk=supervisor.pk).distinct()
    )
    assert sorted(staff.values_list("username", flat=True)) == [
        "f.zerhouni",
        "m.bensaid",
        "r.amari",
    ]
    assert not any(user.has_usable_password() or user.is_staff for user in staff)

    assert list(Partner.objects.values_list("slug", "fairness")) == [
        ("atlas-textiles", "not_assessed"),
        ("quickfix-assembly", "not_assessed"),
    ]
    assert sorted(Contract.objects.values_list("reference", "partner__slug", "workshop__slug")) == [
        ("ATL-2025-01", "atlas-textiles", "jebel-qantar-tailoring"),
        ("QFX-2025-01", "quickfix-assembly", "jebel-qantar-upholstery"),
        ("QFX-2025-02", "quickfix-assembly", "quickfix-assembly-placement"),
    ]
    work = Consent.objects.filter(kind="work")
    assert {
        slug: work.filter(partner__slug=slug).count()
        for slug in ["atlas-textiles", "quickfix-assembly"]
    } == {"atlas-textiles": 20, "quickfix-assembly": 41}
    for consent in work.select_related("partner", "worker"):
        assert Assignment.objects.filter(
            worker=consent.worker, workshop__contracts__partner=consent.partner
        ).exists()
        assert consent.deduction_categories.exists()
    assert (
        work.filter(document__isnull=True).count(),
        work.filter(withdrawn_on__isnull=False).count(),
    ) == (1, 1)
    assert [
        (c.chosen_name, c.worker.sex, c.is_complete, c.withdrawn_on)
        for c in Consent.objects.filter(kind="story")
        .select_related("worker")
        .order_by("chosen_name")
    ] == [
        ("Karim", "male", True, None),
        ("Leila", "female", True, None),
        ("Nadia", "female", True, None),
        ("Omar B.", "male", True, None),
        ("Samira", "female", True, None),
        ("Youssef", "male", True, None),
    ]
    nadia = Consent.objects.get(kind="story", chosen_name="Nadia").worker
    assert sorted(nadia.assignments.values_list("workshop__trade__slug", flat=True)) == [
        "hydroponics",
        "welding",
    ]
    # Every story, in every language, names its teller's valid story consent and shows only the
    # name chosen in it.
    stories = StoryPage.objects.select_related("consent", "locale")
    assert stories.count() == 12
    for story in stories:
        assert (story.consent.kind, story.consent.withdrawn_on) == ("story", None), story
        assert story.consent.chosen_name == story.teller_name, story
        story.clean()
    assert {story.teller_name for story in stories.filter(locale__language_code="fr")} == {
        "Samira",
        "Youssef",
        "Nadia",
    }


def test_seeding_again_leaves_offline_a_story_whose_consent_was_withdrawn():
    run_seed()
    consent = Consent.objects.get(kind="story", chosen_name="Samira")
    with TestCase.captureOnCommitCallbacks(execute=True):
        withdraw_consent(consent=consent, on=datetime.date(2026, 11, 20))

    run_seed()

    assert not StoryPage.objects.live().filter(consent=consent).exists()
    assert Consent.objects.filter(kind="story", chosen_name="Samira").count() == 1
    # 5 English stories; the newest 3 of them now translated into French and Arabic
    assert StoryPage.objects.live().count() == 11
    assert sorted(
        StoryPage.objects.live()
        .filter(locale__language_code="fr")
        .values_list("teller_name", flat=True)
    ) == ["Karim", "Nadia", "Youssef"]


def test_demo_workers_are_the_same_people_at_every_run_and_size():
    def people(size):
        return {(p.reference, p.legal_name, p.prison_number, p.sex) for p in plan_workers(size)}

    assert plan_workers(SIZES["small"]) == plan_workers(SIZES["small"])
    assert len(people(SIZES["small"])) == 200
    assert people(SIZES["small"]) < people(SIZES["medium"])


def test_seed_demo_records_months_of_production_with_the_unfair_partners_breaches(demo_database):
    records = ProductionRecord.objects

    assert records.aggregate(Sum("hours"), Sum("pieces"), Sum("rejects")) == {
        "hours__sum": Decimal("72019.00"),  # with the half hour added by a correction
        "pieces__sum": 276418,
        "rejects__sum": 8457,
    }
    assert (records.earliest("day").day, records.latest("day").day) == (
        datetime.date(2026, 8, 3),
        datetime.date(2026, 10, 30),
    )
    assert set(records.values_list("workshop__slug", flat=True)) == set(
        Workshop.objects.values_list("slug", flat=True)
    )
    # The first two weeks are legacy history with no supervisor named; the workers without a
    # fitness clearance appear only there.
    assert records.filter(legacy=True).count() == 1325
    assert records.filter(legacy=True, day__gte=datetime.date(2026, 8, 17)).count() == 0
    assert records.filter(supervisor__isnull=True).count() == 1325
    assert not records.filter(worker__clearances__isnull=True, legacy=False).exists()
    # Only the unfair partner's placement breaks the working-time policy, always with a reason.
    breaches = records.exclude(breaches="")
    assert sorted(breaches.values_list("workshop__slug", "breaches").annotate(n=Count("id"))) == [
        ("quickfix-assembly-placement", "HOURS_DAY", 77),
        ("quickfix-assembly-placement", "HOURS_WEEK", 2),
        ("quickfix-assembly-placement", "HOURS_WEEK REST_DAY", 38),
        ("quickfix-assembly-placement", "REST_DAY", 95),
    ]
    assert not breaches.filter(supervisor_note="").exists()
    weekend = records.filter(day__week_day__in=[1, 7])
    assert sorted(weekend.order_by().values_list("workshop__slug", "day").distinct()) == [
        ("quickfix-assembly-placement", datetime.date(2026, 10, 3)),
        ("quickfix-assembly-placement", datetime.date(2026, 10, 4)),
    ]


def test_seed_demo_records_safety_incidents_left_without_follow_up_only_at_the_unfair_partner(
    demo_database,
):
    assert sorted(
        SafetyIncident.objects.values_list(
            "workshop__slug", "severity", "followed_up_on", "reported_by__username"
        )
    ) == [
        ("ain-zahra-bakery", "first_aid", datetime.date(2026, 9, 3), "m.bensaid"),
        ("jebel-qantar-tailoring", "first_aid", datetime.date(2026, 10, 8), "supervisor"),
        ("quickfix-assembly-placement", "first_aid", None, "f.zerhouni"),
        ("quickfix-assembly-placement", "lost_time", None, "f.zerhouni"),
        ("wadi-sahel-joinery", "near_miss", datetime.date(2026, 9, 25), "f.zerhouni"),
    ]


def test_seed_demo_trains_women_in_welding_within_the_working_time_limits(demo_database):
    welders = Enrolment.objects.filter(course__code="welder-3")
    assert set(welders.values_list("worker__sex", flat=True)) == {"female"}
    assert welders.count() == 6
    assert sorted(
        Assessment.objects.values_list("enrolment__course__code", "outcome")
        .annotate(n=Count("id"))
        .order_by()
    ) == [
        ("baker-3", "failed", 1),
        ("baker-3", "passed", 3),
        ("garment-maker-2", "failed", 1),
        ("garment-maker-2", "passed", 2),
        ("joiner-3", "failed", 1),
        ("joiner-3", "passed", 3),
        ("welder-3", "failed", 1),
        ("welder-3", "passed", 4),
    ]
    assert not TrainingAttendance.objects.exclude(breaches="").exists()
    assert Course.objects.get(code="welder-3").qualification_in("fr") == "Soudeur (MIG/MAG)"


def test_seed_demo_certifies_women_welders_and_revokes_one_certificate_and_reissues_another(
    demo_database,
):
    certificates = Certificate.objects.select_related("enrolment__course", "enrolment__worker")
    assert sorted((c.enrolment.course.code, str(certificate_status(c))) for c in certificates) == [
        ("baker-3", "revoked"),
        ("baker-3", "valid"),
        ("baker-3", "valid"),
        ("garment-maker-2", "valid"),
        ("joiner-3", "valid"),
        ("joiner-3", "valid"),
        ("joiner-3", "valid"),
        ("welder-3", "superseded"),
        ("welder-3", "valid"),
        ("welder-3", "valid"),
        ("welder-3", "valid"),
    ]
    welders = certificates.filter(enrolment__course__code="welder-3")
    assert set(welders.values_list("enrolment__worker__sex", flat=True)) == {"female"}
    old = welders.get(superseded_by__isnull=False)
    assert old.superseded_by.holder_name == old.holder_name + " El Fassi"
    assert old.superseded_by.enrolment_id == old.enrolment_id
    revoked = certificates.get(revoked_on__isnull=False)
    assert revoked.revocation_reason.startswith("The assessment was recorded against")
    for certificate in certificates:
        worker = certificate.enrolment.worker
        assert certificate.language == worker.language
        assert worker.reference not in json.dumps(certificate.content)
        assert worker.prison_number not in json.dumps(certificate.content)


def test_the_demo_signing_key_is_written_once_where_the_settings_point(tmp_path, monkeypatch):
    keys_file = tmp_path / "var" / "demo-signing-keys"
    monkeypatch.delenv("BRIDGEWORK_SIGNING_KEYS", raising=False)
    monkeypatch.setenv("BRIDGEWORK_SIGNING_KEYS_FILE", str(keys_file))
    signing.configured_keys.cache_clear()
    try:
        assert ensure_demo_signing_key() == str(keys_file)
        first = keys_file.read_text()
        assert list(signing.configured_keys()) == ["demo-2026"]
        assert keys_file.stat().st_mode & 0o777 == 0o600

        assert ensure_demo_signing_key() is None  # an existing key is never replaced
        assert keys_file.read_text() == first
    finally:
        signing.configured_keys.cache_clear()


def test_no_demo_key_is_written_when_keys_are_configured(tmp_path, monkeypatch):
    keys_file = tmp_path / "demo-signing-keys"
    monkeypatch.setenv("BRIDGEWORK_SIGNING_KEYS_FILE", str(keys_file))

    assert ensure_demo_signing_key() is None

    assert not keys_file.exists()


def test_seed_demo_receives_monthly_batches_and_keeps_stock_equal_to_its_movements(demo_database):
    for stock in Stock.objects.select_related("sku"):
        moved = stock.movements.aggregate(
            on_hand=Sum("on_hand_change"), held=Sum("reserved_change")
        )
        assert (moved["on_hand"], moved["held"] or 0) == (stock.on_hand, stock.reserved)
        batches = list(stock.sku.batches.order_by("made_from"))
        assert all(a.made_to < b.made_from for a, b in itertools.pairwise(batches))
    made = ProductionRecord.objects.filter(sku__code="MET-001").aggregate(pieces=Sum("pieces"))
    received = Batch.objects.filter(sku__code="MET-001").aggregate(quantity=Sum("quantity"))
    assert received["quantity"] == made["pieces"]
    assert sorted(
        StockMovement.objects.exclude(kind="received").values_list(
            "kind", "on_hand_change", "reserved_change", "stock__sku__code"
        )
    ) == [
        ("counted", -4, 0, "SOP-001"),
        ("reserved", 0, 2, "JOI-001"),
        ("returned", 1, 0, "JOI-002"),
        ("returned", 1, 0, "TAI-001"),
        ("written_off", -12, 0, "BRD-001"),
        ("written_off", -2, 0, "UPH-001"),
    ]


def test_the_demo_in_dinars_posts_its_runs_and_the_ledger_verifies_clean(tmp_path):
    """The whole demo in a currency of three decimals, as an operator starts
    it (a fresh database, BRIDGEWORK_CURRENCY=TND): its pay runs post and ``verify_ledger`` is
    clean, with amounts that use the third decimal."""
    database = tmp_path / "tnd.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "BRIDGEWORK_CURRENCY": "TND",
        "DJANGO_SETTINGS_MODULE": "brand.settings.test",
    }

    def manage(*args):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    manage("migrate", "--no-input", "-v", "0")
    manage("seed_demo")
    verified = manage("verify_ledger")

    with sqlite3.connect(database) as db:
        runs = db.execute("SELECT status, currency, COUNT(*) FROM wages_payrun GROUP BY 1, 2")
        currencies = db.execute("SELECT DISTINCT currency FROM wages_entry").fetchall()
        thousandths = db.execute(
            "SELECT COUNT(*) FROM wages_entry WHERE CAST(ROUND(amount * 1000) AS INTEGER) % 10 != 0"
        ).fetchone()[0]
        assert (sorted(runs.fetchall()), currencies) == (
            [("calculated", "TND", 1), ("posted", "TND", 6)],
            [("TND",)],
        )
    assert verified.startswith("The ledger is intact: ")
    assert thousandths > 0


def test_seed_demo_sets_the_sites_address_to_where_the_demo_is_served():
    from brand.demo.seed import site_address

    assert site_address("127.0.0.1:8000") == ("127.0.0.1", 8000)
    assert site_address("shop.example.org") == ("shop.example.org", 80)
    assert site_address("[::1]:8080") == ("::1", 8080)
