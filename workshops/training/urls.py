"""``/verify/``: public certificate verification (``workshops.training.verification``), outside the
brand's language prefixes and templates."""

from django.urls import path, re_path

from workshops.training import verification

urlpatterns = [
    path("", verification.lookup, name="certificate_lookup"),
    path("keys.json", verification.keys, name="certificate_keys"),
    path("<str:public_id>/", verification.certificate, name="certificate_verify"),
    path(
        "<str:public_id>/certificate.json",
        verification.certificate_json,
        name="certificate_json",
    ),
    path("<str:public_id>", verification.without_slash, name="certificate_without_slash"),
    re_path(r"^.*$", verification.not_found_page, name="certificate_not_found"),
]
