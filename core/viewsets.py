"""The back office's screens for operational records: rows that are not content and change only
through their operations (production records, stock, journals, pay runs).

``RecordViewSet`` is Wagtail's ``ModelViewSet`` with what such a record needs: a listing that
exports to CSV and XLSX (the columns of ``list_export``, else ``list_display``), an inspect view in
place of an edit form, no copy view, and a read-only permission policy registered for the model
(``ReadOnlyPolicy``: view, plus the actions in ``also_allowed``). Unlike snippets, these records
have no chooser for every member of staff to open. Group an area's viewsets with Wagtail's
``ViewSetGroup`` for one menu entry.
"""

from wagtail.admin.viewsets.model import ModelViewSet

from core.permissions import register_read_only


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
