"""The back office's viewsets of shop records: named ``catalogue_<model>`` and served under
``/admin/catalogue/<model>/``, like the workshop and wages records (``core.viewsets.InApp``)."""

from core.viewsets import InApp, KeptRecordViewSet, RecordViewSet


class InCatalogue(InApp):
    app = "catalogue"


class CatalogueRecordViewSet(InCatalogue, RecordViewSet):
    """A shop record that changes only through its operations (orders, invoices)."""


class CatalogueViewSet(InCatalogue, KeptRecordViewSet):
    """A shop record kept by hand (tax classes, shipping zones and rates): forms, an inspect
    view, history and the audit log."""
