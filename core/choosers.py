"""Choosers for records that are not content: Wagtail's ``ChooserViewSet`` with a permission check.

Wagtail's choosers list a model's rows to any member of staff. A ``RecordChooserViewSet`` opens
only to users with some permission on the model (view, add, change or delete, as the model's
registered permission policy answers), so a worker list is never one click away from a role that
has no business with it; everyone else gets Wagtail's refusal. A chooser may list fewer rows to
some users (``get_queryset(request)``: a supervisor sees their own workshops' rows) and may be
closed to everyone, the superuser included (``closed``: records that are never chosen, made only
through their operations).

Each chooser is named ``<app>_<model>_chooser`` and served under ``/admin/<app>/<model>/choose/``
beside the model's viewset; with ``register_widget`` (the default) every admin form that picks
the model uses it.
"""

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from wagtail.admin.auth import permission_denied
from wagtail.admin.views.generic import chooser
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.permissions import policy_registry

ANY_PERMISSION = ("view", "add", "change", "delete")


class PermissionChecked:
    """Refuses a user the viewset does not let choose; lists only the rows it gives them."""

    chooser_viewset = None

    def dispatch(self, request, *args, **kwargs):
        if not self.chooser_viewset.may_choose(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_object_list(self):
        return self.chooser_viewset.get_queryset(self.request)


class ChooseView(PermissionChecked, chooser.ChooseView):
    pass


class ChooseResultsView(PermissionChecked, chooser.ChooseResultsView):
    pass


class ChosenView(PermissionChecked, chooser.ChosenView):
    def get(self, request, pk):
        try:
            item = self.get_object_list().get(pk=pk)
        except (ObjectDoesNotExist, ValueError) as missing:
            raise Http404 from missing
        return self.get_chosen_response(item)


class ChosenMultipleView(PermissionChecked, chooser.ChosenMultipleView):
    def get_objects(self, pks):
        return self.get_object_list().filter(pk__in=pks)


class CreateView(PermissionChecked, chooser.CreateView):
    pass


class RecordChooserViewSet(ChooserViewSet):
    closed = False
    register_widget = True  # every admin form with a foreign key to the model uses this chooser
    choose_view_class = ChooseView
    choose_results_view_class = ChooseResultsView
    chosen_view_class = ChosenView
    chosen_multiple_view_class = ChosenMultipleView
    create_view_class = CreateView

    def __init__(self, name=None, **kwargs):
        opts = self.model._meta
        super().__init__(
            name=name or f"{opts.app_label}_{opts.model_name}_chooser",
            url_prefix=kwargs.pop("url_prefix", f"{opts.app_label}/{opts.model_name}/choose"),
            **kwargs,
        )

    def may_choose(self, user) -> bool:
        if self.closed:
            return False
        policy = policy_registry.get_by_type(self.model)
        return policy.user_has_any_permission(user, ANY_PERMISSION)

    def get_queryset(self, request):
        """The rows ``request.user`` may choose from."""
        return self.model._default_manager.all()

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(chooser_viewset=self, **kwargs)
