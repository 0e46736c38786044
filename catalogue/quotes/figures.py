"""A quote's figures, under the shop's one tax rule (``catalogue.taxes.pricing``): each line's
net, tax and gross from its unit price, quantity and tax rate, rounded once per line; the
shipping taxed like a line; the totals the sums of the rounded amounts, so they always add up
(the same rule an order's figures follow, so an accepted quote's order has the quote's totals)."""

from moneyed import Money

from catalogue.models import Quote, QuoteLine
from catalogue.taxes.pricing import line_amounts


def price_line(line: QuoteLine, *, prices_include_tax: bool) -> None:
    amounts = line_amounts(
        line.unit_price, line.quantity, line.tax_rate, prices_include_tax=prices_include_tax
    )
    line.net, line.tax, line.gross = amounts.net, amounts.tax, amounts.gross


def add_up(quote: Quote, lines: list[QuoteLine]) -> None:
    """Set ``quote``'s totals from its lines and its shipping (net = gross − tax for shipping)."""
    zero = Money(0, quote.currency)
    shipping_net = quote.shipping_price - quote.shipping_tax
    quote.net_total = sum((line.net for line in lines), start=zero) + shipping_net
    quote.tax_total = sum((line.tax for line in lines), start=zero) + quote.shipping_tax
    quote.total = quote.net_total + quote.tax_total
