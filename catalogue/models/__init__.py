"""The shop's records (DESIGN.md, "catalogue/"): product pages and their variants, taxes, shipping,
orders and invoices. Each area package (``catalogue.products``, ``cart``, ``checkout``, ``orders``,
``invoices``) changes them through its operations."""

from .cards import CardCheckout, StripeEvent
from .invoices import Invoice, InvoiceCounter
from .orders import Order, OrderCounter, OrderLine
from .products import CategoryPage, ProductImage, ProductPage, ProductVariant, ShopPage
from .quotes import Quote, QuoteCounter, QuoteLine
from .refunds import CreditNote, CreditNoteCounter, Refund, RefundPart
from .reminders import PaymentReminder
from .returns import ReturnLine, ReturnRequest
from .settings import ShopSettings
from .shipping import ShippingRate, ShippingZone
from .statements import BankStatement, StatementLine
from .taxes import TaxClass, TaxRate

__all__ = [
    "BankStatement",
    "CardCheckout",
    "CategoryPage",
    "CreditNote",
    "CreditNoteCounter",
    "Invoice",
    "InvoiceCounter",
    "Order",
    "OrderCounter",
    "OrderLine",
    "PaymentReminder",
    "ProductImage",
    "ProductPage",
    "ProductVariant",
    "Quote",
    "QuoteCounter",
    "QuoteLine",
    "Refund",
    "RefundPart",
    "ReturnLine",
    "ReturnRequest",
    "ShippingRate",
    "ShippingZone",
    "ShopPage",
    "ShopSettings",
    "StatementLine",
    "StripeEvent",
    "TaxClass",
    "TaxRate",
]
