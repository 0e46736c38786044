"""The evidence urls a finding cites (``compliance.rules.evidence``) open for an auditor, and are
refused to a supervisor of another workshop: 404 for the production record and training
attendance of a workshop they do not supervise (the scoped inspect views), and Wagtail's refusal
(to the admin home) for records their role may not read at all (consents, the compliance data)."""

import pytest
from django.test import Client

from compliance.models import (
    ComplianceThresholds,
    Grievance,
    InsuranceCover,
    InterestDeclaration,
    SafetyInspection,
)
from compliance.rules.evidence import evidence_of
from tests.security.world import answer_of, build_world, client_for
from workshops.models import Consent, ProductionRecord, TrainingAttendance

pytestmark = pytest.mark.django_db

CITED = [
    (ProductionRecord, "record"),
    (TrainingAttendance, "attendance"),
    (Consent, "consent"),
    (SafetyInspection, "inspection"),
    (InsuranceCover, "insurance"),
    (InterestDeclaration, "declaration"),
    (Grievance, "grievance"),
    (ComplianceThresholds, "thresholds"),
]
SCOPED = {"record", "attendance"}


def answer(client, url):
    response = client.get(url)
    if answer_of(response) == "language":  # a 404 is retried under /en/ by LocaleMiddleware
        return client.get(url, follow=True).status_code
    return answer_of(response)


def test_evidence_urls_open_for_an_auditor_and_not_for_a_supervisor_of_another_workshop():
    world = build_world()
    urls = {key: evidence_of(model, [world["ids"][key]])[0].url for model, key in CITED}
    answers = {}
    for role in ("auditor", "supervisor", "supervisor_other"):
        client = client_for(Client, world, role)
        answers[role] = {key: answer(client, url) for key, url in urls.items()}

    assert answers["auditor"] == dict.fromkeys(urls, 200)
    assert answers["supervisor_other"] == {key: 404 if key in SCOPED else "home" for key in urls}
    assert {key: answers["supervisor"][key] for key in SCOPED} == dict.fromkeys(SCOPED, 200)
