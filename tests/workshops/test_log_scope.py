"""Who reads which audit-log entries. The site history report, its CSV and XLSX exports and its
filters show a supervisor only the entries about their own workshops' rows, as the listings do
(``workshops.log_scope``); entries about everything else follow Wagtail's model permissions."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import User
from django.test import RequestFactory
from wagtail.admin.viewsets import viewsets
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.models import ModelLogEntry

from core.audit_log import visible_log_entries
from core.testing.twofactor import login_with_second_factor
from tests.workshops.production_builders import build_worker_in, csv_file, day
from workshops.inventory import receive_batch
from workshops.log_scope import SCOPES, narrow_log_entries
from workshops.models import SKU, ProductionRecord
from workshops.production import (
    Entry,
    adjust_production,
    import_production,
    lock_production,
    save_grid,
)

pytestmark = pytest.mark.django_db
DAY = day(3)  # 2026-11-05
REPORT = "/admin/reports/site-history/"

OWN = [
    ("bridgework.batch_received", "SKU-A × 5 (2026-11-05 – 2026-11-05)", "sup"),
    ("bridgework.production_adjusted", "W-000000 Workshop tailoring-north 2026-11-05 SKU-A", "sup"),
    (
        "bridgework.production_corrected",
        "W-000000 Workshop tailoring-north 2026-11-05 SKU-A",
        "sup",
    ),
    ("bridgework.production_imported", "own.csv (1)", "sup"),
    ("bridgework.production_locked", "PR-OWN", None),
]
OTHERS = [
    ("bridgework.batch_received", "SKU-O × 6 (2026-11-05 – 2026-11-05)", "sup-other"),
    (
        "bridgework.production_corrected",
        "W-OTHER1 Workshop bakery-north 2026-11-05 SKU-O",
        "sup-other",
    ),
]
REMOVED = [
    (
        "bridgework.production_removed",
        "W-OTHER2 Workshop bakery-north 2026-11-05 SKU-O",
        "sup-other",
    ),
]
# The grid's saves, logged on the workshop: read by those who may see the workshop in the register.
SAVES = [
    ("bridgework.production_saved", "Workshop bakery-north", "sup-other"),
    ("bridgework.production_saved", "Workshop bakery-north", "sup-other"),
    ("bridgework.production_saved", "Workshop tailoring-north", "sup"),
    ("bridgework.production_saved", "Workshop tailoring-north", "sup"),
]


@pytest.fixture
def logged(world):
    """A day of each workshop saved, then corrected, by its own supervisor (a record of the other
    workshop removed on the way), and a batch of each workshop received."""
    sku_o = SKU.objects.get(code="SKU-O")
    other_workers = [build_worker_in([world.other], f"W-OTHER{n}") for n in (1, 2)]

    def save(workshop, user, rows):
        entries = [
            Entry(worker=worker, workshop=workshop, day=DAY, sku=sku, hours=Decimal(hours))
            for worker, sku, hours in rows
        ]
        for entry in entries:
            entry.supervisor, entry.pieces = user, 10
        save_grid(workshop=workshop, day=DAY, entries=entries, user=user)

    save(world.workshop, world.supervisor, [(world.workers[0], world.skus[0], 6)])
    save(world.workshop, world.supervisor, [(world.workers[0], world.skus[0], 7)])
    save(world.other, world.other_supervisor, [(w, sku_o, 3) for w in other_workers])
    save(world.other, world.other_supervisor, [(other_workers[0], sku_o, 4)])
    for sku, quantity, user in (
        (world.skus[0], 5, world.supervisor),
        (sku_o, 6, world.other_supervisor),
    ):
        receive_batch(
            sku=sku, quantity=quantity, made_from=DAY, made_to=DAY, user=user, key=f"b-{sku.code}"
        )
    # The own workshop's day locked by a pay run and adjusted, another day imported.
    lock_production(ProductionRecord.objects.filter(workshop=world.workshop), "PR-OWN")
    adjust_production(
        record=ProductionRecord.objects.get(workshop=world.workshop),
        hours=Decimal(6),
        pieces=10,
        rejects=0,
        reason="Recount",
        user=world.supervisor,
    )
    import_production(
        csv_file(f"{day(4)},W-000001,tailoring-north,SKU-B,2,3,0,sup,,"),
        file_name="own.csv",
        user=world.supervisor,
    )
    return world


def auditor() -> User:
    from brand.roles import sync_roles

    user = User.objects.create_user("aud", password="x")
    user.groups.add(sync_roles()["auditor"])
    return user


def entries_for(user) -> list[tuple]:
    """What ``user`` reads: Wagtail's rule (a permission on the model), then the apps' hooks."""
    entries = visible_log_entries(user, ModelLogEntry.objects.viewable_by_user(user))
    return sorted(entries.values_list("action", "label", "user__username"))


def signed_in(client, user):
    login_with_second_factor(client, user)
    return client


def test_a_supervisor_reads_the_entries_of_their_own_workshops_rows_only(logged):
    assert entries_for(logged.supervisor) == OWN
    assert entries_for(logged.other_supervisor) == OTHERS


def test_the_workshops_own_entries_of_production_and_stock_follow_the_same_scope(logged):
    """Entries the grid writes on the workshop: a supervisor has no permission on workshops, so
    Wagtail hides them already; given one, they would read their own workshops' only."""
    narrowed = narrow_log_entries(logged.supervisor, ModelLogEntry.objects.all())

    assert sorted(narrowed.values_list("action", "label", "user__username")) == sorted(
        OWN + SAVES[2:]
    )


def test_whoever_sees_every_workshop_reads_every_entry_removed_records_included(logged):
    assert entries_for(auditor()) == sorted(OWN + OTHERS + REMOVED + SAVES)


def report_rows(response) -> list[list[str]]:
    """The report's rows as shown: name, type, action, user."""
    rows = BeautifulSoup(response.content, "html.parser").select("table.listing tbody tr")
    return sorted([cell.get_text(" ", strip=True) for cell in row.select("td")[:4]] for row in rows)


def test_the_site_history_report_lists_a_supervisors_own_entries_only(client, logged):
    response = signed_in(client, logged.other_supervisor).get(REPORT)

    assert response.status_code == 200
    assert report_rows(response) == [
        ["SKU-O × 6 (2026-11-05 – 2026-11-05)", "Batch", "Batch received into stock", "sup-other"],
        [
            "W-OTHER1 Workshop bakery-north 2026-11-05 SKU-O",
            "Production record",
            "Production record corrected",
            "sup-other",
        ],
    ]
    text = response.content.decode()
    assert ("W-000000" in text, "SKU-A" in text, "tailoring-north" in text) == (False,) * 3
    # The filters offer the staff, types and actions of the entries shown, no others.
    fields = response.context["filters"].form.fields
    assert [user.username for user in fields["user"].queryset] == ["sup-other"]
    assert [str(kind) for kind in fields["object_type"].queryset] == [
        "Work programme | batch",
        "Work programme | production record",
    ]
    assert [action for action, _label in fields["action"].choices] == [
        "bridgework.batch_received",
        "bridgework.production_corrected",
    ]


def test_the_site_history_csv_export_lists_a_supervisors_own_entries_only(client, logged):
    response = signed_in(client, logged.supervisor).get(f"{REPORT}?export=csv")

    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    rows = sorted(row[1:5] for row in list(csv.reader(io.StringIO(body)))[1:])
    assert rows == [
        ["PR-OWN", "Production lock", "Lock production", "system"],
        ["SKU-A × 5 (2026-11-05 – 2026-11-05)", "Batch", "Receive a batch", "sup"],
        [
            "W-000000 Workshop tailoring-north 2026-11-05 SKU-A",
            "Production record",
            "Adjust production",
            "sup",
        ],
        [
            "W-000000 Workshop tailoring-north 2026-11-05 SKU-A",
            "Production record",
            "Correct production",
            "sup",
        ],
        ["own.csv (1)", "Production import", "Import production", "sup"],
    ]


def test_the_site_history_xlsx_export_lists_a_supervisors_own_entries_only(client, logged):
    response = signed_in(client, logged.other_supervisor).get(f"{REPORT}?export=xlsx")

    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    rows = sorted(list(row[1:5]) for row in sheet.iter_rows(min_row=2, values_only=True))
    assert rows == [
        ["SKU-O × 6 (2026-11-05 – 2026-11-05)", "Batch", "Receive a batch", "sup-other"],
        [
            "W-OTHER1 Workshop bakery-north 2026-11-05 SKU-O",
            "Production record",
            "Correct production",
            "sup-other",
        ],
    ]


def test_the_results_view_and_the_name_filter_follow_the_same_scope(client, logged):
    response = signed_in(client, logged.supervisor).get(f"{REPORT}results/?label=W-")

    assert response.status_code == 200
    assert report_rows(response) == [
        [
            "W-000000 Workshop tailoring-north 2026-11-05 SKU-A",
            "Production record",
            "Locked production record adjusted",
            "sup",
        ],
        [
            "W-000000 Workshop tailoring-north 2026-11-05 SKU-A",
            "Production record",
            "Production record corrected",
            "sup",
        ],
    ]


def test_every_scoped_listing_has_its_log_scope_and_they_agree(logged):
    """The listings and the log scope read the same policy: for each workshop-scoped viewset, the
    rows a supervisor lists are exactly the rows whose entries they read."""
    from workshops.inventory.admin import ScopedByStock
    from workshops.log_scope import rows_seen_by
    from workshops.production.admin import ScopedByWorkshop

    scoped = {
        viewset.model: viewset
        for viewset in viewsets.viewsets
        if isinstance(viewset, (ScopedByWorkshop, ScopedByStock))
    }
    assert set(scoped) == {scope.model for scope in SCOPES}
    request = RequestFactory().get("/")
    for user in (logged.supervisor, logged.other_supervisor, auditor()):
        request.user = user
        for model, viewset in scoped.items():
            listed = set(viewset.get_queryset(request).values_list("pk", flat=True))
            assert set(rows_seen_by(user, model).values_list("pk", flat=True)) == listed, model


def test_a_scoped_rows_history_opens_only_to_those_who_see_the_row(logged):
    """A per-object history lists every entry of its object: for a workshop-scoped row it is
    either closed to supervisors (read-only rows: no add, change or delete) or finds the row only
    in the supervisor's workshops."""
    from workshops.production.admin import ScopedObjectMixin

    viewset_of = {
        viewset.model: viewset for viewset in viewsets.viewsets if isinstance(viewset, ModelViewSet)
    }
    for model in {scope.model for scope in SCOPES}:
        viewset = viewset_of[model]
        opens = viewset.permission_policy.user_has_any_permission(
            logged.supervisor, {"add", "change", "delete"}
        )
        assert not opens or issubclass(viewset.history_view_class, ScopedObjectMixin), model
