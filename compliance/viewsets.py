"""The compliance app's viewsets are named ``compliance_<model>`` and served under
``/admin/compliance/<model>/`` (``core.viewsets.InApp``)."""

from core.viewsets import InApp, KeptRecordViewSet, RecordViewSet


class InCompliance(InApp):
    app = "compliance"


class ComplianceRecordViewSet(InCompliance, RecordViewSet):
    pass


class KeptViewSet(InCompliance, KeptRecordViewSet):
    pass
