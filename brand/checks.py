"""System checks for a deployment: ``check --deploy`` fails when staff could sign in without a
second factor, or when no certificate signing key is configured."""

from django.conf import settings
from django.core.checks import Error, Tags, register

from core.signing import SigningKeysMissing, configured_keys


@register(Tags.security, deploy=True)
def two_factor_is_on(app_configs, **kwargs):
    if settings.BRIDGEWORK_REQUIRE_2FA:
        return []
    return [
        Error(
            "Two-factor sign-in for staff is switched off (BRIDGEWORK_REQUIRE_2FA=no).",
            hint="Only a local demo may switch it off: unset BRIDGEWORK_REQUIRE_2FA in production.",
            id="bridgework.E001",
        )
    ]


@register(Tags.security, deploy=True)
def certificate_signing_keys_are_configured(app_configs, **kwargs):
    try:
        configured_keys()
    except SigningKeysMissing as missing:
        return [
            Error(
                f"Certificates cannot be issued or verified: {missing}",
                hint="Set BRIDGEWORK_SIGNING_KEYS or BRIDGEWORK_SIGNING_KEYS_FILE "
                "(python manage.py make_signing_key KEY_ID prints a key line).",
                id="bridgework.E002",
            )
        ]
    return []
