"""``place_order``: the one way an order is made (the checkout view, the tests and, later, quotes
all call it).

    place_order(*, key, lines, contact, shipping_rate, payment_method, language, user=None) -> Order
    place_priced_order(*, key, priced, contact, shipping_rate, shipping, payment_method,
                       language, prices_include_tax, user=None) -> Order

No permission is asked: anyone may buy, without an account (``user`` is only recorded in the
audit log). ``lines`` are ``(variant, quantity)`` or ``(variant, quantity, price seen)``; ``contact`` is the
checkout form's cleaned data (a dict, or an object with those attributes). Everything is checked
again, whatever the form checked: the variants are read afresh (published, on sale, the price
seen still the price), the stock is enough, the country is in a shipping zone whose rate carries
the order's weight, and every tax class has a rate in force today. A refusal is a
``ValidationError`` in words saying what to do, and changes nothing.

In one transaction it reserves the lines' stock (``workshops.inventory.reserve``, key
``order:<key>``, until the payment method's hold ends), takes the order number on the counter
row, and writes the order and its lines with their tax (``catalogue.taxes.pricing``). Only after
the commit does it call the payment method's ``placed(order)`` (issue the invoice, post its
journal, e-mail the buyer): nothing outside the database runs while a lock is held.

**Idempotent on ``key``**: the checkout's key, one per checkout form. A second call with the key
(a double click, a resent form, a replay) returns the first call's order and changes nothing; if
both run at once, the second waits on the stock rows' locks and then finds the first's
reservation, and so its order.

``place_priced_order`` writes an order from lines already priced elsewhere (an accepted quote:
``catalogue.quotes``), through the same reservation, numbering, writing and payment method: the
caller has checked the variants, the prices and the shipping; the contact and the stock are
checked here as for any order.
"""

import datetime
import re
from dataclasses import dataclass, fields
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from phonenumber_field.validators import validate_international_phonenumber
from wagtail.log_actions import log

from catalogue.cart.selectors import (
    MAX_QUANTITY,
    available_units,
    pages_in_language,
    refusal,
    title_of,
    variants_by_id,
)
from catalogue.checkout import payments
from catalogue.checkout.numbers import creditor_reference, next_order_number
from catalogue.models import Order, OrderLine, ProductVariant, ShippingRate, ShopSettings
from catalogue.shipping.pricing import check_rate, shipping_amounts
from catalogue.taxes.pricing import line_amounts, rate_in_force
from core.formatting import format_money
from core.i18n import check_language
from workshops.inventory import KeyReused, NotEnoughStock, reserve

KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")


class PriceChanged(ValidationError):
    """A price changed after the buyer saw it: they must see the new one before paying."""


class ShortOfStock(ValidationError):
    """Not enough stock to reserve every line: nothing was reserved."""


@dataclass(frozen=True)
class Contact:
    email: str
    name: str
    country: str
    phone: object = ""
    organisation: str = ""
    purchase_order: str = ""
    address: str = ""
    address_more: str = ""
    postcode: str = ""
    city: str = ""

    @classmethod
    def of(cls, contact) -> "Contact":
        get = contact.get if isinstance(contact, dict) else partial(getattr, contact)
        values = {field.name: get(field.name, "") for field in fields(cls)}
        for name, value in values.items():
            if name == "phone":
                values[name] = value or ""
            else:
                values[name] = str(value if value is not None else "").strip()
        return cls(**values)


def checked_key(key) -> str:
    if not isinstance(key, str) or not KEY_PATTERN.fullmatch(key):
        raise ValidationError(
            _(
                "This checkout form is out of date or was changed. Check your order and send it again."
            ),
            code="bad_key",
        )
    return key


def _checked_contact(contact: Contact, rate: ShippingRate) -> None:
    errors = []
    try:
        validate_email(contact.email)
    except ValidationError:
        errors.append(_("Enter an e-mail address we can send the confirmation to."))
    if not contact.name:
        errors.append(_("Enter the name to deliver to and to write on the invoice."))
    if contact.phone:
        try:
            validate_international_phonenumber(contact.phone)
        except ValidationError:
            errors.append(_("Enter the telephone number with its country code, or leave it out."))
    too_long = [f.name for f in Order._meta.fields if f.name in Contact.__dataclass_fields__]
    for name in too_long:
        limit = Order._meta.get_field(name).max_length
        if limit and len(str(getattr(contact, name))) > limit:
            errors.append(
                _("%(field)s is longer than %(max)s characters: shorten it.")
                % {"field": capfirst(Order._meta.get_field(name).verbose_name), "max": limit}
            )
    if rate.kind == ShippingRate.Kind.DELIVERY and not (contact.address and contact.city):
        errors.append(_("Enter the delivery address and the town or city."))
    if errors:
        raise ValidationError(errors, code="contact")


def _wanted(lines) -> list[tuple[int, int, object]]:
    """``(variant id, quantity, price seen or None)``, one per variant; refused in words."""
    wanted: dict[int, list] = {}
    for line in lines:
        variant, quantity, *seen = line
        variant_id = variant.pk if isinstance(variant, ProductVariant) else variant
        if (
            isinstance(quantity, bool)
            or not isinstance(quantity, int)
            or not isinstance(variant_id, int)
        ):
            raise ValidationError(_("A quantity must be a whole number."), code="quantity")
        entry = wanted.setdefault(variant_id, [variant_id, 0, seen[0] if seen else None])
        entry[1] += quantity
    if not wanted:
        raise ValidationError(_("Your cart is empty: add a product first."), code="empty")
    for _variant, quantity, _seen in wanted.values():
        if not 1 <= quantity <= MAX_QUANTITY:
            raise ValidationError(
                _("Each quantity must be from 1 to %(max)s.") % {"max": MAX_QUANTITY},
                code="quantity",
            )
    return [tuple(entry) for entry in wanted.values()]


@dataclass
class Priced:
    """A line as the order writes it: its unit price (the list price at checkout, the quoted
    price for a quote), tax rate and amounts."""

    variant: ProductVariant
    quantity: int
    title: str
    description: str
    tax_rate: object
    amounts: object
    unit_price: object = None

    def __post_init__(self):
        if self.unit_price is None:
            self.unit_price = self.variant.price


def _priced(wanted, *, language: str, today: datetime.date, include_tax: bool) -> list[Priced]:
    variants = variants_by_id(variant_id for variant_id, _q, _s in wanted)
    pages = pages_in_language(variants.values(), language)
    units = available_units(variants.values())
    problems, changed, priced = [], [], []
    for variant_id, quantity, seen in wanted:
        variant = variants.get(variant_id)
        title = title_of(variant, pages) if variant else ""
        available = units.get(variant.sku_id, 0) if variant else 0
        if problem := refusal(variant, title, quantity, available):
            problems.append(problem)
            continue
        if seen is not None and seen != variant.price:
            changed.append(
                _("%(product)s: was %(old)s, now %(new)s.")
                % {
                    "product": title,
                    "old": format_money(seen, language),
                    "new": format_money(variant.price, language),
                }
            )
        if variant.price.currency.code != settings.BRIDGEWORK_CURRENCY:
            problems.append(
                _("%(product)s is not priced in the shop's currency.") % {"product": title}
            )
            continue
        options = variant.options_in(language)
        rate = rate_in_force(variant.product.tax_class, today)
        priced.append(
            Priced(
                variant=variant,
                quantity=quantity,
                title=title,
                description=(f"{title} — {options}" if options else title)[:250],
                tax_rate=rate,
                amounts=line_amounts(variant.price, quantity, rate, prices_include_tax=include_tax),
            )
        )
    if problems:
        raise ValidationError(problems, code="not_sellable")
    if changed:
        raise PriceChanged(
            [
                _("Prices changed since you saw them. Check the new prices and confirm again."),
                *changed,
            ],
            code="price_changed",
        )
    return priced


def place_order(
    *, key, lines, contact, shipping_rate, payment_method, language, user=None
) -> Order:
    key = checked_key(key)
    if (earlier := Order.objects.filter(key=key).first()) is not None:
        return earlier
    method = payments.get(payment_method)
    language = check_language(language)
    contact = Contact.of(contact)
    wanted = _wanted(lines)
    rate_pk = shipping_rate.pk if isinstance(shipping_rate, ShippingRate) else shipping_rate
    rate = ShippingRate.objects.select_related("zone", "tax_class").filter(pk=rate_pk).first()
    if rate is None:
        raise ValidationError(_("Choose how your order is sent."), code="shipping")
    _checked_contact(contact, rate)
    shop = ShopSettings.load()
    today, now = timezone.localdate(), timezone.now()
    priced = _priced(wanted, language=language, today=today, include_tax=shop.prices_include_tax)
    weight = sum(line.variant.weight_grams * line.quantity for line in priced)
    check_rate(rate, country=contact.country, weight_grams=weight)
    shipping_rate_pc, shipping = shipping_amounts(
        rate, on=today, prices_include_tax=shop.prices_include_tax
    )
    return _write(
        key=key,
        priced=priced,
        contact=contact,
        rate=rate,
        shipping=(shipping_rate_pc, shipping),
        method=method,
        language=language,
        shop=shop,
        today=today,
        expires_at=method.hold(now, shop),
        user=user,
    )


def place_priced_order(
    *,
    key,
    priced: list[Priced],
    contact,
    shipping_rate: ShippingRate,
    shipping,
    payment_method,
    language,
    prices_include_tax: bool,
    user=None,
) -> Order:
    """An order of lines priced by the caller (``shipping`` is ``(tax rate, Amounts)``), written
    as ``place_order`` writes one; idempotent on ``key`` the same way. Refused in words when the
    shop's prices no longer include tax as the lines' did (their amounts would not add up)."""
    key = checked_key(key)
    if (earlier := Order.objects.filter(key=key).first()) is not None:
        return earlier
    method = payments.get(payment_method)
    language = check_language(language)
    contact = Contact.of(contact)
    _checked_contact(contact, shipping_rate)
    shop = ShopSettings.load()
    if shop.prices_include_tax != prices_include_tax:
        raise ValidationError(
            _(
                "The shop's prices changed how they include tax since these were set: price them again."
            ),
            code="tax_basis_changed",
        )
    if not priced:
        raise ValidationError(_("Your cart is empty: add a product first."), code="empty")
    return _write(
        key=key,
        priced=priced,
        contact=contact,
        rate=shipping_rate,
        shipping=shipping,
        method=method,
        language=language,
        shop=shop,
        today=timezone.localdate(),
        expires_at=method.hold(timezone.now(), shop),
        user=user,
    )


@transaction.atomic
def _write(
    *, key, priced, contact, rate, shipping, method, language, shop, today, expires_at, user
):
    try:
        reservation = reserve(
            [(line.variant.sku_id, line.quantity) for line in priced],
            key=f"order:{key}",
            expires_at=expires_at,
        )
    except NotEnoughStock:
        units = available_units([line.variant for line in priced])
        raise ShortOfStock(
            [
                refusal(line.variant, line.title, line.quantity, units.get(line.variant.sku_id, 0))
                for line in priced
                if units.get(line.variant.sku_id, 0) < line.quantity
            ]
            or [_("Not enough stock: check your cart.")],
            code="not_enough_stock",
        ) from None
    except KeyReused:
        raise ValidationError(
            _(
                "This checkout form was already used for another order. Check your cart and send the form again."
            ),
            code="bad_key",
        ) from None
    if (earlier := Order.objects.filter(reservation=reservation).first()) is not None:
        return earlier  # the same checkout, sent twice at once: the first one's order
    shipping_rate_pc, shipping = shipping
    net = sum((line.amounts.net for line in priced), start=shipping.net)
    tax = sum((line.amounts.tax for line in priced), start=shipping.tax)
    number = next_order_number(today)
    order = Order.objects.create(
        number=number,
        key=key,
        payment_method=method.code,
        payment_reference=creditor_reference(number),
        language=language,
        currency=settings.BRIDGEWORK_CURRENCY,
        prices_include_tax=shop.prices_include_tax,
        **{name: getattr(contact, name) for name in Contact.__dataclass_fields__},
        shipping_rate=rate,
        shipping_name=rate.name_in(language)[:80],
        shipping_price=shipping.gross,  # what the buyer pays for it, as a line's gross
        shipping_tax_rate=shipping_rate_pc,
        shipping_tax=shipping.tax,
        net_total=net,
        tax_total=tax,
        total=net + tax,
        reservation=reservation,
    )
    OrderLine.objects.bulk_create(
        OrderLine(
            order=order,
            variant=line.variant,
            sku_id=line.variant.sku_id,
            workshop_id=line.variant.sku.workshop_id,
            description=line.description,
            quantity=line.quantity,
            unit_price=line.unit_price,
            tax_rate=line.tax_rate,
            net=line.amounts.net,
            tax=line.amounts.tax,
            gross=line.amounts.gross,
        )
        for line in priced
    )
    log(order, "bridgework.order_placed", user=user, data={"total": str(order.total.amount)})
    transaction.on_commit(partial(_placed, method, order), robust=True)
    return order


def _placed(method, order: Order) -> None:
    method.placed(order)
