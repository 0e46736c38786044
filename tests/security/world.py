"""The objects and users the permission matrix is walked over, and how its answers are read; the
records under the users (register, production, pay run, ledger, inventory, training) are built by
``tests.security.world_records``."""

from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.models import Locale, Site

from brand.models import BrandText
from brand.roles import sync_roles
from catalogue.models import Invoice, Order, Quote
from compliance.models import Assessment as ComplianceAssessment
from compliance.models import CorrectiveAction, Observation, Response
from core.private_files import PrivateFile, store_private_file
from core.testing.twofactor import login_with_second_factor
from core.uploads import PDF
from tests.brand.builders import build_home, build_story, build_story_index
from tests.security.world_compliance import build_compliance_records
from tests.security.world_quotes import ORGANISATION, build_quote_records
from tests.security.world_records import (
    build_pay_run_line,
    build_payslip,
    build_register,
    build_releases,
)
from tests.security.world_remittances import PAYEE_SECRET, build_remittance_records
from tests.security.world_shop import BUYER, build_shop_records
from wages.models import (
    Account,
    Entry,
    LedgerVerification,
    MarketWageBenchmark,
    PayPolicy,
    PayRate,
    PayRun,
    PeriodClose,
    ReleaseSettlement,
)
from workshops.models import (
    Assessment,
    Batch,
    Certificate,
    Course,
    ProductionRecord,
    Reservation,
    SafetyIncident,
    Stock,
    StockMovement,
    Trade,
    TrainingAttendance,
    Worker,
)

ROLES = [
    "anonymous",
    "supervisor",
    "supervisor_other",  # a supervisor of another workshop
    "finance",
    "auditor",
    "programme",
    "editor",
    "fulfilment",
    "admin",
]
GROUP_OF = {"supervisor_other": "supervisor"}
# Workers' legal names and prison numbers: only roles with view_worker_identity may ever see them.
IDENTITY_SECRETS = ["Secret Legalname 4471", "SECRET-PN-4471"]
SEES_IDENTITY = {"programme", "admin"}
# Text that only the objects below contain: a refused answer must not carry any of it. (The brand
# text is public: every page footer shows it.)
SECRETS = [
    "Secret trade 7731",
    "SECRET-PDF-5521",
    "hidden-person@example.org",
    "Secret incident 6613",
    "SECRET-VISIT-8842",
    PAYEE_SECRET,
    BUYER,
    ORGANISATION,
]
PASSWORD = "a-long-test-password-1"
# The supervisors' names, as the audit log shows who did what.
STAFF_NAMES = {
    "supervisor": {"first_name": "Sid", "last_name": "Firstshop"},
    "supervisor_other": {"first_name": "Olive", "last_name": "Othershop"},
}


def build_world() -> dict:
    home = build_home()
    index = build_story_index(home)
    story = build_story(index, 1)
    groups = sync_roles()
    users = {}
    for role in ROLES[1:]:
        user = User.objects.create_user(
            role,
            password=PASSWORD,
            email=f"{role}@example.org",
            **STAFF_NAMES.get(role, {}),
        )
        if role == "admin":
            user.is_superuser = user.is_staff = True
            user.save()
        user.groups.add(groups[GROUP_OF.get(role, role)])
        users[role] = user
    person = User.objects.create_user("person", email="hidden-person@example.org")
    trade = Trade.objects.create(
        name="Secret trade 7731",
        slug="pottery",
        occupation_code="7314",
        locale=Locale.get_default(),
    )
    text = BrandText.objects.create(locale=Locale.get_default(), tagline="Secret tagline 5521")
    private = store_private_file(
        SimpleUploadedFile("consent.pdf", b"%PDF-1.7\nSECRET-PDF-5521\n%%EOF\n"),
        purpose="consent",
        allowed=(PDF,),
    )
    register = build_register(users)
    register["payrunline"] = build_pay_run_line(register["payrun"]).pk
    register |= build_releases(users)
    register |= build_payslip(users, register)
    register |= build_shop_records()
    register |= build_quote_records(register)
    register |= build_remittance_records(users, register)
    register |= build_compliance_records(users, register)
    return {
        "users": users,
        "ids": register
        | {
            "home": home.pk,
            "story": story.pk,
            "trade": trade.pk,
            "brandtext": text.pk,
            "site": Site.objects.get().pk,
            "file": private.pk,
            "person": person.pk,
            "group": Group.objects.get(name="Auditor").pk,
        },
    }


def client_for(client_class, world, role):
    client = client_class()
    if role != "anonymous":
        login_with_second_factor(client, world["users"][role])
    return client


def answer_of(response) -> int | str:
    """How the matrix writes a response: the status, or for a redirect where it goes."""
    if response.status_code in (301, 302):
        location = response["Location"]
        if location.startswith("/admin/login/"):
            return "login"
        if location == "/admin/":
            return "home"
        if location.startswith("/en/"):
            return "language"  # the language middleware retrying a 404 under /en/
        return "redirect"
    return response.status_code


def snapshot() -> tuple:
    """What a refused request must leave unchanged."""
    return (
        list(Worker.objects.order_by("pk").values_list("pk", "reference", "legal_name")),
        list(Trade.objects.order_by("pk").values_list("pk", "name", "slug", "occupation_code")),
        list(BrandText.objects.order_by("pk").values_list("pk", "tagline")),
        list(
            User.objects.order_by("pk").values_list("pk", "username", "is_active", "is_superuser")
        ),
        list(Group.objects.order_by("pk").values_list("pk", "name")),
        PrivateFile.objects.count(),
        list(
            ProductionRecord.objects.order_by("pk").values_list(
                "pk", "hours", "pieces", "rejects", "locked__lock"
            )
        ),
        list(SafetyIncident.objects.order_by("pk").values_list("pk", "description", "severity")),
        list(Course.objects.order_by("pk").values_list("pk", "qualification", "required_hours")),
        list(Assessment.objects.order_by("pk").values_list("pk", "outcome")),
        list(TrainingAttendance.objects.order_by("pk").values_list("pk", "day", "hours")),
        list(
            Certificate.objects.order_by("pk").values_list(
                "pk", "holder_name", "revoked_on", "superseded_by"
            )
        ),
        list(Batch.objects.order_by("pk").values_list("pk", "quantity", "made_from", "made_to")),
        list(Stock.objects.order_by("pk").values_list("pk", "on_hand", "reserved")),
        StockMovement.objects.count(),
        list(Reservation.objects.order_by("pk").values_list("pk", "state")),
        list(Entry.objects.order_by("pk").values_list("pk", "amount")),
        list(Account.objects.order_by("pk").values_list("pk", "balance")),
        list(PeriodClose.objects.order_by("pk").values_list("pk", "up_to")),
        LedgerVerification.objects.count(),
        list(PayPolicy.objects.order_by("pk").values_list("pk", "floor_share", "sales_share")),
        list(PayRate.objects.order_by("pk").values_list("pk", "hourly")),
        list(MarketWageBenchmark.objects.order_by("pk").values_list("pk", "hourly")),
        list(PayRun.objects.order_by("pk").values_list("pk", "status", "result_hash")),
        list(Site.objects.values_list("pk", "hostname")),
        list(Order.objects.order_by("pk").values_list("pk", "status", "carrier", "cancel_reason")),
        list(Invoice.objects.order_by("pk").values_list("pk", "number", "document")),
        list(Quote.objects.order_by("pk").values_list("pk", "status", "total", "order")),
        list(ReleaseSettlement.objects.order_by("pk").values_list("pk", "status", "paid_at")),
        list(
            ComplianceAssessment.objects.order_by("pk").values_list(
                "pk", "status", "summary", "outcome"
            )
        ),
        list(Observation.objects.order_by("pk").values_list("pk", "text")),
        list(CorrectiveAction.objects.order_by("pk").values_list("pk", "state", "due_on")),
        list(Response.objects.order_by("pk").values_list("pk", "text")),
    )
