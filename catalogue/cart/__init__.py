"""The cart: kept in the visitor's session, so buying needs no account.

``catalogue.cart.session`` stores it (lines keyed by variant id, with the unit price seen when
each was added), ``catalogue.cart.selectors`` reads what is sellable and the cart's lines as they
stand now, ``catalogue.cart.operations`` changes it (every change checks the variant and its
stock, and a refused change leaves the cart as it was) and ``catalogue.cart.views`` serves it.
"""
