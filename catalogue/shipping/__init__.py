"""Shipping: the zone of a country, the rates offered for an order's weight, and their price with
tax (``catalogue.shipping.pricing``); the zones' and rates' screens (``catalogue.shipping.admin``)."""
