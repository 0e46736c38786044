"""Invoices: issued with a number without gaps (``issuing``), printed to a PDF kept with its hash
(``documents``)."""
