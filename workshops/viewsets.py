"""The back office's viewsets of workshop records: read-only records (production, training
attendance, stock) on ``core.viewsets.RecordViewSet``, and the records staff keep by hand (the
register, courses, enrolments, safety incidents) on ``core.viewsets.KeptRecordViewSet``, each
listing the rows a user may read.

A viewset's ``get_queryset(request)`` gives the rows of its listing (scoped by
``workshops.access.workshop_policy`` where a supervisor sees only their workshops); the listing,
its results and its export all start from it. Each viewset is named ``workshops_<model>`` and
served under ``/admin/workshops/<model>/`` (``core.viewsets.InApp``); its chooser, where a form
picks the model (``core.choosers``), is ``workshops_<model>_chooser`` under
``/admin/workshops/<model>/choose/``.
"""

from core.viewsets import InApp, KeptRecordViewSet, RecordViewSet


class InWorkshops(InApp):
    app = "workshops"


class WorkshopRecordViewSet(InWorkshops, RecordViewSet):
    pass


class KeptViewSet(InWorkshops, KeptRecordViewSet):
    pass
