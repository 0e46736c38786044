"""The back office's screens for operational records: rows that are not content and change only
through their operations (production records, stock, journals, pay runs).

``RecordViewSet`` is Wagtail's ``ModelViewSet`` with what such a record needs: a listing that
exports to CSV and XLSX (the columns of ``list_export``, else ``list_display``), an inspect view in
place of an edit form, no copy view, and a read-only permission policy registered for the model
(``ReadOnlyPolicy``: view, plus the actions in ``also_allowed``). Unlike snippets, these records
have no chooser for every member of staff to open (``core.choosers`` gives the ones a form needs,
with a permission check). ``KeptRecordViewSet`` is the editable kind, for records staff keep by
hand. Group an area's viewsets with Wagtail's ``ViewSetGroup`` for one menu entry.

``InApp`` names an app's viewsets alike: ``<app>_<model>``, served under ``/admin/<app>/<model>/``,
each listing the rows of its ``get_queryset(request)`` (where a role sees only some rows), and
writing money, dates, choices and people as every screen does (``core.columns``), on the listing
and on a record's own page.
"""

from django.core.exceptions import ValidationError
from wagtail.admin.panels import ObjectList, extract_panel_definitions_from_model_class
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from core.columns import FormattedColumns, FormattedFields
from core.permissions import register_read_only


class ScopedIndexView(FormattedColumns, generic.IndexView):
    """A listing whose rows come from the viewset's ``get_queryset(request)``."""

    def get_base_queryset(self):
        if callable(self.queryset):
            self.queryset = self.queryset(self.request)
        return super().get_base_queryset()


class InspectView(FormattedFields, generic.InspectView):
    pass


class InApp:
    """Named ``<app>_<model>``, under ``/admin/<app>/<model>/``, rows from
    ``get_queryset(request)``; set ``app``."""

    app: str
    index_view_class = ScopedIndexView
    inspect_view_class = InspectView
    add_to_admin_menu = False

    def __init__(self, name=None, **kwargs):
        super().__init__(name=name or f"{self.app}_{self.model._meta.model_name}", **kwargs)

    @property
    def url_prefix(self):
        return f"{self.app}/{self.model._meta.model_name}"

    def get_queryset(self, request):
        return self.model._default_manager.all()

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(queryset=self.get_queryset, **kwargs)


class RecordViewSet(ModelViewSet):
    inspect_view_enabled = True
    copy_view_enabled = False
    add_to_admin_menu = False
    also_allowed: tuple[str, ...] = ()
    form_fields = []  # Wagtail wants a form; the policy refuses the add and edit views to all

    def __init__(self, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        register_read_only(self.model, also=self.also_allowed)

    @property
    def list_export(self):
        return self.list_display

    @property
    def export_filename(self):
        return str(self.model._meta.verbose_name_plural).replace(" ", "-").lower()


class SaveView(generic.CreateView):
    """A new record's form is saved with "Save", like a record being edited."""

    submit_button_label = generic.EditView.submit_button_label


class OperationCreateView(generic.CreateView):
    """A create view whose save is the operation that owns the change (STYLE.md, "one place for
    each operation"): ``run_operation(data)`` makes the record; its refusal (``ValidationError``)
    shows on the form in words, and nothing is saved."""

    def run_operation(self, data: dict):
        raise NotImplementedError

    def form_valid(self, form):
        self.form = form
        try:
            self.object = self.run_operation(form.cleaned_data)
        except ValidationError as refused:
            form.add_error(None, refused)
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)
        return self.save_action()

    def get_success_buttons(self):
        return []


class KeptRecordViewSet(ModelViewSet):
    """Records that staff keep by hand (the register, courses, enrolments): Wagtail's
    ``ModelViewSet`` with an inspect view besides the edit form, so that auditors, who only read,
    see a whole record. Wagtail's generic views write each creation, change and deletion to the
    audit log, which the history view shows. A viewset with neither ``edit_handler`` nor
    ``panels`` gets a panel for every editable field of the model."""

    inspect_view_enabled = True
    add_to_admin_menu = False
    add_view_class = SaveView

    def get_edit_handler(self):
        edit_handler = super().get_edit_handler()
        if edit_handler is not None:
            return edit_handler
        panels = extract_panel_definitions_from_model_class(self.model)
        return ObjectList(panels).bind_to_model(self.model)
