"""The back office's viewsets of workshop records: read-only records (production, training
attendance, stock) on ``core.viewsets.RecordViewSet``, and the records staff keep by hand (the
register, courses, enrolments, safety incidents) on ``core.viewsets.KeptRecordViewSet``, each
listing the rows a user may read.

A viewset's ``get_queryset(request)`` gives the rows of its listing (scoped by
``workshops.access.workshop_policy`` where a supervisor sees only their workshops); the listing,
its results and its export all start from it. Each viewset is named ``workshops_<model>`` and
served under ``/admin/workshops/<model>/``; its chooser, where a form picks the model
(``core.choosers``), is ``workshops_<model>_chooser`` under ``/admin/workshops/<model>/choose/``.
"""

from wagtail.admin.views import generic

from core.viewsets import KeptRecordViewSet, RecordViewSet


class ScopedIndexView(generic.IndexView):
    """A listing whose rows come from the viewset's ``get_queryset(request)``."""

    def get_base_queryset(self):
        if callable(self.queryset):
            self.queryset = self.queryset(self.request)
        return super().get_base_queryset()


class InWorkshops:
    """Named ``workshops_<model>``, under ``/admin/workshops/<model>/``, rows from
    ``get_queryset(request)``."""

    index_view_class = ScopedIndexView

    def __init__(self, name=None, **kwargs):
        super().__init__(name=name or f"workshops_{self.model._meta.model_name}", **kwargs)

    @property
    def url_prefix(self):
        return f"workshops/{self.model._meta.model_name}"

    def get_queryset(self, request):
        return self.model._default_manager.all()

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(queryset=self.get_queryset, **kwargs)


class WorkshopRecordViewSet(InWorkshops, RecordViewSet):
    pass


class KeptViewSet(InWorkshops, KeptRecordViewSet):
    pass
