"""``seed_demo`` builds the whole demo country, prints the logins and can run again without
duplicating anything; it refuses an unknown size, writes the demo signing key once, seeds in a
currency of three decimals, and sets the site's address.
"""

import datetime
import io
import os
import sqlite3
import subprocess
import sys
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.db.models import Count
from django.test import TestCase
from django.utils import timezone
from wagtail.models import ModelLogEntry, Page, Site

from brand.demo.certificates import ensure_demo_signing_key
from brand.demo.payruns import LATE_SESSION
from brand.demo.register import plan_workers
from brand.demo.seed import SIZES
from brand.models import BrandSettings, HomePage, StoryPage
from compliance.models import Assessment as ComplianceAssessment
from compliance.models import (
    CheckFinding,
    ComplianceCheck,
    ComplianceThresholds,
    CorrectiveAction,
    Grievance,
    InsuranceCover,
    InterestDeclaration,
    Observation,
    Response,
    SafetyInspection,
)
from core import signing
from core.private_files import PrivateFile
from wages.models import (
    Journal,
    LabourInvoice,
    LabourPayment,
    MarketWageBenchmark,
    PayAllocation,
    Payee,
    PayPolicy,
    PayRate,
    PayRun,
    PayRunLine,
    Payslip,
    Purchase,
    Remittance,
)
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
from workshops.register.consents import withdraw_consent

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
        "purchases": Purchase.objects.count(),
        "payslips": Payslip.objects.count(),
        "journals": Journal.objects.count(),
        "labour invoices": dict(
            LabourInvoice.objects.values_list("status").annotate(n=Count("pk")).order_by("status")
        ),
        "labour payments": LabourPayment.objects.count(),
        "production adjustments": ProductionAdjustment.objects.count(),
        "log entries": ModelLogEntry.objects.count(),
        "payees": Payee.objects.count(),
        "remittances": dict(
            Remittance.objects.values_list("status").annotate(n=Count("pk")).order_by("status")
        ),
        "compliance thresholds": ComplianceThresholds.objects.count(),
        "safety inspections": SafetyInspection.objects.count(),
        "insurance covers": InsuranceCover.objects.count(),
        "declarations": InterestDeclaration.objects.count(),
        "grievances": Grievance.objects.count(),
        "supervisions ended": WorkshopSupervisor.objects.filter(end__isnull=False).count(),
        "compliance assessments": dict(
            ComplianceAssessment.objects.values_list("status")
            .annotate(n=Count("pk"))
            .order_by("status")
        ),
        "compliance checks": ComplianceCheck.objects.count(),
        "check findings": CheckFinding.objects.count(),
        "corrective actions": dict(
            CorrectiveAction.objects.values_list("state").annotate(n=Count("pk")).order_by("state")
        ),
        "observations": Observation.objects.count(),
        "responses": Response.objects.count(),
    }


# The shop's 19 orders on invoice: each reserves its lines' stock (38 lines), 12 are paid
# (25 lines sold), 3 cancelled (5 lines released); 19 invoices, each with its PDF and journal,
# 12 payment journals; 52 steps in the audit log (19 placed, 12 paid, 9 packed, 6 shipped,
# 3 delivered, 3 cancelled). And 2 card orders (brand.demo.cards): one paid by its Stripe event
# (2 lines reserved and sold, its invoice with its PDF and journal, its payment journal; placed
# and paid in the log), one waiting (1 line reserved; placed). The bank statement then pays one
# more order on invoice exactly (its 2 lines sold) and one in part: 2 journals (one per matched
# line); 4 steps in the audit log (the import, 2 transfers matched, 1 order paid). After sales:
# 4 steps (a payment reminder, two returns asked, one accepted). One delivered order is partly
# refunded (brand.demo.refunds): its credit note's PDF, its journal and its log entry.
ORDERS = {
    "private files": 19 + 1 + 1,
    "stock movements": 38 + 25 + 5 + (2 + 2 + 1) + 2,
    "reservations": 19 + 2,
    "journals": 19 + 12 + 2 + 2 + 1,
    "log entries": 52 + 3 + 4 + 4 + 1,
}
# The shop's 6 quotes (brand/demo/quotes.py): 5 sent, each with its PDF; the accepted one's order
# reserves its 2 lines and has its invoice (PDF and journal); 21 in the audit log (6 requested,
# 5 priced, 5 sent, 1 each accepted, declined, expired and withdrawn, and the order placed).
QUOTES = {"private files": 5 + 1, "stock movements": 2, "reservations": 1, "journals": 1}
QUOTES["log entries"] = 21
# Family remittances (brand/demo/remittances.py): 4 payees, 3 with their signed consent (3 private
# files); one batch of the 3 consented balances (its pain.001 and CSV: 2 files; 3 journals) whose
# first transfer the bank returned (1 journal); 6 in the audit log (4 payees, the batch, the
# return).
REMITTANCES = {"private files": 3 + 2, "journals": 3 + 1, "log entries": 4 + 1 + 1}
# Purchases from the prison shops (brand.demo.spending): 2 workers with 2 recorded by hand and 4
# with 3 in one imported file, each its journal and its log entry.
SPENDING = {"purchases": 2 * 2 + 4 * 3, "journals": 16, "log entries": 16}
# Partner labour invoices (brand/demo/labour_invoices.py): three, each with its PDF, journal and
# log entry; the two paid ones' payment journals and log entries.
LABOUR = {"private files": 3, "journals": 3 + 2, "log entries": 3 + 2}
# Releases (brand.demo.releases): one released worker paid out (its receipt and journal), one
# worker transferred after the pay runs (a stay begun); in the audit log the 3 settlements opened
# by the releases, 1 payout, the balances carried by the 4 transfers, and the new transfer's
# stay and assignment ended and stay begun.
RELEASES = {"private files": 1, "stays": 1, "journals": 1, "log entries": 3 + 1 + 4 + 3}
DEMO_PAYSLIPS = 341 + 81  # the lines of the 7 posted runs
# The assessments (brand.demo.assessments), each started with its check (2 in the log) by the
# auditor: Quickfix's earlier one with 160 actions, its summary and sign-off, the partner's status
# set (165); its current one with a site visit (its PDF stored privately), 222 actions, one
# closed, its summary, the earlier one superseded, its sign-off, the partner's status, the
# partner's response (231); Atlas's with its summary, sign-off and status (5); the building
# crew's with an interview and an action (4).
ASSESSMENTS = {"private files": 1, "log entries": 165 + 231 + 5 + 4}


def test_seed_demo_builds_the_country_and_prints_every_login():
    output = run_seed()

    # root + 15 English pages (6 stories) + 12 each in French and Arabic (3 stories translated),
    # and the shop in each language (the shop, 7 categories and 43 products);
    # 8 demo logins and 3 supervising staff who cannot sign in; 10 workshops of 20 workers, 3 of
    # them transferred (a second stay and assignment), Nadia in a second workshop; 61 work
    # consents (the partners' 60 workers and one transferred to a partner) and 6 story consents,
    # each with its document but one.
    assert counts() == {
        "pages": 193,
        "live": 193,
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
        "stays": 203 + RELEASES["stays"],
        "clearances": 197,
        "assignments": 204,
        "partners": 2,
        "contracts": 3,
        "deduction categories": 5,
        "policies": 1,
        "consents": 67,
        # the register's 25 and 57 of the shop's variants, made alongside them
        "skus": 82,
        "private files": 66
        + ORDERS["private files"]
        + QUOTES["private files"]
        + REMITTANCES["private files"]
        + LABOUR["private files"]
        + RELEASES["private files"]
        + ASSESSMENTS["private files"]
        + DEMO_PAYSLIPS,  # one stored PDF per payslip
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
        # write-offs, a stocktake, a reservation waiting for payment and four sales to public
        # buyers (reserved, then sold)
        "batches": 246,
        "stock rows": 82,
        "stock movements": 260 + ORDERS["stock movements"] + QUOTES["stock movements"],
        "reservations": 5 + ORDERS["reservations"] + QUOTES["reservations"],
        # one policy (four allocations), the rates of the 7 own workshops that are paid, and a
        # market wage for each partner contract's trade and region
        "pay policies": 1,
        "allocations": 4,
        "pay rates": 7,
        "benchmarks": 3,
        # August and September posted in the three prisons, October calculated in Ain Zahra
        # (awaiting the second officer); one journal per worker paid in a posted run; one
        # record of August corrected after its run was posted; the 7th posted run is
        # brand.demo.sales_share's, after the shop's orders: 81 lines, and besides their 81
        # journals, 40 of makers' shares and back wages paid out
        "pay runs": {"calculated": 1, "posted": 7},
        "pay run lines": 479,
        "journals": 341
        + 121
        + ORDERS["journals"]
        + QUOTES["journals"]
        + REMITTANCES["journals"]
        + SPENDING["journals"]
        + LABOUR["journals"]
        + RELEASES["journals"],
        "purchases": SPENDING["purchases"],
        # the unfair partner's August invoice overdue, the fair one's September invoice paid
        "labour invoices": {"issued": 1, "paid": 2},
        "labour payments": 2,
        # one per worker paid by each of the 7 posted runs, in the worker's language
        "payslips": DEMO_PAYSLIPS,
        "production adjustments": 1,
        # 204 assignments, 3 transfers (3 assignments and stays ended, 3 stays begun), 3 releases
        # (3 assignments and stays ended, 3 workers released), 67 consents, 1 withdrawal and
        # 3 contracts: every change through the register's operations is in the audit log; and
        # the production import, each training session recorded, and 11 certificates issued,
        # 1 revoked and 1 superseded, and each batch received; for the 7 pay runs 39 (created,
        # records locked, calculated; approved, posted and lock made final for 6) and the 1
        # adjustment; 7 for the back wages receipt and the sales share run; the 7 posted runs'
        # payslips generated
        "log entries": 764
        + 7
        + 7
        + ORDERS["log entries"]
        + QUOTES["log entries"]
        + REMITTANCES["log entries"]
        + SPENDING["log entries"]
        + LABOUR["log entries"]
        + RELEASES["log entries"]
        + ASSESSMENTS["log entries"],
        "payees": 4,
        "remittances": {"posted": 2, "rejected": 1},
        # brand.demo.compliance: one version of the thresholds; the fair partner's workshop and
        # the unfair one's upholstery inspected yearly, its placement once; two years of cover
        # for each partner, the unfair one's renewed after a month's lapse; a declaration by
        # each supervisor of partner work; 7 grievances (2 of them unanswered); the placement's
        # supervision ended by the roster's correction
        "compliance thresholds": 1,
        "safety inspections": 5,
        "insurance covers": 5,
        "declarations": 3,
        "grievances": 7,
        "supervisions ended": 1,
        # brand.demo.assessments: Quickfix's earlier assessment superseded by its current one,
        # Atlas's signed, the building crew's in progress; each with its check (the findings of
        # Quickfix over two months and three, of Atlas and of the crew); an action on every
        # critical and major finding of Quickfix's two (160 and 222, one closed) and one for the
        # crew; a site visit and an interview; Quickfix's response
        "compliance assessments": {"in_progress": 1, "signed": 2, "superseded": 1},
        "compliance checks": 4,
        "check findings": 257 + 421 + 23 + 23,
        "corrective actions": {"closed": 1, "open": 160 + 222 + 1 - 1},
        "observations": 2,
        "responses": 1,
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
    assert "/en/shop/: 43 products in en, fr, ar, 22 orders." in output
    year = timezone.localdate().year
    assert (
        "Assessments: 2 signed, 1 superseded, 1 in progress (Quickfix Assembly suspended "
        f"(AS-{year}-0002), Atlas Textiles compliant (AS-{year}-0003))."
    ) in output
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


def test_seed_demo_refuses_an_unknown_size():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="invalid choice: 'huge'"):
        call_command("seed_demo", "--size", "huge")
    assert counts()["trades"] == 0


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
            [("calculated", "TND", 1), ("posted", "TND", 7)],
            [("TND",)],
        )
    assert verified.startswith("The ledger is intact: ")
    assert thousandths > 0


def test_seed_demo_sets_the_sites_address_to_where_the_demo_is_served():
    from brand.demo.seed import site_address

    assert site_address("127.0.0.1:8000") == ("127.0.0.1", 8000)
    assert site_address("shop.example.org") == ("shop.example.org", 80)
    assert site_address("[::1]:8080") == ("::1", 8080)
