"""Taxes: the rate of a tax class in force on a day, and the tax of a line under the one rounding
rule (``catalogue.taxes.pricing``); the tax classes' screens (``catalogue.taxes.admin``)."""
