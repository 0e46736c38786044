"""Starting a compliance check from the back office.

start_check(*, user, scope_kind, slug, start, end) -> ComplianceCheck
    refused in words, with nothing saved, for a user who may not run checks
    (``compliance.run_compliancecheck``), an unknown scope or slug, or a period reversed or
    in the future; else the check is recorded and its job queued (``compliance.checks.tasks``)

check_scopes(check) -> list[Scope]      what a stored check runs over
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from compliance.models import ComplianceCheck
from compliance.rules.context import Scope
from compliance.rules.engine import check_period

RUN = "compliance.run_compliancecheck"


def check_scopes(check: ComplianceCheck) -> list[Scope]:
    if check.scope_kind == ComplianceCheck.ScopeKind.ALL:
        return Scope.every_prison()
    return [Scope.parse(check.scope_kind, check.scope_slug)]


def start_check(*, user, scope_kind: str, slug: str, start, end) -> ComplianceCheck:
    if user is None or not user.has_perm(RUN):
        raise PermissionDenied(_("You may not run compliance checks."))
    if scope_kind not in ComplianceCheck.ScopeKind.values:
        raise ValidationError(_("Unknown scope %(kind)r.") % {"kind": scope_kind})
    slug = "" if scope_kind == ComplianceCheck.ScopeKind.ALL else (slug or "").strip()
    if scope_kind != ComplianceCheck.ScopeKind.ALL:
        Scope.parse(scope_kind, slug)
    check_period(start, end)
    from compliance.checks.tasks import start_check_job

    with transaction.atomic():
        check = ComplianceCheck.objects.create(
            scope_kind=scope_kind, scope_slug=slug, start=start, end=end, requested_by=user
        )
        log(check, "bridgework.compliance_check_started", user=user, data={"scope": check.scope})
        start_check_job(check, user)
    check.refresh_from_db()
    return check
