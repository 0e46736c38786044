"""``request_quote``: a buyer asks for a price for products and quantities (the public form,
``catalogue.quotes.views``).

No permission is asked: anyone may ask, without an account. The variants are read afresh (on
sale, their product published); quantities may be larger than a cart's line allows, since this
is bulk, and are not checked against the stock: the stock is reserved only when the quote is
accepted. Each line starts at the list price and the tax rate in force today, so staff see what
the request is worth at list prices before they answer. A refusal is a ``ValidationError`` in
words and writes nothing.

**Idempotent on ``key``** (the form's own key, one per form shown): a form sent twice writes one
request. After the commit the buyer is e-mailed that the request arrived.
"""

import re
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from catalogue.cart.selectors import pages_in_language, refusal, title_of, variants_by_id
from catalogue.models import ProductVariant, Quote, QuoteLine, ShopSettings
from catalogue.quotes.figures import add_up, price_line
from catalogue.quotes.numbers import next_quote_number
from catalogue.taxes.pricing import rate_in_force
from core.i18n import check_language

KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")
MAX_QUANTITY = 100_000  # of one variant in one quote
CONTACT_FIELDS = (
    "organisation",
    "name",
    "email",
    "phone",
    "address",
    "address_more",
    "postcode",
    "city",
    "country",
)


@dataclass(frozen=True)
class Wanted:
    variant: ProductVariant
    quantity: int
    title: str


def _checked_key(key) -> str:
    if not isinstance(key, str) or not KEY_PATTERN.fullmatch(key):
        raise ValidationError(
            _("This form is out of date or was changed. Check your request and send it again."),
            code="bad_key",
        )
    return key


def _wanted(lines, language: str) -> list[Wanted]:
    quantities: dict[int, int] = {}
    for variant, quantity in lines:
        variant_id = variant.pk if isinstance(variant, ProductVariant) else variant
        if isinstance(quantity, bool) or not isinstance(quantity, int):
            raise ValidationError(_("A quantity must be a whole number."), code="quantity")
        quantities[variant_id] = quantities.get(variant_id, 0) + quantity
    if not quantities:
        raise ValidationError(_("Choose at least one product and its quantity."), code="empty")
    if any(not 1 <= quantity <= MAX_QUANTITY for quantity in quantities.values()):
        raise ValidationError(
            _("Each quantity must be from 1 to %(max)s.") % {"max": MAX_QUANTITY},
            code="quantity",
        )
    variants = variants_by_id(quantities)
    pages = pages_in_language(variants.values(), language)
    wanted, problems = [], []
    for variant_id, quantity in quantities.items():
        variant = variants.get(variant_id)
        title = title_of(variant, pages) if variant else ""
        # The stock is not checked here (``available`` = the quantity): only the sale.
        if problem := refusal(variant, title, quantity, quantity):
            problems.append(problem)
        else:
            wanted.append(Wanted(variant, quantity, title))
    if problems:
        raise ValidationError(problems, code="not_sellable")
    return wanted


def _description(wanted: Wanted, language: str) -> str:
    options = wanted.variant.options_in(language)
    return (f"{wanted.title} — {options}" if options else wanted.title)[:250]


def request_quote(
    *, key, contact: dict, lines, purchase_order_required: bool, message: str, language: str
) -> Quote:
    key = _checked_key(key)
    if (earlier := Quote.objects.filter(key=key).first()) is not None:
        return earlier
    language = check_language(language)
    wanted = _wanted(lines, language)
    if not all(str(contact.get(name) or "").strip() for name in ("organisation", "name", "email")):
        raise ValidationError(
            _("Enter the organisation, the contact's name and an e-mail address."),
            code="contact",
        )
    for name in CONTACT_FIELDS:
        field = Quote._meta.get_field(name)
        if field.max_length and len(str(contact.get(name) or "").strip()) > field.max_length:
            raise ValidationError(
                _("%(field)s is longer than %(max)s characters: shorten it.")
                % {"field": capfirst(field.verbose_name), "max": field.max_length},
                code="contact",
            )
    try:
        return _write(
            key=key,
            contact=contact,
            wanted=wanted,
            purchase_order_required=bool(purchase_order_required),
            message=str(message or "").strip(),
            language=language,
        )
    except IntegrityError:  # the same form, sent twice at once: the first one's request
        return Quote.objects.get(key=key)


@transaction.atomic
def _write(*, key, contact, wanted, purchase_order_required, message, language) -> Quote:
    shop = ShopSettings.load()
    today = timezone.localdate()
    rates = {
        item.variant.pk: rate_in_force(item.variant.product.tax_class, today) for item in wanted
    }
    quote = Quote(
        number=next_quote_number(today),
        key=key,
        language=language,
        currency=settings.BRIDGEWORK_CURRENCY,
        prices_include_tax=shop.prices_include_tax,
        purchase_order_required=purchase_order_required,
        message=message,
        **{name: contact.get(name) or "" for name in CONTACT_FIELDS},
    )
    for name in CONTACT_FIELDS:
        if isinstance(getattr(quote, name), str):
            setattr(quote, name, getattr(quote, name).strip())
    lines = []
    for item in wanted:
        line = QuoteLine(
            variant=item.variant,
            sku_id=item.variant.sku_id,
            description=_description(item, language),
            quantity=item.quantity,
            list_price=item.variant.price,
            unit_price=item.variant.price,
            tax_rate=rates[item.variant.pk],
        )
        price_line(line, prices_include_tax=quote.prices_include_tax)
        lines.append(line)
    add_up(quote, lines)
    with transaction.atomic():  # a savepoint: the same key at the same moment
        quote.save()
    for line in lines:
        line.quote = quote
    QuoteLine.objects.bulk_create(lines)
    log(quote, "bridgework.quote_requested", user=None, data={"lines": len(lines)})
    from catalogue.quotes.emails import send_quote_email

    transaction.on_commit(partial(send_quote_email, quote, kind="requested"), robust=True)
    return quote
