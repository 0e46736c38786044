"""The public certificate verification: a neutral page anyone may open, with no brand name and
no link to the brand site, served under ``CERTIFICATE_VERIFY_BASE_URL`` (the national vocational
authority's address in production).

``/verify/`` is a form to type the certificate number printed on the certificate (or paste its
address): it gives the same answer as the certificate's own address, under the same rate limit.
``/verify/<id>/`` re-checks the certificate's signature and shows what the holder consented to
show; revoked and superseded certificates say so, and an altered record says it is not valid.
``/verify/<id>/certificate.json`` is the signed content and its signature, and
``/verify/keys.json`` the published public keys, so an employer can check a certificate offline
(README, "Verifying a certificate offline"). A malformed or unknown id gets the same neutral 404,
which does not say whether the id ever existed. Every response is ``noindex``, never cached, and
rate-limited per address (``CERTIFICATE_VERIFY_RATE``).
"""

import datetime
import re
from functools import wraps

from django.conf import settings
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django_ratelimit.core import is_ratelimited

from core.signing import canonical_bytes, public_keys
from workshops.models import Certificate
from workshops.training.certificates import Status, certificate_status, verify_url

PUBLIC_ID = re.compile(r"[A-Za-z0-9_-]{24}")
ROBOTS = "noindex, nofollow, noarchive"


def neutral(view):
    """Rate-limited, ``noindex`` and never cached: what every verification response shares."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        limited = is_ratelimited(
            request,
            group="certificate-verification",
            key="ip",
            rate=settings.CERTIFICATE_VERIFY_RATE,
            increment=True,
        )
        if limited:
            response = TemplateResponse(request, "verify/too_many.html", status=429)
            response["Retry-After"] = "60"
        else:
            response = view(request, *args, **kwargs)
        response["X-Robots-Tag"] = ROBOTS
        response["Referrer-Policy"] = "no-referrer"
        add_never_cache_headers(response)
        return response

    return wrapped


def not_found(request, *args, **kwargs):
    """The same answer for a malformed id, an unknown one and any other address under /verify/."""
    return TemplateResponse(request, "verify/not_found.html", status=404)


def _certificate(public_id: str) -> Certificate | None:
    if not PUBLIC_ID.fullmatch(public_id):
        return None
    return Certificate.objects.select_related("superseded_by").filter(public_id=public_id).first()


def _number(typed: str) -> str:
    """The certificate number in what a person typed or pasted: spaces and dashes of a printed
    grouping dropped, or the last part of a pasted verification address."""
    typed = typed.strip().rstrip("/")
    if "/" in typed:
        typed = typed.rsplit("/", 1)[-1]
    return "".join(typed.split())


@neutral
def lookup(request):
    """The form; once a number is given, the same page as ``/verify/<number>/`` (the form again
    above the neutral 404 when no certificate has it)."""
    typed = request.GET.get("number", "")
    if not typed.strip():
        return TemplateResponse(request, "verify/lookup.html", {"typed": ""})
    response = _certificate_page(request, _number(typed[:200]))
    if response.status_code == 404:
        response = TemplateResponse(request, "verify/lookup.html", {"typed": typed}, status=404)
    return response


def _certificate_page(request, public_id):
    found = _certificate(public_id)
    if found is None:
        return not_found(request)
    status = certificate_status(found)
    context = {"certificate": found, "status": str(status)}
    if status == Status.SUPERSEDED:
        context["replacement_url"] = verify_url(found.superseded_by)
    if status not in (Status.NOT_VALID, Status.SUPERSEDED):
        context["download_url"] = reverse("certificate_json", args=[found.public_id])
        context["keys_url"] = reverse("certificate_keys")
    if status != Status.NOT_VALID:
        context["content"] = found.content
        context["awarded_on"] = datetime.date.fromisoformat(found.content["awarded_on"])
    return TemplateResponse(request, "verify/certificate.html", context)


certificate = neutral(_certificate_page)


@neutral
def certificate_json(request, public_id):
    """The signed content, its signature and the status today: check it offline with the key
    ``keys.json`` publishes under ``key_id`` (README)."""
    found = _certificate(public_id)
    if found is None:
        return not_found(request)
    status = certificate_status(found)
    if status == Status.SUPERSEDED:
        # Reissued, usually under a new name: the old name is not published any more.
        return JsonResponse(
            {"status": str(status), "replaced_by": verify_url(found.superseded_by)},
            json_dumps_params={"indent": 2},
        )
    return JsonResponse(
        {
            "content": found.content,
            "canonical": canonical_bytes(found.content).decode(),
            "signature": {"algorithm": "Ed25519", "key_id": found.key_id, "value": found.signature},
            "status": str(status),
            "verify_url": verify_url(found),
        },
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )


@neutral
def keys(request):
    """The public keys by key id, base64 of the 32 raw Ed25519 bytes. Retired keys stay listed
    while certificates they signed remain."""
    return JsonResponse(
        {"algorithm": "Ed25519", "keys": public_keys()},
        json_dumps_params={"indent": 2},
    )


not_found_page = neutral(not_found)


@neutral
def without_slash(request, public_id):
    """``/verify/<id>`` as typed from a printed certificate: to the page, when the id is one."""
    if not PUBLIC_ID.fullmatch(public_id):
        return not_found(request)
    return HttpResponsePermanentRedirect(reverse("certificate_verify", args=[public_id]))
