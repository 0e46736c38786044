"""Whether a request is for the back office."""

from django.urls import NoReverseMatch, reverse


def is_admin_request(request) -> bool:
    try:
        return request.path.startswith(reverse("wagtailadmin_home"))
    except NoReverseMatch:  # a URLconf without the admin (some tests)
        return False
