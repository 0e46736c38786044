"""Roles as code: the groups, their permissions, and the admin menu each role sees."""

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.test import RequestFactory
from wagtail.admin.menu import admin_menu
from wagtail.models import GroupCollectionPermission, GroupPagePermission

from brand.roles import ROLES, sync_roles
from core.testing.twofactor import login_with_second_factor

pytestmark = pytest.mark.django_db

ROLE_NAMES = [
    "Workshop supervisor",
    "Finance officer",
    "Auditor",
    "Programme manager",
    "Brand editor",
    "Order fulfilment",
    "Administrator",
]


def permission_names(group):
    return sorted(
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    )


def snapshot():
    return (
        sorted((g.name, tuple(permission_names(g))) for g in Group.objects.all()),
        sorted(GroupPagePermission.objects.values_list("group__name", "permission__codename")),
        sorted(
            GroupCollectionPermission.objects.values_list("group__name", "permission__codename")
        ),
    )


# The register as the sidebar lists it: everyday records first, reference data last.
WORK_PROGRAMME_MENU = [
    "Workers",
    "Assignments",
    "Consents",
    "Stays",
    "Fitness clearances",
    "Workshops",
    "Workshop supervisors",
    "SKUs",
    "Partner companies",
    "Contracts",
    "Prisons",
    "Regions",
    "Trades",
    "Deduction categories",
    "Working-time policies",
]
REGISTER = {
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
}


PRODUCTION_READ = [
    f"workshops.view_{model}"
    for model in ("productionadjustment", "productionimport", "productionlock", "productionrecord")
]
TRAINING = ["course", "enrolment", "assessment", "certificate"]
TRAINING_MENU = ["Courses", "Enrolments", "Assessments", "Certificates", "Training attendance"]
PRODUCTION_MENU = [
    "Production records",
    "Safety incidents",
    "Production adjustments",
    "Production imports",
    "Production locks",
]
LEDGER_READ = [
    f"wages.view_{model}"
    for model in ("account", "checkpoint", "journal", "ledgerverification", "periodclose")
]
PAY = ["paypolicy", "payrate", "marketwagebenchmark"]
PAY_MENU = [
    "Pay runs",
    "Labour invoices",
    "Releases",
    "Back wages receipts",
    "Pay policies",
    "Pay rates",
    "Market wage benchmarks",
]
LABOUR_INVOICES_READ = ["wages.view_labourinvoice", "wages.view_labourpayment"]
LABOUR_INVOICES_WORK = ["wages.add_labourinvoice", "wages.add_labourpayment"]
FINANCE_REPORTS = ["Overdue invoices", "Overdue labour invoices"]
PAY_RUNS = [
    "wages.add_payrun",
    "wages.change_payrun",
    "wages.view_payrun",
    "wages.approve_payrun",
    "wages.post_payrun",
]
REMITTANCES_READ = ["wages.view_payee", "wages.view_remittancebatch", "wages.view_remittance"]
REMITTANCES_SEND = [*REMITTANCES_READ, "wages.add_remittancebatch", "wages.reject_remittance"]
PAYEES_KEEP = ["wages.add_payee", "wages.change_payee", "wages.view_payee"]
REMITTANCES_MENU = ["Send to families", "Payees"]
LEDGER_MENU = ["Accounts", "Journals", "Checkpoints", "Period closes", "Ledger verifications"]
STOCK_READ = ["workshops.view_batch", "workshops.view_stock", "workshops.view_stockmovement"]
STOCK_MENU = ["Batches", "Stock by product", "Stock movements", "Reservations"]
STATEMENTS_READ = ["catalogue.view_bankstatement"]
STATEMENTS_WORK = ["catalogue.import_bankstatement", "catalogue.match_statementline"]
ORDERS_MENU = ["Orders", "Invoices", "Credit notes", "Quotes", "Returns"]
FINANCE_ORDERS_MENU = ["Orders", "Invoices", "Credit notes", "Returns", "Bank statements"]
AUDITOR_ORDERS_MENU = [*ORDERS_MENU, "Bank statements"]
AFTERSALES_REPORTS = ["Overdue invoices"]
ORDERS_READ = ["catalogue.view_creditnote", "catalogue.view_invoice", "catalogue.view_order"]
SUPERVISOR_STOCK_MENU = STOCK_MENU[:3]  # reservations are the shop's, not the workshop's
# Finance reads production (pay runs are calculated from it), not safety incidents.
PRODUCTION_RECORDS_MENU = [item for item in PRODUCTION_MENU if item != "Safety incidents"]
COMPLIANCE_DATA = [
    "safetyinspection",
    "insurancecover",
    "interestdeclaration",
    "grievance",
    "compliancethresholds",
]
COMPLIANCE_CHECKS = [
    "compliance.run_compliancecheck",
    "compliance.view_checkfinding",
    "compliance.view_compliancecheck",
]
COMPLIANCE_MENU = [
    "Assessments",
    "Compliance checks",
    "Safety inspections",
    "Injury insurance",
    "Declarations of interest",
    "Grievances",
    "Compliance thresholds",
    "Dashboard",
]
ASSESSMENTS_READ = [
    f"compliance.view_{model}"
    for model in ("assessment", "observation", "correctiveaction", "response")
]


def menu_for(group_name, *, superuser=False):
    user = User.objects.create_user(f"user-{len(group_name)}-{superuser}", is_superuser=superuser)
    user.groups.add(Group.objects.get(name=group_name))
    request = RequestFactory().get("/admin/")
    request.user = user
    menu = {}
    for item in admin_menu.menu_items_for_request(request):
        submenu = getattr(item, "menu", None)
        menu[str(item.label)] = (
            [str(sub.label) for sub in submenu.menu_items_for_request(request)] if submenu else None
        )
    menu.pop("Help")  # every role has Wagtail's help menu
    return menu


def test_roles_are_exactly_the_design_roles():
    assert [role.name for role in ROLES] == ROLE_NAMES


def test_sync_roles_creates_one_group_per_role_with_exact_permissions():
    sync_roles()

    groups = {g.name: permission_names(g) for g in Group.objects.all()}
    assert sorted(groups) == sorted(ROLE_NAMES)
    assert groups["Workshop supervisor"] == [
        "wages.view_payslip",
        "wagtailadmin.access_admin",
        *sorted(
            [
                "workshops.add_safetyincident",
                "workshops.change_safetyincident",
                "workshops.count_stock",
                "workshops.record_production",
                *PRODUCTION_READ,
                *STOCK_READ,
                "workshops.view_safetyincident",
                "workshops.view_trainingattendance",
            ]
        ),
    ]
    assert groups["Finance officer"] == sorted(
        [
            "wagtailadmin.access_admin",
            *PRODUCTION_READ,
            *LEDGER_READ,
            "wages.add_periodclose",
            *(f"wages.{a}_{m}" for m in PAY for a in ("add", "change", "delete", "view")),
            *PAY_RUNS,
            *REMITTANCES_SEND,
            "wages.add_purchase",
            "wages.view_purchase",
            *LABOUR_INVOICES_READ,
            *LABOUR_INVOICES_WORK,
            "wages.view_releasesettlement",
            "wages.pay_out_release",
            "wages.add_payslip",
            "wages.view_payslip",
            "wages.view_backwagesreceipt",
            "wages.add_backwagesreceipt",
            *ORDERS_READ,
            "catalogue.mark_order_paid",
            *STATEMENTS_READ,
            *STATEMENTS_WORK,
            "catalogue.view_returnrequest",
            "catalogue.pay_back_refund",
        ]
    )
    assert groups["Order fulfilment"] == [
        *sorted(
            [
                *ORDERS_READ,
                "catalogue.view_orderline",
                "catalogue.fulfil_order",
                "catalogue.cancel_order",
                "catalogue.view_returnrequest",
                "catalogue.decide_return",
                "catalogue.view_quote",
                "catalogue.answer_quote",
                "catalogue.refund_order",
            ]
        ),
        "wagtailadmin.access_admin",
        *sorted([*STOCK_READ, "workshops.view_reservation"]),
    ]
    register = sorted(REGISTER)
    assert groups["Auditor"] == [
        *STATEMENTS_READ,
        *ORDERS_READ,
        "catalogue.view_quote",
        "catalogue.view_returnrequest",
        *sorted(
            [
                *COMPLIANCE_CHECKS,
                *(f"compliance.view_{m}" for m in COMPLIANCE_DATA),
                *ASSESSMENTS_READ,
                "compliance.add_assessment",
                "compliance.sign_assessment",
            ]
        ),
        *sorted(
            [
                *LEDGER_READ,
                "wages.verify_ledger",
                *(f"wages.view_{m}" for m in PAY),
                "wages.view_payrun",
                *REMITTANCES_READ,
                "wages.view_purchase",
                *LABOUR_INVOICES_READ,
                "wages.view_releasesettlement",
                "wages.view_payslip",
                "wages.view_backwagesreceipt",
            ]
        ),
        "wagtailadmin.access_admin",
        *sorted(
            [f"workshops.view_{model}" for model in [*register, *TRAINING]]
            + PRODUCTION_READ
            + ["workshops.view_safetyincident", "workshops.view_trainingattendance"]
            + STOCK_READ
            + ["workshops.view_reservation"]
        ),
    ]
    assert groups["Programme manager"] == [
        *sorted(
            [
                *COMPLIANCE_CHECKS,
                *(
                    f"compliance.{action}_{model}"
                    for model in COMPLIANCE_DATA
                    for action in ("add", "change", "delete", "view")
                ),
                *ASSESSMENTS_READ,
                "compliance.add_assessment",
                "compliance.change_assessment",
                "compliance.change_correctiveaction",
            ]
        ),
        *sorted(PAYEES_KEEP),
        "wagtail_localize.submit_translation",
        "wagtailadmin.access_admin",
        *sorted(
            [
                f"workshops.{action}_{model}"
                for model in [*register, "safetyincident", *TRAINING]
                for action in ("add", "change", "delete", "view")
            ]
            + ["workshops.view_worker_identity", "workshops.import_any_production"]
            + PRODUCTION_READ
            + ["workshops.view_trainingattendance"]
            + STOCK_READ
            + ["workshops.view_reservation", "workshops.count_stock"]
        ),
    ]
    assert len(groups["Programme manager"]) == 2 + 20 * 4 + 2 + 4 + 1 + 5 + 3 + 5 * 4 + 3 + 4 + 3
    editor = Group.objects.get(name="Brand editor")
    assert sorted(
        GroupPagePermission.objects.filter(group=editor).values_list(
            "page__depth", "permission__codename"
        )
    ) == [
        (1, "add_page"),
        (1, "change_page"),
        (1, "lock_page"),
        (1, "publish_page"),
        (1, "unlock_page"),
    ]
    assert sorted(
        GroupCollectionPermission.objects.filter(group=editor).values_list(
            "permission__codename", flat=True
        )
    ) == [
        "add_document",
        "add_image",
        "change_document",
        "change_image",
        "choose_document",
        "choose_image",
        "delete_document",
        "delete_image",
    ]


def test_sync_roles_is_idempotent():
    sync_roles()
    first = snapshot()

    sync_roles()

    assert snapshot() == first


def test_sync_roles_removes_a_permission_granted_by_hand():
    groups = sync_roles()
    stray = Permission.objects.get(codename="delete_user")
    groups["finance"].permissions.add(stray)
    GroupPagePermission.objects.create(
        group=groups["finance"],
        page_id=1,
        permission=Permission.objects.get(codename="publish_page"),
    )

    sync_roles()

    assert permission_names(groups["finance"]) == sorted(
        [
            "wagtailadmin.access_admin",
            *PRODUCTION_READ,
            *LEDGER_READ,
            "wages.add_periodclose",
            *(f"wages.{a}_{m}" for m in PAY for a in ("add", "change", "delete", "view")),
            *PAY_RUNS,
            *REMITTANCES_SEND,
            "wages.add_purchase",
            "wages.view_purchase",
            *LABOUR_INVOICES_READ,
            *LABOUR_INVOICES_WORK,
            "wages.view_releasesettlement",
            "wages.pay_out_release",
            "wages.add_payslip",
            "wages.view_payslip",
            "wages.view_backwagesreceipt",
            "wages.add_backwagesreceipt",
            *ORDERS_READ,
            "catalogue.mark_order_paid",
            *STATEMENTS_READ,
            *STATEMENTS_WORK,
            "catalogue.view_returnrequest",
            "catalogue.pay_back_refund",
        ]
    )
    assert not GroupPagePermission.objects.filter(group=groups["finance"]).exists()


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (
            "Workshop supervisor",
            {
                "Daily production": None,
                "Record training": None,
                "Production": PRODUCTION_MENU,
                "Training": ["Training attendance"],
                "Stock": None,
                "Stock records": SUPERVISOR_STOCK_MENU,
                "Payslips": None,
            },
        ),
        (
            "Finance officer",
            {
                "Production": PRODUCTION_RECORDS_MENU,
                "Pay": PAY_MENU,
                "Family remittances": REMITTANCES_MENU,
                "Ledger": LEDGER_MENU,
                "Trial balance": None,
                "Workers' accounts": None,
                "Purchases": None,
                "General-ledger export": None,
                "Payslips": None,
                "Orders": FINANCE_ORDERS_MENU,
                "Reports": FINANCE_REPORTS,
            },
        ),
        (
            "Order fulfilment",
            {
                "Stock": None,
                "Stock records": STOCK_MENU,
                "Orders": ORDERS_MENU,
                "Reports": AFTERSALES_REPORTS,
            },
        ),
        (
            "Auditor",
            {
                "Production": PRODUCTION_MENU,
                "Training": TRAINING_MENU,
                "Work programme": WORK_PROGRAMME_MENU,
                "Stock": None,
                "Stock records": STOCK_MENU,
                "Pay": PAY_MENU,
                "Family remittances": REMITTANCES_MENU,
                "Ledger": LEDGER_MENU,
                "Trial balance": None,
                "Verify the ledger": None,
                "Workers' accounts": None,
                "Purchases": None,
                "General-ledger export": None,
                "Payslips": None,
                "Orders": AUDITOR_ORDERS_MENU,
                "Reports": FINANCE_REPORTS,
                "Compliance": COMPLIANCE_MENU,
            },
        ),
        (
            "Programme manager",
            {
                "Daily production": None,
                "Record training": None,
                "Production": PRODUCTION_MENU,
                "Training": TRAINING_MENU,
                "Work programme": WORK_PROGRAMME_MENU,
                "Stock": None,
                "Stock records": STOCK_MENU,
                "Family remittances": ["Payees"],
                "Reports": ["Translations"],
                "Compliance": COMPLIANCE_MENU,
            },
        ),
        (
            "Brand editor",
            {
                "Documents": None,
                "Images": None,
                "Pages": None,
                "Settings": ["Brand texts", "Redirects", "Promoted search results"],
                "Reports": [
                    "Translations",
                    "Locked pages",
                    "Workflows",
                    "Workflow tasks",
                    "Site history",
                    "Aging pages",
                    "Page types usage",
                ],
            },
        ),
    ],
)
def test_each_role_sees_only_its_menu(role, expected):
    sync_roles()

    assert menu_for(role) == expected


def test_the_administrator_sees_users_groups_and_settings():
    sync_roles()

    menu = menu_for("Administrator", superuser=True)

    assert list(menu) == [
        "Shop",
        "Orders",
        "Compliance",
        "Ledger",
        "Pay",
        "Family remittances",
        "Trial balance",
        "Verify the ledger",
        "Workers' accounts",
        "Purchases",
        "General-ledger export",
        "Payslips",
        "Work programme",
        "Production",
        "Training",
        "Stock records",
        "Daily production",
        "Record training",
        "Stock",
        "Documents",
        "Images",
        "Pages",
        "Settings",
        "Reports",
    ]
    assert menu["Settings"] == [
        "Brand settings",
        "Shop settings",
        "Brand texts",
        "Locales",
        "Redirects",
        "Promoted search results",
        "Sites",
        "Collections",
        "Workflows",
        "Workflow tasks",
        "Users",
        "Groups",
    ]


def test_the_auditor_can_read_trades_but_not_change_them(client):
    from tests.brand.builders import build_home

    build_home()
    groups = sync_roles()
    auditor = User.objects.create_user("auditor", password="x")
    auditor.groups.add(groups["auditor"])
    login_with_second_factor(client, auditor)

    assert client.get("/admin/workshops/trade/").status_code == 200
    response = client.post(
        "/admin/workshops/trade/new/",
        {"name": "Pottery", "slug": "pottery", "occupation_code": "7314"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    from workshops.models import Trade

    assert Trade.objects.count() == 0
