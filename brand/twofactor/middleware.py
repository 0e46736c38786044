"""Keeps a signed-in member of staff who still owes the second factor out of the back office."""

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django_otp import user_has_device

from brand.admin_paths import is_admin_request
from brand.twofactor.policy import second_factor_pending

# What a member of staff may reach between the password and the second factor.
OPEN_BEFORE_SECOND_FACTOR = {
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_password_reset",
    "wagtailadmin_password_reset_done",
    "wagtailadmin_password_reset_confirm",
    "wagtailadmin_password_reset_complete",
    "twofactor_setup",
    "twofactor_verify",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",  # the icons, fetched by every admin page
}


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_admin_request(request) and second_factor_pending(request.user):
            try:
                name = resolve(request.path_info).url_name
            except Resolver404:
                name = None
            if name not in OPEN_BEFORE_SECOND_FACTOR:
                target = "twofactor_verify" if user_has_device(request.user) else "twofactor_setup"
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse(target)}?{query}")
        return self.get_response(request)
