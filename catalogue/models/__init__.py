"""The shop's records (DESIGN.md, "catalogue/"): product pages and their variants, taxes, shipping,
orders and invoices. Each area package (``catalogue.products``, ``cart``, ``checkout``, ``orders``,
``invoices``) changes them through its operations."""

from .invoices import Invoice, InvoiceCounter
from .orders import Order, OrderCounter, OrderLine
from .products import CategoryPage, ProductImage, ProductPage, ProductVariant, ShopPage
from .refunds import CreditNote, CreditNoteCounter, Refund, RefundPart
from .settings import ShopSettings
from .shipping import ShippingRate, ShippingZone
from .taxes import TaxClass, TaxRate

__all__ = [
    "CategoryPage",
    "CreditNote",
    "CreditNoteCounter",
    "Invoice",
    "InvoiceCounter",
    "Order",
    "OrderCounter",
    "OrderLine",
    "ProductImage",
    "ProductPage",
    "ProductVariant",
    "Refund",
    "RefundPart",
    "ShippingRate",
    "ShippingZone",
    "ShopPage",
    "ShopSettings",
    "TaxClass",
    "TaxRate",
]
