"""A supervisor records a day of production in a real browser: opens Daily production, chooses
their workshop and today, fills hours, accepted and rejected pieces and notes in the grid, saves,
and finds the same values when they open the day again."""

import os
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from brand.demo.seed import DEMO_PASSWORD
from core.formatting import format_day
from core.testing.browser import admin_login
from workshops.models import SKU, ProductionRecord, Workshop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(os.environ.get("BRIDGEWORK_SCREENSHOTS", tempfile.gettempdir()))
OVERTIME = "Order deadline: overtime agreed with the worker"
NEW_MACHINE = "First day on the new overlocker"
SAVED = (
    "worker__reference",
    "sku__code",
    "hours",
    "pieces",
    "rejects",
    "supervisor_note",
    "breaches",
    "supervisor__username",
    "legacy",
    "locked__lock",
    "source",
)


def open_the_day(page, base_url, workshop, day):
    """The way in a supervisor takes: the menu, then the workshop and the day."""
    page.get_by_role("link", name="Daily production").click()
    expect(
        page.get_by_role("heading", level=1, name="Production: choose a workshop and a day")
    ).to_be_visible()
    page.get_by_label("Workshop").select_option(label=workshop.name)
    page.get_by_label("Day").fill(day.isoformat())
    # The date picker the field opened covers the button: send the form from the keyboard.
    page.get_by_role("button", name="Open the grid").press("Enter")
    expect(page).to_have_url(f"{base_url}/admin/production/{workshop.pk}/{day.isoformat()}/")
    expect(page.get_by_role("heading", level=1, name=workshop.name)).to_be_visible()


def saved(worker, sku, hours, pieces, rejects, note="", *, breaches=""):
    """A record as the grid saves it: the supervisor's own, not legacy, not locked, not imported."""
    return (
        worker,
        sku,
        Decimal(hours),
        pieces,
        rejects,
        note,
        breaches,
        "supervisor",
        False,
        None,
        None,
    )


def cell(page, worker, sku, what):
    return page.get_by_label(f"{worker}, {sku.name} ({sku.code}): {what}", exact=True)


def note(page, worker):
    return page.get_by_label(f"Note for {worker}", exact=True)


def test_supervisor_records_a_day_of_production(page, demo):
    workshop = Workshop.objects.get(slug="jebel-qantar-tailoring")
    first, second, third = SKU.objects.filter(workshop=workshop).order_by("code")[:3]
    today = timezone.localdate()
    admin_login(page, demo, "supervisor", DEMO_PASSWORD)

    open_the_day(page, demo, workshop, today)
    rows = page.locator(".production-grid tbody th[scope=row]")
    expect(rows).to_have_count(18)  # 19 assigned, one transferred today (brand.demo.releases)
    # Each row: the reference, then the name the workshop knows the person by.
    ada, ben, cy = [text.split("\n")[0] for text in rows.all_inner_texts()[:3]]
    assert [len(text.split("\n")) for text in rows.all_inner_texts()[:3]] == [2, 2, 2]
    filled = {
        (ada, first): ("7.5", "42", "2"),
        (ada, second): ("0.5", "3", ""),
        (ben, third): ("6", "25", "1"),
        (cy, first): ("9", "50", "0"),
    }
    for (worker, sku), (hours, pieces, rejects) in filled.items():
        cell(page, worker, sku, "hours").fill(hours)
        cell(page, worker, sku, "accepted pieces").fill(pieces)
        cell(page, worker, sku, "rejected pieces").fill(rejects)
    note(page, ada).fill(NEW_MACHINE)
    note(page, cy).fill(OVERTIME)
    page.get_by_role("button", name="Save the day").click()

    rest_day = (
        " Work was recorded on a Sunday, the weekly rest day." if today.weekday() == 6 else ""
    )
    on = format_day(today, "en")
    expect(page.locator(".messages .success")).to_have_text(
        f"Saved {workshop.name} on {on}: 4 new, 0 corrected, 0 removed.{rest_day}"
    )
    open_the_day(page, demo, workshop, today)
    shown = {
        (ada, first): ("7.50", "42", "2"),
        (ada, second): ("0.50", "3", "0"),
        (ada, third): ("", "", ""),
        (ben, first): ("", "", ""),
        (ben, third): ("6.00", "25", "1"),
        (cy, first): ("9.00", "50", "0"),
    }
    for (worker, sku), (hours, pieces, rejects) in shown.items():
        expect(cell(page, worker, sku, "hours")).to_have_value(hours)
        expect(cell(page, worker, sku, "accepted pieces")).to_have_value(pieces)
        expect(cell(page, worker, sku, "rejected pieces")).to_have_value(rejects)
    expect(note(page, ada)).to_have_value(NEW_MACHINE)
    expect(note(page, ben)).to_have_value("")
    expect(note(page, cy)).to_have_value(OVERTIME)
    expect(page.get_by_text("Over the limits: daily hours")).to_have_count(1)
    page.screenshot(path=str(SCREENSHOTS / "production-grid.png"))
    page.set_viewport_size({"width": 1024, "height": 768})
    page.screenshot(path=str(SCREENSHOTS / "production-grid-tablet.png"))

    assert sorted(
        ProductionRecord.objects.filter(workshop=workshop, day=today).values_list(*SAVED)
    ) == [
        saved(ada, first.code, "7.50", 42, 2, NEW_MACHINE),
        saved(ada, second.code, "0.50", 3, 0, NEW_MACHINE),
        saved(ben, third.code, "6.00", 25, 1),
        saved(cy, first.code, "9.00", 50, 0, OVERTIME, breaches="HOURS_DAY"),
    ]
