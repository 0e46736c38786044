"""Enrolment, the second-factor check at login, and recovery codes.

Registered under ``/admin/2fa/`` (``register_admin_urls``), so only signed-in staff reach them.
"""

import base64
import io

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from brand.twofactor.policy import two_factor_required
from core.security_log import log_security_event

RECOVERY_CODES = 10
RECOVERY_CODES_SESSION_KEY = "bridgework_recovery_codes"


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=16,
        help_text=gettext_lazy("The six digits your authenticator app shows, or a recovery code."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_token(self):
        return "".join(self.cleaned_data["token"].split()).lower()


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(candidate, {request.get_host()}, request.is_secure()):
        return candidate
    return reverse("wagtailadmin_home")


def _issue_recovery_codes(user) -> list[str]:
    """Replace the user's recovery codes with new ones; each works once."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="Recovery codes", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def _qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


@require_http_methods(["GET", "POST"])
def setup(request):
    """Enrolment: scan the code, type the six digits it shows, keep the recovery codes."""
    user = request.user
    if user_has_device(user):
        return redirect(f"{reverse('twofactor_verify')}?next={_next_url(request)}")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                codes = _issue_recovery_codes(user)
            otp_login(request, device)
            request.session[RECOVERY_CODES_SESSION_KEY] = codes
            log_security_event("two_factor.enrolled", request, user=user)
            return redirect(f"{reverse('twofactor_recovery_codes')}?next={_next_url(request)}")
        log_security_event("two_factor.enrol_failed", request, user=user)
        form.add_error(
            "token", _("That code is not right. Check the time on your phone and try again.")
        )
    secret = base64.b32encode(device.bin_key).decode()
    return TemplateResponse(
        request,
        "twofactor/setup.html",
        {
            "form": form,
            "qr_svg": _qr_svg(device.config_url),
            "secret": secret,
            "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
            "required": two_factor_required(user),
            "next": _next_url(request),
        },
    )


@require_http_methods(["GET", "POST"])
def verify(request):
    """The second factor at login: a code from the app, or one recovery code (used up)."""
    user = request.user
    if not user_has_device(user):
        return redirect(f"{reverse('twofactor_setup')}?next={_next_url(request)}")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        # Six digits are the app's code; anything else is a recovery code. Trying a code only on
        # its own kind of device keeps a recovery code from counting as a wrong app code.
        kind = TOTPDevice if token.isdigit() and len(token) == 6 else StaticDevice
        candidates = [d for d in devices_for_user(user, for_verify=True) if isinstance(d, kind)]
        for device in candidates:
            allowed, details = device.verify_is_allowed()
            if not allowed:
                locked_until = (details or {}).get("locked_until")
                log_security_event("two_factor.throttled", request, user=user)
                if locked_until:
                    message = _("Too many wrong codes. Try again after %(time)s.") % {
                        "time": date_format(locked_until, "TIME_FORMAT")
                    }
                else:
                    message = _("Too many wrong codes. Wait a minute and try again.")
                form.add_error("token", message)
                break
            if device.verify_token(token):
                otp_login(request, device)
                method = "recovery_code" if kind is StaticDevice else "app"
                log_security_event("two_factor.passed", request, user=user, method=method)
                if isinstance(device, StaticDevice):
                    left = device.token_set.count()
                    messages.warning(
                        request,
                        _(
                            "You used a recovery code; %(count)d left. Make new ones if you are running out."
                        )
                        % {"count": left},
                    )
                return redirect(_next_url(request))
        else:
            log_security_event("two_factor.failed", request, user=user)
            form.add_error(
                "token", _("That code is not right. Check the time on your phone and try again.")
            )
    return TemplateResponse(
        request, "twofactor/verify.html", {"form": form, "next": _next_url(request)}
    )


@require_http_methods(["GET", "POST"])
def recovery_codes(request):
    """Shows new recovery codes once; a POST replaces them (needs a passed second factor)."""
    if not request.user.is_verified():
        return redirect(f"{reverse('twofactor_verify')}?next={request.get_full_path()}")
    if request.method == "POST":
        request.session[RECOVERY_CODES_SESSION_KEY] = _issue_recovery_codes(request.user)
        log_security_event("two_factor.recovery_codes_replaced", request, user=request.user)
        return redirect("twofactor_recovery_codes")
    codes = request.session.pop(RECOVERY_CODES_SESSION_KEY, None)
    left = StaticToken.objects.filter(device__user=request.user).count()
    return TemplateResponse(
        request,
        "twofactor/recovery_codes.html",
        {"codes": codes, "left": left, "next": _next_url(request)},
    )


@require_http_methods(["GET", "POST"])
def reset(request, user_id):
    """An administrator resets someone's second factor (a lost phone and lost recovery codes):
    their devices are deleted and their sessions ended; they enrol again at their next login."""
    from django.contrib.auth import get_user_model
    from django.shortcuts import get_object_or_404
    from wagtail.admin.auth import permission_denied

    from brand.sessions import end_all_sessions

    if not request.user.has_perm("auth.change_user"):
        return permission_denied(request)
    people = get_user_model().objects.all()
    if not request.user.is_superuser:
        people = people.filter(is_superuser=False)
    person = get_object_or_404(people, pk=user_id)
    if request.method == "POST":
        with transaction.atomic():
            removed = sum(
                type(device).objects.filter(pk=device.pk).delete()[0]
                for device in devices_for_user(person, confirmed=None)
            )
            end_all_sessions(person)
        log_security_event(
            "two_factor.reset",
            request,
            user=request.user,
            target_user_id=person.pk,
            devices=removed,
        )
        messages.success(
            request,
            _(
                "Two-factor sign-in was reset for %(name)s: they set it up again at their next login."
            )
            % {"name": person.get_username()},
        )
        return redirect("wagtailusers_users:index")
    return TemplateResponse(
        request,
        "twofactor/reset.html",
        {"person": person, "has_devices": user_has_device(person, confirmed=None)},
    )
