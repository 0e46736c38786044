"""System checks for a deployment: ``check --deploy`` fails when staff could sign in without a
second factor."""

from django.conf import settings
from django.core.checks import Error, Tags, register


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
