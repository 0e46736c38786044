"""The back office's viewsets of shop records (orders, invoices): read-only, on
``core.viewsets.RecordViewSet``, since every change to them is an operation
(``catalogue.orders.lifecycle``, ``catalogue.invoices.issuing``).

Each viewset is named ``catalogue_<model>`` and served under ``/admin/catalogue/<model>/``
(``core.viewsets.InApp``); its listing starts from ``get_queryset(request)`` and writes money and
dates as every screen does (``core.columns``).
"""

from core.viewsets import InApp, RecordViewSet


class InCatalogue(InApp):
    app = "catalogue"


class CatalogueRecordViewSet(InCatalogue, RecordViewSet):
    """A shop record that changes only through its operations."""
