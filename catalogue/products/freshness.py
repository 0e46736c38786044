"""Keeping the cached shop pages true (``core.page_cache``): what a product or listing page shows
of stock is a state — sold out, "only N left" for N up to ``FEW_LEFT``, in stock — so a stock
change that alters the state of an SKU on sale empties the page cache once it commits, and one
that leaves it alone (30 units become 29) does not. Prices and everything else on a product page
change by publishing it, which the brand's publishing hook already answers."""

from catalogue.models import ProductVariant
from catalogue.products.detail import FEW_LEFT
from core import page_cache


def shown(available: int) -> str | int:
    """What a page shows of ``available`` units."""
    if available <= 0:
        return "sold out"
    if available <= FEW_LEFT:
        return available
    return "in stock"


def stock_available_changed(*, sku_id: int, before: int, after: int) -> None:
    """``workshops.inventory``'s hook: refresh the pages when what they show changed."""
    if shown(before) == shown(after):
        return
    if ProductVariant.objects.filter(sku_id=sku_id).exists():
        page_cache.invalidate()
