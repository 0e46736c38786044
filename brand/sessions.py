"""Staff sessions: an absolute lifetime, an idle timeout in the back office, and an end to every
session of a user who is deactivated (OWASP ASVS 5.0, V7.3 and V7.4).

Django gives each login a new session key. The editor's background pings (Wagtail's editing
sessions) do not count as activity, or a forgotten open editor would never time out.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.sessions.models import Session
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

from brand.admin_paths import is_admin_request
from brand.models import StaffSession
from core.security_log import log_security_event

STARTED = "bridgework_session_started"
LAST_ACTIVITY = "bridgework_last_activity"
BACKGROUND_REQUESTS = {"wagtailadmin_editing_sessions"}  # namespaces that are not a person acting


def session_started(request, user) -> None:
    """At login: stamp the session and remember it, so deactivation can end it."""
    now = time.time()
    request.session[STARTED] = now
    request.session[LAST_ACTIVITY] = now
    if not request.session.session_key:
        request.session.save()
    StaffSession.objects.get_or_create(user=user, session_key=request.session.session_key)


def end_all_sessions(user) -> int:
    """Delete every session of ``user``; returns how many there were."""
    keys = list(StaffSession.objects.filter(user=user).values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    StaffSession.objects.filter(user=user).delete()
    return len(keys)


class StaffSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            expired = self._expired(request)
            if expired:
                user_id = request.user.pk
                logout(request)
                log_security_event(f"session.{expired}", request, user_id=user_id)
                if is_admin_request(request):
                    messages.info(request, self._message(expired))
                    return redirect(f"{reverse('wagtailadmin_login')}?next={request.path}")
        return self.get_response(request)

    def _expired(self, request) -> str | None:
        now = time.time()
        session = request.session
        started = session.get(STARTED)
        if started is None:  # a session from before this rule: start counting now
            session[STARTED] = session[LAST_ACTIVITY] = now
            return None
        if now - started > settings.BRIDGEWORK_SESSION_MAX_HOURS * 3600:
            return "lifetime_ended"
        if not is_admin_request(request):
            return None
        if now - session.get(LAST_ACTIVITY, now) > settings.BRIDGEWORK_ADMIN_IDLE_MINUTES * 60:
            return "idle_timeout"
        if not self._is_background(request):
            session[LAST_ACTIVITY] = now
        return None

    @staticmethod
    def _is_background(request) -> bool:
        try:
            return resolve(request.path_info).namespace in BACKGROUND_REQUESTS
        except Resolver404:
            return False

    @staticmethod
    def _message(reason: str) -> str:
        if reason == "idle_timeout":
            return _("You were signed out after %(minutes)d minutes without activity.") % {
                "minutes": settings.BRIDGEWORK_ADMIN_IDLE_MINUTES
            }
        return _("You were signed out: a session lasts at most %(hours)d hours.") % {
            "hours": settings.BRIDGEWORK_SESSION_MAX_HOURS
        }
