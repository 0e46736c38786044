"""Who needs a second factor."""

from django.conf import settings
from django_otp import user_has_device

from brand.roles import ADMINISTRATOR, AUDITOR, FINANCE_OFFICER, PROGRAMME_MANAGER

ROLES_REQUIRING_TWO_FACTOR = (FINANCE_OFFICER, AUDITOR, PROGRAMME_MANAGER, ADMINISTRATOR)


def two_factor_switched_on() -> bool:
    return settings.BRIDGEWORK_REQUIRE_2FA


def two_factor_required(user) -> bool:
    """True when ``user`` must enrol: money, personal data and users are behind these roles."""
    if not two_factor_switched_on() or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    names = [role.name for role in ROLES_REQUIRING_TWO_FACTOR]
    return user.groups.filter(name__in=names).exists()


def second_factor_pending(user) -> bool:
    """True when ``user`` is signed in with a password but has not yet passed the second factor
    that their role requires or that they enrolled in."""
    if not user.is_authenticated or user.is_verified():
        return False
    return user_has_device(user) or two_factor_required(user)
