"""Security events as one structured line each, on the ``bridgework.security`` logger.

A line carries the event, the user's numeric id (never a username, name or password), the path and
the method; a failed login carries a keyed hash of the username tried, so repeated attempts on one
account can be correlated without writing the name down (OWASP ASVS 5.0, V16.2 and V16.3).
"""

import hashlib
import hmac
import json
import logging

from django.conf import settings

logger = logging.getLogger("bridgework.security")


def pseudonym(value: str) -> str:
    """A keyed, truncated hash: the same input gives the same pseudonym in this deployment."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, value.strip().lower().encode(), hashlib.sha256).hexdigest()[:16]


def log_security_event(
    event: str, request=None, *, user=None, level=logging.INFO, **fields
) -> None:
    record = {"event": event}
    if user is not None and getattr(user, "pk", None) is not None:
        record["user_id"] = user.pk
    if request is not None:
        record["method"] = request.method
        record["path"] = request.path
    record.update(fields)
    logger.log(level, json.dumps(record, sort_keys=True, default=str))


class AuthorisationFailureLogMiddleware:
    """Logs every refusal of a signed-in user: a 403, or Wagtail's answer to a member of staff
    who may not enter an area (a redirect to the admin home with its "no permission" message)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 403:
            log_security_event(
                "authorisation.denied",
                request,
                user=request.user,
                status=403,
                level=logging.WARNING,
            )
        elif response.status_code == 302 and self._wagtail_refusal(request, response):
            log_security_event(
                "authorisation.denied",
                request,
                user=request.user,
                status=302,
                level=logging.WARNING,
            )
        return response

    @staticmethod
    def _wagtail_refusal(request, response) -> bool:
        from django.contrib.messages import ERROR
        from django.urls import NoReverseMatch, reverse
        from django.utils.translation import gettext

        try:
            if response.get("Location") != reverse("wagtailadmin_home"):
                return False
        except NoReverseMatch:
            return False
        refusal = gettext("Sorry, you do not have permission to access this area.")
        queued = getattr(getattr(request, "_messages", None), "_queued_messages", [])
        return any(m.level == ERROR and str(m.message).strip() == refusal for m in queued)
