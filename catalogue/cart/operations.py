"""The cart's changes: add a variant, change a line's quantity, remove a line, take the prices
of now as seen. Each reads the variant and its stock first and refuses in words, changing
nothing, when the input is not a whole number from 1 to ``MAX_QUANTITY``, the variant does not
exist, is unpublished, is not on sale, is sold out, or has fewer units available than asked."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from catalogue.cart.selectors import (
    MAX_QUANTITY,
    CartLine,
    available_units,
    pages_in_language,
    refusal,
    title_of,
    variants_by_id,
)
from catalogue.cart.session import StoredLine, drop_line, put_line, quantity_in_cart, save_lines
from catalogue.models import ProductVariant


class CartRefused(ValidationError):
    """A change to the cart that cannot be made; the cart is as it was."""


def parse_quantity(raw) -> int:
    text = str(raw if raw is not None else "").strip()
    if not text.isascii() or not text.isdigit():
        raise CartRefused(
            _("Enter the quantity as a whole number from 1 to %(max)s.") % {"max": MAX_QUANTITY},
            code="not_a_number",
        )
    quantity = int(text)
    if quantity < 1:
        raise CartRefused(
            _("The quantity must be at least 1. To take a product out, remove it."),
            code="too_few",
        )
    if quantity > MAX_QUANTITY:
        raise CartRefused(
            _("At most %(max)s of one product can be ordered here; for more, ask us for a quote.")
            % {"max": MAX_QUANTITY},
            code="too_many",
        )
    return quantity


def parse_variant_id(raw) -> int:
    text = str(raw if raw is not None else "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 12:
        raise CartRefused(
            _("This product is no longer in the shop. Remove it from your cart."),
            code="no_such_variant",
        )
    return int(text)


def _sellable(variant_id: int, quantity: int, language: str) -> tuple[ProductVariant, str]:
    variant = variants_by_id([variant_id]).get(variant_id)
    title, available = "", 0
    if variant is not None:
        title = title_of(variant, pages_in_language([variant], language))
        available = available_units([variant]).get(variant.sku_id, 0)
    if problem := refusal(variant, title, quantity, available):
        raise CartRefused(problem, code="not_sellable")
    return variant, title


def add_to_cart(session, *, variant_id, quantity, language: str) -> tuple[ProductVariant, str]:
    """Add ``quantity`` units of the variant (to what the cart already holds of it), at the price
    of now, which the visitor has just seen; the variant and its title in ``language``."""
    variant_id, quantity = parse_variant_id(variant_id), parse_quantity(quantity)
    total = quantity_in_cart(session, variant_id) + quantity
    if total > MAX_QUANTITY:
        parse_quantity(total)  # refused in its words
    variant, title = _sellable(variant_id, total, language)
    put_line(session, StoredLine(variant.pk, total, variant.price))
    return variant, title


def change_quantity(session, *, variant_id, quantity, lines: list[CartLine]) -> CartLine:
    """Set a line's quantity in place; the price seen stays the one seen when it was added."""
    variant_id, quantity = parse_variant_id(variant_id), parse_quantity(quantity)
    line = _line_of(lines, variant_id)
    if line.variant is None:
        raise CartRefused(line.problem, code="not_sellable")
    if problem := refusal(line.variant, line.title, quantity, line.available):
        raise CartRefused(problem, code="not_sellable")
    put_line(session, StoredLine(variant_id, quantity, line.seen_price))
    return line


def remove_from_cart(session, *, variant_id, lines: list[CartLine]) -> CartLine:
    line = _line_of(lines, parse_variant_id(variant_id))
    drop_line(session, line.variant_id)
    return line


def accept_prices(session, lines: list[CartLine]) -> None:
    """The visitor has seen the prices of now: they become the prices seen."""
    save_lines(
        session,
        [
            StoredLine(
                line.variant_id, line.quantity, line.price if line.variant else line.seen_price
            )
            for line in lines
        ],
    )


def _line_of(lines: list[CartLine], variant_id: int) -> CartLine:
    for line in lines:
        if line.variant_id == variant_id:
            return line
    raise CartRefused(
        _("Your cart holds no such product any more; the cart below is as it stands."),
        code="not_in_cart",
    )
