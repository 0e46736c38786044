"""Back-office areas that a third-party app leaves open to every member of staff.

wagtail-localize's screens (its Translations report among them) check no permission of their own;
only those who may translate (``wagtail_localize.submit_translation``: brand editors, programme
managers, administrators) enter them. Everyone else gets Wagtail's usual refusal.
"""

from django.urls import NoReverseMatch, reverse
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
