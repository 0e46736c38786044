"""What the back office's tests of compliance build: staff of a role, a partner with a workshop
under contract, and a small fake rule registered in place of the real ones."""

import datetime

from django.contrib.auth.models import User

from brand.roles import sync_roles
from compliance.rules.base import MAJOR, MINOR, Rule
from compliance.rules.evidence import evidence_of
from tests.workshops.builders import build_partner, build_worker, build_workshop, contract_fields
from workshops.models import ProductionRecord
from workshops.register.contracts import create_contract

D = datetime.date


def staff(role: str, username: str | None = None) -> User:
    user = User.objects.create_user(username or role, password="a-long-test-password-1")
    user.groups.add(sync_roles()[role])
    return User.objects.get(pk=user.pk)


def build_partner_world():
    partner = build_partner("acme")
    workshop = build_workshop()
    create_contract(workshop=workshop, **contract_fields(partner))
    worker = build_worker("W-000001", prison=workshop.prison)
    return partner, workshop, worker


class FakeRule(Rule):
    """Finds one major finding per worker of the scope's production, citing their records, and
    one minor missing-data finding for the scope."""

    code = "FAKE_RULE"
    title = "A fake rule"
    source = "Tests"
    severity = MAJOR

    def check(self, context):
        records = context.scope.production(context.start, context.end)
        for reference in sorted(set(records.values_list("worker__reference", flat=True))):
            ids = records.filter(worker__reference=reference).values_list("pk", flat=True)
            yield self.finding(
                context,
                detail=f"{reference} worked too long",
                worker=reference,
                figures={"hours": "9.5", "limit": "8"},
                evidence=evidence_of(ProductionRecord, ids),
            )
        yield self.missing(context, detail="No inspection on file.", severity=MINOR)


def fake_rules(monkeypatch):
    """Only ``FakeRule`` registered, for the test's duration."""
    import compliance.rules.base
    import compliance.rules.engine

    rules = {FakeRule.code: FakeRule()}
    monkeypatch.setattr(compliance.rules.base, "RULES", rules)
    monkeypatch.setattr(compliance.rules.engine, "RULES", rules)
    return rules
