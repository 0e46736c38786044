"""Quotes for business and government buyers (``catalogue.models.quotes`` for the lifecycle).

    request_quote(*, key, contact, lines, purchase_order_required, message, language) -> Quote
    price_quote(quote, *, user, unit_prices, shipping_rate, valid_until) -> Quote
    send_quote(quote, *, user) -> Quote
    withdraw_quote(quote, *, user, reason) -> Quote
    accept_quote(quote, *, purchase_order="") -> Order
    decline_quote(quote) -> Quote
    expire_quotes(today=None) -> int

The buyer's steps (request, accept, decline) ask no permission: the request form is public and
the quote is the buyer's through its access token. Staff's steps ask ``catalogue.answer_quote``.
Accepting writes an order on invoice through ``catalogue.checkout.placing.place_priced_order``.
"""
