"""The roles of DESIGN.md as code: one Django group per role, with exactly the permissions it uses.

``sync_roles()`` creates or updates every group idempotently; the ``setup_roles`` command and
``seed_demo`` call it. Each later issue adds its models' permissions to the roles that use them;
the Wagtail admin menu then shows each role only what it may use, because Wagtail hides the
items a user has no permission for.
"""

from dataclasses import dataclass, field

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

ACCESS_ADMIN = "wagtailadmin.access_admin"

# Wagtail's page permissions, granted on the root of the page tree.
EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
# Wagtail's image and document permissions, granted on the root collection.
EDITOR_COLLECTION_PERMISSIONS = (
    "wagtailimages.add_image",
    "wagtailimages.change_image",
    "wagtailimages.choose_image",
    "wagtailimages.delete_image",
    "wagtaildocs.add_document",
    "wagtaildocs.change_document",
    "wagtaildocs.choose_document",
    "wagtaildocs.delete_document",
)


# The work programme's register (workshops.models): programme managers keep it, auditors read it.
REGISTER_MODELS = (
    "assignment",
    "consent",
    "contract",
    "deductioncategory",
    "fitnessclearance",
    "partner",
    "prison",
    "region",
    "sku",
    "stay",
    "trade",
    "worker",
    "workingtimepolicy",
    "workshop",
    "workshopsupervisor",
)

# Production (workshops.models.production): records change only through the grid, the importer
# and adjustments, so these are read permissions; safety incidents are kept by supervisors.
PRODUCTION_READ = tuple(
    f"workshops.view_{model}"
    for model in ("productionrecord", "productionadjustment", "productionimport", "productionlock")
)

# Training (workshops.models.training): programme managers keep courses, enrolments and
# assessments; attendance is recorded through its operation, by supervisors.
TRAINING_MODELS = ("course", "enrolment", "assessment", "certificate")
LEDGER_READ = tuple(
    f"wages.view_{model}"
    for model in ("account", "checkpoint", "journal", "ledgerverification", "periodclose")
)
PAY_MODELS = ("paypolicy", "payrate", "marketwagebenchmark")
PAY_RUNS = (
    "wages.add_payrun",
    "wages.change_payrun",
    "wages.view_payrun",
    "wages.approve_payrun",
    "wages.post_payrun",
)
# Family remittances (wages.remittances): programme managers keep payees and their consent,
# finance sends the balances and records returns, auditors read all of it.
PAYEES_KEEP = ("wages.add_payee", "wages.change_payee", "wages.view_payee")
REMITTANCES_READ = ("wages.view_payee", "wages.view_remittancebatch", "wages.view_remittance")
REMITTANCES_SEND = (*REMITTANCES_READ, "wages.add_remittancebatch", "wages.reject_remittance")
# Workers' purchases from the prison's shop (wages.accounts.spending): finance records and imports
# them, auditors read them. Workers' accounts, statements and the general-ledger export need the
# ledger's read permissions (LEDGER_READ), which supervisors do not hold.
PURCHASES = ("wages.add_purchase", "wages.view_purchase")
# Partner labour invoices (wages.invoices): finance issues them and records payments; auditors read.
LABOUR_INVOICES_READ = ("wages.view_labourinvoice", "wages.view_labourpayment")
LABOUR_INVOICES_WORK = ("wages.add_labourinvoice", "wages.add_labourpayment")
# Release settlements (wages.releases): finance pays released workers out; auditors read them.
RELEASES = ("wages.view_releasesettlement", "wages.pay_out_release")
# Payslips (wages.payslips): finance generates them; finance, auditors and the supervisors of the
# slips' workshops read them (wages.payslips.access limits supervisors to their workshops).
PAYSLIPS_READ = ("wages.view_payslip",)
PAYSLIPS_WORK = ("wages.add_payslip", "wages.view_payslip")
# Money received for back wages (wages.payruns.back_wages_receipts): finance records the
# administration's receipts; auditors read them.
BACK_WAGES_RECEIPTS_READ = ("wages.view_backwagesreceipt",)
BACK_WAGES_RECEIPTS_WORK = ("wages.add_backwagesreceipt",)
STOCK_READ = ("workshops.view_batch", "workshops.view_stock", "workshops.view_stockmovement")
# The shop's orders (catalogue.orders): each step of their lifecycle is a permission of its own.
# Compliance (compliance.models): programme managers keep the data the safeguard rules read besides
# the register (inspections, insurance, declarations, grievances, thresholds); auditors read it.
# Both run checks and read their findings.
COMPLIANCE_DATA = (
    "safetyinspection",
    "insurancecover",
    "interestdeclaration",
    "grievance",
    "compliancethresholds",
)
COMPLIANCE_CHECKS = (
    "compliance.run_compliancecheck",
    "compliance.view_compliancecheck",
    "compliance.view_checkfinding",
)
# Assessments (compliance.assessments): auditors start, work on and sign their own and read the
# others; programme managers start them, work on any (not sign: the judgment is the auditor's) and
# follow corrective actions up.
ASSESSMENTS_READ = tuple(
    f"compliance.view_{model}"
    for model in ("assessment", "observation", "correctiveaction", "response")
)
ASSESSMENTS_AUDIT = (*ASSESSMENTS_READ, "compliance.add_assessment", "compliance.sign_assessment")
ASSESSMENTS_MANAGE = (
    *ASSESSMENTS_READ,
    "compliance.add_assessment",
    "compliance.change_assessment",
    "compliance.change_correctiveaction",
)

# Bank statements (catalogue.statements): finance imports and matches them, auditors read them.
STATEMENTS_READ = ("catalogue.view_bankstatement",)
STATEMENTS_WORK = ("catalogue.import_bankstatement", "catalogue.match_statementline")
# Quotes (catalogue.quotes): order fulfilment prices, sends and withdraws them; auditors read them.
QUOTES_ANSWER = ("catalogue.view_quote", "catalogue.answer_quote")
ORDERS_READ = ("catalogue.view_order", "catalogue.view_invoice", "catalogue.view_creditnote")


def crud(model: str) -> tuple[str, ...]:
    """The four model permissions of ``app_label.model``."""
    app_label, name = model.split(".")
    return tuple(f"{app_label}.{action}_{name}" for action in ("add", "change", "delete", "view"))


@dataclass(frozen=True)
class Role:
    slug: str
    name: str
    description: str
    permissions: tuple[str, ...] = ()
    page_permissions: tuple[str, ...] = ()
    collection_permissions: tuple[str, ...] = ()
    needs_admin: bool = True
    extra: dict = field(default_factory=dict)


WORKSHOP_SUPERVISOR = Role(
    slug="supervisor",
    name="Workshop supervisor",
    description=_(
        "Logs output, batches, stock, training attendance and incidents of their own workshops."
    ),
    permissions=(
        "workshops.record_production",
        *PRODUCTION_READ,
        "workshops.add_safetyincident",
        "workshops.change_safetyincident",
        "workshops.view_safetyincident",
        "workshops.view_trainingattendance",
        *STOCK_READ,
        "workshops.count_stock",
        *PAYSLIPS_READ,
    ),
)
FINANCE_OFFICER = Role(
    slug="finance",
    name="Finance officer",
    description=_(
        "Pay policy, rates, pay runs (approved by a second finance officer), payslips, payouts."
    ),
    permissions=(
        *PRODUCTION_READ,
        *LEDGER_READ,
        "wages.add_periodclose",
        *(permission for model in PAY_MODELS for permission in crud(f"wages.{model}")),
        *PAY_RUNS,
        *REMITTANCES_SEND,
        *PURCHASES,
        *LABOUR_INVOICES_READ,
        *LABOUR_INVOICES_WORK,
        *RELEASES,
        *PAYSLIPS_WORK,
        *BACK_WAGES_RECEIPTS_READ,
        *BACK_WAGES_RECEIPTS_WORK,
        *ORDERS_READ,
        "catalogue.mark_order_paid",
        *STATEMENTS_READ,
        *STATEMENTS_WORK,
        "catalogue.view_returnrequest",
        "catalogue.pay_back_refund",
    ),
)
AUDITOR = Role(
    slug="auditor",
    name="Auditor",
    description=_("Read-only access to the records, plus their own assessments and reports."),
    permissions=(
        *(f"workshops.view_{model}" for model in REGISTER_MODELS),
        *PRODUCTION_READ,
        "workshops.view_safetyincident",
        *(f"workshops.view_{model}" for model in (*TRAINING_MODELS, "trainingattendance")),
        *STOCK_READ,
        "workshops.view_reservation",
        *LEDGER_READ,
        "wages.verify_ledger",
        *(f"wages.view_{model}" for model in PAY_MODELS),
        "wages.view_payrun",
        *REMITTANCES_READ,
        "wages.view_purchase",
        *LABOUR_INVOICES_READ,
        "wages.view_releasesettlement",
        *PAYSLIPS_READ,
        *BACK_WAGES_RECEIPTS_READ,
        *ORDERS_READ,
        *STATEMENTS_READ,
        "catalogue.view_returnrequest",
        "catalogue.view_quote",
        *(f"compliance.view_{model}" for model in COMPLIANCE_DATA),
        *COMPLIANCE_CHECKS,
        *ASSESSMENTS_AUDIT,
    ),
)
PROGRAMME_MANAGER = Role(
    slug="programme",
    name="Programme manager",
    description=_(
        "Prisons, workshops, trades, workers, partners, contracts, consent, courses, certificates."
    ),
    permissions=(
        *(permission for model in REGISTER_MODELS for permission in crud(f"workshops.{model}")),
        "workshops.view_worker_identity",
        "workshops.import_any_production",
        *PRODUCTION_READ,
        *crud("workshops.safetyincident"),
        *(permission for model in TRAINING_MODELS for permission in crud(f"workshops.{model}")),
        "workshops.view_trainingattendance",
        *STOCK_READ,
        "workshops.view_reservation",
        "workshops.count_stock",
        *PAYEES_KEEP,
        *(permission for model in COMPLIANCE_DATA for permission in crud(f"compliance.{model}")),
        *COMPLIANCE_CHECKS,
        *ASSESSMENTS_MANAGE,
        "wagtail_localize.submit_translation",
    ),
)
BRAND_EDITOR = Role(
    slug="editor",
    name="Brand editor",
    description=_("Pages, stories, product pages, images and documents of the brand site."),
    permissions=(
        *crud("wagtailredirects.redirect"),
        *crud("wagtailsearchpromotions.searchpromotion"),
        *crud("brand.brandtext"),
        "wagtail_localize.submit_translation",
    ),
    page_permissions=EDITOR_PAGE_PERMISSIONS,
    collection_permissions=EDITOR_COLLECTION_PERMISSIONS,
)
ORDER_FULFILMENT = Role(
    slug="fulfilment",
    name="Order fulfilment",
    description=_("Orders, payments received, packing, shipping, returns, refunds and quotes."),
    permissions=(
        *STOCK_READ,
        "workshops.view_reservation",
        *ORDERS_READ,
        "catalogue.view_orderline",
        "catalogue.fulfil_order",
        "catalogue.cancel_order",
        "catalogue.view_returnrequest",
        "catalogue.decide_return",
        *QUOTES_ANSWER,
        "catalogue.refund_order",
    ),
)
ADMINISTRATOR = Role(
    slug="admin",
    name="Administrator",
    description=_("Everything: users and groups, sites and settings."),
    permissions=(
        *crud("auth.user"),
        *crud("auth.group"),
        *crud("wagtailcore.site"),
        *crud("wagtailcore.locale"),
        *crud("wagtailcore.workflow"),
        *crud("wagtailcore.task"),
        "brand.change_brandsettings",
        "brand.view_brandsettings",
        "catalogue.change_shopsettings",
        "catalogue.view_shopsettings",
        *crud("catalogue.taxclass"),
        *crud("catalogue.taxrate"),
        *crud("catalogue.shippingzone"),
        *crud("catalogue.shippingrate"),
    ),
)

ROLES: tuple[Role, ...] = (
    WORKSHOP_SUPERVISOR,
    FINANCE_OFFICER,
    AUDITOR,
    PROGRAMME_MANAGER,
    BRAND_EDITOR,
    ORDER_FULFILMENT,
    ADMINISTRATOR,
)


def ensure_migration_made_permissions() -> None:
    """Permissions that a package's data migration creates, not its models' Meta: made again when a
    database was emptied after migrating (``flush``, transactional tests), as the migration would."""
    content_type, _created = ContentType.objects.get_or_create(
        app_label="wagtail_localize", model="translation"
    )
    Permission.objects.get_or_create(
        content_type=content_type,
        codename="submit_translation",
        defaults={"name": "Can submit translations"},
    )


def get_permissions(names) -> list[Permission]:
    """Permissions by ``app_label.codename``; an unknown name is a programming error, raised."""
    wanted = {tuple(name.split(".")) for name in names}
    found = {
        (p.content_type.app_label, p.codename): p
        for p in Permission.objects.select_related("content_type").filter(
            codename__in={codename for _app, codename in wanted}
        )
    }
    missing = sorted(".".join(key) for key in wanted - found.keys())
    if missing:
        raise LookupError(f"Unknown permissions: {', '.join(missing)}")
    return [found[key] for key in sorted(wanted)]


@transaction.atomic
def sync_role(role: Role) -> Group:
    """Create or update the role's group so it has exactly the role's permissions."""
    group, _created = Group.objects.get_or_create(name=role.name)
    names = set(role.permissions)
    if role.needs_admin:
        names.add(ACCESS_ADMIN)
    group.permissions.set(get_permissions(names))

    root_page = Page.get_first_root_node()
    page_permissions = get_permissions(
        f"wagtailcore.{codename}" for codename in role.page_permissions
    )
    GroupPagePermission.objects.filter(group=group).exclude(
        page=root_page, permission__in=page_permissions
    ).delete()
    for permission in page_permissions:
        GroupPagePermission.objects.get_or_create(
            group=group, page=root_page, permission=permission
        )

    root_collection = Collection.get_first_root_node()
    collection_permissions = get_permissions(role.collection_permissions)
    GroupCollectionPermission.objects.filter(group=group).exclude(
        collection=root_collection, permission__in=collection_permissions
    ).delete()
    for permission in collection_permissions:
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=root_collection, permission=permission
        )
    return group


# Groups Wagtail's migrations create that are not roles of ours; removed while nobody is in them.
WAGTAIL_DEFAULT_GROUPS = ("Editors", "Moderators")


@transaction.atomic
def sync_roles() -> dict[str, Group]:
    """Every role's group, created or brought up to date. Safe to run again at any time."""
    Group.objects.filter(name__in=WAGTAIL_DEFAULT_GROUPS, user__isnull=True).delete()
    ensure_migration_made_permissions()
    return {role.slug: sync_role(role) for role in ROLES}
