"""The shop's journey in a real browser, in French, on a phone: a visitor searches the shop,
filters a category, adds two products and changes a quantity in place, checks out on invoice and
reads the bank details and payment reference on the confirmation. The transfer arrives (the
finance officer records it, as the operation's own tests and journey show); order fulfilment
staff then find the order in the back office, pack it and ship it with its carrier and tracking
number. The buyer's e-mails (confirmation, payment received, shipped) arrive in French."""

import os
import re
import tempfile
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from brand.demo.seed import DEMO_PASSWORD
from catalogue.models import Order, ShippingRate, ShopSettings
from catalogue.shipping.pricing import zone_for
from core.formatting import format_money
from core.testing.browser import admin_login
from tests.browser.shop_pages import (
    DESKTOP,
    PHONE,
    TIMEOUT,
    category_of,
    path_of,
    shop_in,
    two_products,
    words,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = Path(os.environ.get("BRIDGEWORK_SCREENSHOTS", tempfile.gettempdir()))
BUYER = "camille.martin@example.fr"
CARRIER, TRACKING = "La Poste Colissimo", "6A12345678901"


def on_a_phone(chromium):
    context = chromium.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, locale="fr-FR", device_scale_factor=2
    )
    context.set_default_timeout(TIMEOUT)
    return context, context.new_page()


def money(amount) -> str:
    return format_money(amount, "fr")


def searches_and_filters(page, demo, first, second):
    """Search the shop for the first product and open it; filter the second's category to
    products in stock, cheapest first, and open the second."""
    search, filter_and_sort, in_stock, sort_by, show = words(
        "fr", "Search products", "Filter and sort", "In stock only", "Sort by", "Show products"
    )
    page.goto(demo + path_of(shop_in("fr")))
    page.get_by_label(search, exact=True).fill(first.title)
    page.get_by_role("button", name=show).click()
    expect(page).to_have_url(re.compile(r"\?(.*&)?q="))
    card(page, first).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(first.title)

    page.goto(demo + path_of(category_of(second)))
    page.get_by_text(filter_and_sort).click()
    page.get_by_label(in_stock, exact=True).check()
    (cheapest,) = words("fr", "Price, lowest first")
    page.get_by_label(sort_by, exact=True).select_option(label=cheapest)
    page.get_by_role("button", name=show).click()
    expect(page).to_have_url(re.compile(r"in_stock=on"))
    card(page, second).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(second.title)


def card(page, product):
    """The link of the product's card in a listing (its picture and its title)."""
    title = page.get_by_role("heading", name=product.title, exact=True)
    return page.locator("a.product-card__link").filter(has=title)


def adds(page, variant):
    form = page.locator("form.add-to-cart").filter(
        has=page.locator(f'input[name="variant"][value="{variant.pk}"]')
    )
    form.get_by_role("button").click()
    expect(page.locator(f"#line-{variant.pk}")).to_be_visible()


def test_a_visitor_on_a_phone_buys_on_invoice_and_staff_pack_and_ship_in_french(chromium, demo):
    (first, first_variant), (second, second_variant) = two_products("fr")
    context, page = on_a_phone(chromium)

    page.goto(demo + path_of(first))
    searches_and_filters(page, demo, first, second)
    adds(page, second_variant)
    page.goto(demo + path_of(first))
    adds(page, first_variant)
    page.screenshot(path=str(SCREENSHOTS / "shop-journey-cart-phone.png"), full_page=True)

    # The quantity changes in place: the cart is redrawn, the page is not left.
    cart_url = page.url
    (update,) = words("fr", "Update")
    line = page.locator(f"#line-{first_variant.pk}")
    line.get_by_role("spinbutton").fill("2")
    line.get_by_role("button", name=re.compile(f"^{update}")).click()
    expect(line.locator(".cart-line__total")).to_have_text(money(first_variant.price * 2))
    assert page.url == cart_url
    expect(page.locator("#cart-link")).to_contain_text("3")

    (check_out,) = words("fr", "Check out")
    page.get_by_role("link", name=check_out).click()
    expect(page).to_have_url(demo + reverse_in("fr", "catalogue_checkout:start"))
    fills_the_checkout(page, first_variant, second_variant)
    page.screenshot(path=str(SCREENSHOTS / "shop-journey-confirmation-phone.png"), full_page=True)

    order = Order.objects.get(email=BUYER)
    shop = ShopSettings.load()
    assert (order.status, order.language, order.payment_method) == (
        Order.Status.AWAITING_PAYMENT,
        "fr",
        "invoice",
    )
    assert sorted(order.lines.values_list("sku_id", "quantity")) == sorted(
        [(first_variant.sku_id, 2), (second_variant.sku_id, 1)]
    )
    assert order.total.amount == (
        first_variant.price.amount * 2 + second_variant.price.amount + order.shipping_price.amount
    )
    instructions = page.locator(".payment-instructions")
    expect(instructions.locator("dd.reference").first).to_have_text(order.payment_reference)
    expect(instructions).to_contain_text(shop.iban)
    expect(instructions).to_contain_text(money(order.total))
    expect(page.locator(".order-lines__total td")).to_have_text(money(order.total))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        words("fr", "Thank you: your order is placed")[0]
    )
    expect(page.locator("main")).to_contain_text(order.number)
    context.close()

    finance_records_the_transfer(chromium, demo, order)
    ships_in_the_back_office(chromium, demo, order)

    order.refresh_from_db()
    assert (order.status, order.carrier, order.tracking_number) == (
        Order.Status.SHIPPED,
        CARRIER,
        TRACKING,
    )
    the_emails_are_in_french(order)


def reverse_in(language, name, *args):
    with translation.override(language):
        return reverse(name, args=args)


def fills_the_checkout(page, first_variant, second_variant):
    email, name, address, postcode, city, country, place = words(
        "fr", "E-mail", "Full name", "Address", "Postcode", "Town or city", "Country", "Place order"
    )
    page.get_by_label(email, exact=True).press_sequentially(BUYER)
    page.get_by_label(name, exact=True).press_sequentially("Camille Martin")
    page.get_by_label(address, exact=True).press_sequentially("12 rue des Lilas")
    page.get_by_label(postcode, exact=True).press_sequentially("69003")
    page.get_by_label(city, exact=True).press_sequentially("Lyon")
    page.get_by_label(country, exact=True).select_option("FR")
    weight = first_variant.weight_grams * 2 + second_variant.weight_grams
    rate = (
        ShippingRate.objects.filter(
            zone=zone_for("FR"), kind="delivery", max_weight_grams__gte=weight, active=True
        )
        .order_by("max_weight_grams")
        .first()
    )
    page.locator(f'input[name="shipping"][value="{rate.pk}"]').check()
    page.locator('input[name="payment_method"][value="invoice"]').check()
    page.screenshot(path=str(SCREENSHOTS / "shop-journey-checkout-phone.png"), full_page=True)
    page.get_by_role("button", name=place).click()
    expect(page.locator(".payment-instructions")).to_be_visible()


def open_order_as(chromium, demo, username: str, order):
    """A desktop browser signed in to the back office as ``username``, on ``order``'s page, found
    in the list of orders in its status."""
    context = chromium.new_context(viewport=DESKTOP)
    context.set_default_timeout(TIMEOUT)
    page = context.new_page()
    admin_login(page, demo, username, DEMO_PASSWORD)
    page.goto(f"{demo}/admin/catalogue/order/?status={order.status}")
    page.get_by_role("link", name=order.number).click()
    return context, page


def finance_records_the_transfer(chromium, demo, order):
    """The transfer arrives: finance finds the order waiting and records the payment, on the day
    the form offers (today)."""
    context, page = open_order_as(chromium, demo, "finance", order)
    page.get_by_role("button", name="Record the payment").first.click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("textbox", name="Day the transfer arrived")).not_to_be_empty()
    dialog.get_by_role("button", name="Record the payment").click()
    expect(page.get_by_text(f"Payment of order {order.number} recorded")).to_be_visible()
    context.close()
    order.refresh_from_db()
    assert order.status == Order.Status.PAID


def ships_in_the_back_office(chromium, demo, order):
    context, page = open_order_as(chromium, demo, "fulfilment", order)
    page.get_by_role("button", name="Mark packed").click()
    expect(page.get_by_text(f"Order {order.number} packed.")).to_be_visible()
    page.get_by_role("button", name="Mark shipped").first.click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("textbox", name="Carrier").fill(CARRIER)
    dialog.get_by_role("textbox", name="Tracking number").fill(TRACKING)
    dialog.get_by_role("button", name="Mark shipped").click()
    expect(page.get_by_text(f"Order {order.number} shipped")).to_be_visible()
    context.close()


def the_emails_are_in_french(order):
    to_buyer = [message for message in mail.outbox if message.to == [BUYER]]
    confirmation, paid, shipped = words(
        "fr",
        "Your order %(number)s",
        "Payment received for order %(number)s",
        "Order %(number)s is on its way",
    )
    assert [message.subject for message in to_buyer] == [
        text % {"number": order.number} for text in (confirmation, paid, shipped)
    ]
    assert confirmation != "Your order %(number)s"  # the French words, not the English ones
    first, _paid, last = to_buyer
    assert order.payment_reference in first.body
    assert money(order.total) in first.body
    assert TRACKING in last.body and CARRIER in last.body
    status = reverse_in("fr", "catalogue_orders:status", order.access_token)
    assert status in last.body
