"""The back office's viewsets of wages records: the ledger's and the pay runs' (read-only,
``core.viewsets.RecordViewSet``) and the pay policy's, rates' and benchmarks' (kept by finance,
``core.viewsets.KeptRecordViewSet``: forms, an inspect view, history and the audit log).

Each viewset is named ``wages_<model>`` and served under ``/admin/wages/<model>/``, like the
workshop records (``core.viewsets.InApp``). Its listing starts from ``get_queryset(request)``; the
listing and a record's own page write money and dates as people read them (``core.columns``).
"""

from core.viewsets import InApp, KeptRecordViewSet, RecordViewSet


class InWages(InApp):
    app = "wages"


class WagesRecordViewSet(InWages, RecordViewSet):
    """A wages record that changes only through its operations (journals, pay runs)."""


class WagesViewSet(InWages, KeptRecordViewSet):
    """A wages record finance keeps by hand (the pay policy, rates, benchmarks)."""
