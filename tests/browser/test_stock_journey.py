"""Finished-goods stock in a real browser: a supervisor records a finished batch of one of their
products and finds it on hand, and a batch whose days overlap another is refused and changes
nothing; on a tablet, the supervisor counts a workshop's stock and finds the count on the Stock
page, on pages that do not scroll sideways and pass axe."""

import datetime
import os
import tempfile
import warnings
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from django.utils import timezone, translation
from playwright.sync_api import expect
from wagtail.models import ModelLogEntry

from brand.demo.seed import DEMO_PASSWORD
from core.formatting import format_day
from core.testing.browser import admin_login, settled
from tests.browser.test_accessibility import WCAG_AA
from workshops.models import SKU, Batch, Stock, StockMovement, Workshop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(os.environ.get("BRIDGEWORK_SCREENSHOTS", tempfile.gettempdir()))
WORKSHOP = "jebel-qantar-tailoring"
QUANTITY = 25
REASON = "Monthly stocktake: three jackets soiled in the store"
TABLET = {"width": 1024, "height": 768}
TOUCH = 44  # CSS px: WCAG 2.2 success criterion 2.5.5, target size (enhanced)
DAY = datetime.timedelta(days=1)
MOVED = ("kind", "on_hand_change", "reserved_change", "counted", "reason", "user__username")


class SmallTouchTarget(UserWarning):
    """A form control under 44 CSS px tall. Reported, not failed: 44 px is WCAG's enhanced (AAA)
    target size, and the Wagtail admin's own inputs and buttons are drawn a little smaller."""


def stock_row(page, sku):
    return page.locator("tbody tr").filter(
        has=page.get_by_role("rowheader", name=str(sku), exact=True)
    )


def on_hand_cell(page, sku):
    return stock_row(page, sku).locator("[data-stock=on-hand]")


def open_stock(page):
    page.get_by_role("link", name="Stock", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Stock")).to_be_visible()


def record_batch(page, sku, quantity, made_from, made_to):
    page.get_by_role("link", name="Record a finished batch").click()
    expect(page.get_by_role("heading", level=1, name="Record a finished batch")).to_be_visible()
    page.get_by_label("Product (SKU)").select_option(label=f"{sku.workshop} · {sku}")
    page.get_by_label("Quantity").fill(str(quantity))
    page.get_by_label("Made from").fill(made_from.isoformat())
    page.get_by_label("Made until").fill(made_to.isoformat())
    # The date picker the field opened covers the button: send the form from the keyboard.
    page.get_by_role("button", name="Receive into stock").press("Enter")


def stock_of(sku) -> tuple:
    """Everything receiving a batch of ``sku`` changes."""
    stock = Stock.objects.get(sku=sku)
    return (
        sorted(Batch.objects.filter(sku=sku).values_list("pk", flat=True)),
        (stock.on_hand, stock.reserved),
        sorted(StockMovement.objects.filter(stock=stock).values_list("pk", flat=True)),
        ModelLogEntry.objects.filter(action="bridgework.batch_received").count(),
    )


def violations(page) -> list[str]:
    settled(page)
    results = Axe().run(page, options=WCAG_AA)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] for node in v["nodes"][:3])
        for v in results.response["violations"]
    ]


def layout(page) -> dict:
    """How wide the page is, each table that is wider than its column and the element that
    scrolls it sideways (if any), and how tall the form controls are."""
    return page.evaluate(
        """() => {
            const scrolls = el => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
            const scroller = table => {
                for (let el = table.parentElement; el && el !== document.body; el = el.parentElement) {
                    if (scrolls(el)) return el.tagName.toLowerCase() + '.' + el.className;
                }
                return null;
            };
            const controls = 'main input:not([type=hidden]), main select, main textarea, '
                + 'main button, main a.button';
            return {
                width: document.documentElement.scrollWidth,
                overflowing: [...document.querySelectorAll('main table')]
                    .filter(table => table.scrollWidth > table.parentElement.clientWidth)
                    .map(table => ({width: table.scrollWidth, scroller: scroller(table)})),
                heights: Object.fromEntries([...document.querySelectorAll(controls)].map(
                    el => [el.name || el.textContent.trim(), el.getBoundingClientRect().height]
                )),
            };
        }"""
    )


def fits_a_tablet(page, where: str) -> None:
    page.wait_for_load_state()  # measuring while a click's navigation swaps documents fails
    shown = layout(page)
    assert shown["width"] <= TABLET["width"], f"{where} scrolls sideways"
    assert [table for table in shown["overflowing"] if table["scroller"] is None] == []
    small = {name: height for name, height in shown["heights"].items() if height < TOUCH}
    if small:
        warnings.warn(SmallTouchTarget(f"{where}: {small}"), stacklevel=2)


def test_supervisor_receives_a_finished_batch(page, demo):
    workshop = Workshop.objects.get(slug=WORKSHOP)
    sku = SKU.objects.filter(workshop=workshop).select_related("workshop").order_by("code").first()
    last = Batch.objects.filter(sku=sku).latest("made_to")
    made_from, made_to = last.made_to + DAY, last.made_to + 2 * DAY
    before = stock_of(sku)
    admin_login(page, demo, "supervisor", DEMO_PASSWORD)

    open_stock(page)
    on_hand = int(on_hand_cell(page, sku).inner_text())
    assert on_hand == before[1][0]
    record_batch(page, sku, QUANTITY, made_from, made_to)

    expect(page).to_have_url(f"{demo}/admin/stock/")
    expect(page.locator(".messages .success")).to_have_text(f"Batch received: {QUANTITY} × {sku}.")
    expect(on_hand_cell(page, sku)).to_have_text(str(on_hand + QUANTITY))
    batch = Batch.objects.filter(sku=sku).exclude(pk__in=before[0]).get()
    assert (
        batch.quantity,
        batch.made_from,
        batch.made_to,
        batch.received_on,
        batch.recorded_by,
    ) == (
        QUANTITY,
        made_from,
        made_to,
        timezone.localdate(),
        get_user_model().objects.get(username="supervisor"),
    )
    stock = Stock.objects.get(sku=sku)
    assert (stock.on_hand, stock.reserved) == (on_hand + QUANTITY, before[1][1])
    assert list(
        StockMovement.objects.filter(stock=stock)
        .exclude(pk__in=before[2])
        .values_list("batch", *MOVED)
    ) == [(batch.pk, StockMovement.Kind.RECEIVED, QUANTITY, 0, None, "", "supervisor")]
    assert list(
        ModelLogEntry.objects.for_instance(batch).values_list("action", "user__username")
    ) == [("bridgework.batch_received", "supervisor")]

    received = stock_of(sku)
    record_batch(page, sku, QUANTITY, made_to, made_to + DAY)

    start, end = format_day(made_from, "en"), format_day(made_to, "en")
    expect(page.get_by_role("alert")).to_have_text(
        f"A batch of {sku.code} made from {start} to {end} overlaps these dates: "
        "batches of one SKU never overlap."
    )
    expect(page.get_by_label("Quantity")).to_have_value(str(QUANTITY))
    expect(page.get_by_label("Made from")).to_have_value(made_to.isoformat())
    assert violations(page) == []
    open_stock(page)
    expect(on_hand_cell(page, sku)).to_have_text(str(on_hand + QUANTITY))
    assert stock_of(sku) == received


def test_supervisor_counts_stock_on_a_tablet(page, demo):
    page.set_viewport_size(TABLET)
    workshop = Workshop.objects.get(slug=WORKSHOP)
    skus = list(SKU.objects.filter(workshop=workshop).order_by("code"))
    jacket = skus[1]
    before = dict(Stock.objects.filter(sku__in=skus).values_list("sku__code", "on_hand"))
    counted = before[jacket.code] - 3
    after = {**before, jacket.code: counted}
    admin_login(page, demo, "supervisor", DEMO_PASSWORD)

    open_stock(page)
    fits_a_tablet(page, "Stock")
    assert violations(page) == []
    page.get_by_role("region", name=workshop.name).get_by_role("link", name="Stocktake").click()
    expect(page.get_by_role("heading", level=1, name=f"Stocktake: {workshop}")).to_be_visible()
    fits_a_tablet(page, "Stocktake")
    assert violations(page) == []
    expect(page.get_by_label(str(jacket), exact=True)).to_have_value("")  # untouched: not counted
    page.get_by_label(str(jacket), exact=True).fill(str(counted))
    page.get_by_label("Reason").fill(REASON)
    page.screenshot(path=str(SCREENSHOTS / "stocktake.png"))
    page.get_by_role("button", name="Record the stocktake").click()

    expect(page).to_have_url(f"{demo}/admin/stock/")
    expect(page.locator(".messages .success")).to_have_text(
        f"Stocktake of {workshop} recorded: 1 product counted."
    )
    expect(on_hand_cell(page, jacket)).to_have_text(str(counted))
    movement = StockMovement.objects.get(stock__sku=jacket, kind=StockMovement.Kind.COUNTED)
    with translation.override("en"):
        at = format_day(timezone.localtime(movement.at))
    expect(stock_row(page, jacket).locator("li").first).to_have_text(
        f"{at} · stocktake -3 · {REASON}"
    )
    stock_row(page, jacket).scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "stock-page.png"))

    assert dict(Stock.objects.filter(sku__in=skus).values_list("sku__code", "on_hand")) == after
    assert list(
        StockMovement.objects.filter(stock__sku__in=skus, kind=StockMovement.Kind.COUNTED)
        .order_by("stock__sku__code")
        .values_list("stock__sku__code", *MOVED)
    ) == [(jacket.code, "counted", -3, 0, counted, REASON, "supervisor")]
    assert list(
        ModelLogEntry.objects.for_instance(workshop)
        .filter(action="bridgework.stock_counted")
        .values_list("data", "user__username")
    ) == [({"counted": {jacket.code: counted}, "reason": REASON}, "supervisor")]
