"""Back-office areas that a third-party app leaves open to every member of staff.

wagtail-localize's screens (its Translations report among them) check no permission of their own;
only those who may translate (``wagtail_localize.submit_translation``: brand editors, programme
managers, administrators) enter them. Everyone else gets Wagtail's usual refusal.
"""

from django.urls import NoReverseMatch, reverse
from wagtail import hooks
from wagtail.admin.auth import permission_denied


class TranslatorsOnlyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and request.path.startswith(_localize_prefix())
            and not user.has_perm("wagtail_localize.submit_translation")
        ):
            return permission_denied(request)
        return self.get_response(request)


def _localize_prefix() -> str:
    try:
        return reverse("wagtailadmin_home") + "localize/"
    except NoReverseMatch:  # a URLconf without the admin (some tests)
        return "/admin/localize/"


class SnippetChooserPermissionMiddleware:
    """Wagtail's snippet choosers list a model's rows to any member of staff; here only those with
    some permission on the model (view, add, change or delete) may open its chooser, so a worker
    list is never one click away from a role that has no business with it. An app may close a
    model's chooser further with the ``bridgework_snippet_chooser_refused(user, model)`` hook
    (e.g. rows a user sees only for some workshops: the chooser lists them all)."""

    PREFIX = "wagtailsnippetchoosers_"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and "/snippets/choose/" in request.path:
            model = self._chooser_model(request)
            if model is not None and not any(
                request.user.has_perm(f"{model._meta.app_label}.{action}_{model._meta.model_name}")
                for action in ("view", "add", "change", "delete")
            ):
                return permission_denied(request)
            if model is not None and any(
                refused(request.user, model)
                for refused in hooks.get_hooks("bridgework_snippet_chooser_refused")
            ):
                return permission_denied(request)
        return self.get_response(request)

    def _chooser_model(self, request):
        from django.urls import Resolver404, resolve
        from wagtail.snippets.models import get_snippet_models

        try:
            namespace = resolve(request.path_info).namespace
        except Resolver404:
            return None
        for model in get_snippet_models():
            if namespace == f"{self.PREFIX}{model._meta.app_label}_{model._meta.model_name}":
                return model
        return None
