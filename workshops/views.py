"""The base of the workshops' own admin screens: Wagtail's ``PermissionCheckedMixin`` checks the
permission before the screen runs (a refusal is Wagtail's: back to the admin home with its
message), so no screen repeats the check. ``permission_policy`` is ``workshop_policy`` for the
recording and stock screens, else the model's registered policy."""

from django.views.generic import View
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin


class _AnyMethod:
    def dispatch(self, request, *args, **kwargs):
        return self.handle(request, *args, **kwargs)


class PermissionCheckedView(PermissionCheckedMixin, _AnyMethod, View):
    """A screen whose ``handle(request, ...)`` runs, for any method, once the user holds
    ``permission_required`` under ``permission_policy``."""

    def handle(self, request, *args, **kwargs):
        raise NotImplementedError
