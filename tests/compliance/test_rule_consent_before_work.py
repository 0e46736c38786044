"""CONSENT_BEFORE_WORK: a complete written consent naming the partner and the deductions applied,
signed on or before the first shift for that partner."""

import pytest

from tests.compliance.consent_builders import (
    D,
    build_partner_world,
    check,
    cited,
    cites,
    posted_lines,
    shift,
    work_consent,
)

pytestmark = pytest.mark.django_db
CODE = "CONSENT_BEFORE_WORK"


def test_a_consent_signed_on_the_first_shift_naming_the_deductions_passes():
    pw = build_partner_world()
    worker = pw.workers[0]
    shift(pw, worker, D(2026, 3, 2))
    shift(pw, worker, D(2026, 3, 3))
    work_consent(worker, pw.partner, D(2026, 3, 2), codes=("family", "victims-fund"))
    posted_lines(pw, {worker: {"family": "10.00", "victims-fund": "5.00", "board": "0.00"}})

    assert check(CODE, pw.partner) == []


def test_a_consent_signed_the_day_after_the_first_shift_is_critical():
    pw = build_partner_world()
    worker = pw.workers[0]
    first = shift(pw, worker, D(2026, 3, 2))
    shift(pw, worker, D(2026, 3, 3))
    consent = work_consent(worker, pw.partner, D(2026, 3, 3))

    [finding] = check(CODE, pw.partner)

    assert (finding.code, finding.severity, finding.scope, finding.worker) == (
        CODE,
        "critical",
        "partner:acme",
        "W-000000",
    )
    assert (finding.start, finding.end, finding.missing_data) == (
        D(2026, 3, 2),
        D(2026, 3, 2),
        False,
    )
    assert finding.detail == "worked from 2026-03-02, consent signed 2026-03-03"
    assert finding.figures == {
        "partner": "Acme",
        "first_shift": D(2026, 3, 2),
        "signed_on": D(2026, 3, 3),
    }
    assert cited(finding) == cites(consent, first)
    assert cites(consent)[0][2] == f"/admin/workshops/consent/inspect/{consent.pk}/"


def test_the_brief_example_and_the_first_records_only_are_cited():
    pw = build_partner_world()
    worker = pw.workers[1]
    first = shift(pw, worker, D(2026, 3, 2))
    shift(pw, worker, D(2026, 3, 4))
    consent = work_consent(worker, pw.partner, D(2026, 3, 9))

    [finding] = check(CODE, pw.workshop)

    assert finding.detail == "worked from 2026-03-02, consent signed 2026-03-09"
    assert (finding.scope, finding.start, finding.end) == (
        "workshop:crew-north",
        D(2026, 3, 2),
        D(2026, 3, 8),
    )
    assert cited(finding) == cites(consent, first)


def test_no_consent_is_critical_and_cites_the_first_shift():
    pw = build_partner_world()
    worker = pw.workers[0]
    first = shift(pw, worker, D(2026, 3, 5))
    shift(pw, worker, D(2026, 3, 6))

    [finding] = check(CODE, pw.partner)

    assert (finding.severity, finding.worker, finding.start, finding.end) == (
        "critical",
        "W-000000",
        D(2026, 3, 5),
        D(2026, 3, 31),
    )
    assert finding.detail == "no written work consent for Acme on file; worked from 2026-03-05"
    assert finding.figures == {"partner": "Acme", "first_shift": D(2026, 3, 5)}
    assert cited(finding) == cites(first)


def test_a_consent_for_another_partner_or_a_story_consent_does_not_count():
    from tests.workshops.builders import build_partner
    from workshops.models import Consent

    pw = build_partner_world()
    worker = pw.workers[0]
    shift(pw, worker, D(2026, 3, 5))
    work_consent(worker, build_partner("other"), D(2026, 1, 1))
    Consent.objects.create(worker=worker, kind="story", signed_on=D(2026, 1, 1))

    [finding] = check(CODE, pw.partner)

    assert finding.detail.startswith("no written work consent for Acme")


def test_a_consent_without_its_signed_document_is_missing_data():
    pw = build_partner_world()
    worker = pw.workers[0]
    shift(pw, worker, D(2026, 3, 2))
    consent = work_consent(worker, pw.partner, D(2026, 2, 1), document=False)

    [finding] = check(CODE, pw.partner)

    assert (finding.severity, finding.missing_data, finding.worker) == (
        "critical",
        True,
        "W-000000",
    )
    assert (finding.start, finding.end) == (D(2026, 3, 1), D(2026, 3, 31))
    assert finding.detail == (
        "the work consent for Acme signed 2026-02-01 has no signed document on file"
    )
    assert finding.figures == {"partner": "Acme", "signed_on": D(2026, 2, 1)}
    assert cited(finding) == cites(consent)


def test_a_deduction_applied_that_the_consent_does_not_name_is_critical():
    pw = build_partner_world()
    worker = pw.workers[0]
    shift(pw, worker, D(2026, 3, 2))
    consent = work_consent(worker, pw.partner, D(2026, 2, 1), codes=("family",))
    run = posted_lines(pw, {worker: {"family": "10.00", "victims-fund": "5.00"}})

    [finding] = check(CODE, pw.partner)

    assert (finding.severity, finding.missing_data) == ("critical", False)
    assert finding.detail == (
        "deductions applied that the consent for Acme does not name: victims-fund "
        "(it names: family)"
    )
    assert finding.figures == {
        "partner": "Acme",
        "applied": "family, victims-fund",
        "named": "family",
        "not_named": "victims-fund",
    }
    assert cited(finding) == cites(consent, run)


def test_a_pay_run_not_posted_or_of_another_period_is_not_read():
    from wages.models import PayRun

    pw = build_partner_world()
    worker = pw.workers[0]
    shift(pw, worker, D(2026, 3, 2))
    work_consent(worker, pw.partner, D(2026, 2, 1))
    posted_lines(pw, {worker: {"victims-fund": "5.00"}}, period=(D(2026, 2, 1), D(2026, 2, 28)))
    posted_lines(pw, {worker: {"board": "5.00"}}, status=PayRun.Status.CALCULATED)

    assert check(CODE, pw.partner) == []


def test_legacy_records_and_own_work_are_skipped():
    pw = build_partner_world()
    worker = pw.workers[0]
    shift(pw, worker, D(2026, 3, 2), legacy=True)
    shift(pw, worker, D(2026, 3, 3), workshop=pw.world.workshop)  # own work, no contract

    assert check(CODE, pw.workshop.prison) == []


def test_work_outside_the_contract_is_not_for_the_partner():
    pw = build_partner_world()
    pw.contract.end = D(2026, 3, 10)
    pw.contract.save()
    worker = pw.workers[0]
    shift(pw, worker, D(2026, 3, 11))
    shift(pw, worker, D(2026, 3, 12))
    work_consent(worker, pw.partner, D(2026, 3, 12))

    assert check(CODE, pw.partner) == []


def test_a_workshop_is_judged_from_its_own_first_shift_for_the_partner():
    from tests.workshops.builders import contract_fields
    from workshops.models import Contract

    pw = build_partner_world()
    Contract.objects.create(workshop=pw.world.other, **contract_fields(pw.partner, "C-2"))
    worker = pw.workers[0]
    elsewhere = shift(pw, worker, D(2026, 3, 2), workshop=pw.world.other)
    here = shift(pw, worker, D(2026, 3, 4))
    consent = work_consent(worker, pw.partner, D(2026, 3, 5))

    [in_workshop] = check(CODE, pw.workshop)
    [for_partner] = check(CODE, pw.partner)

    assert (in_workshop.detail, cited(in_workshop)) == (
        "worked from 2026-03-04, consent signed 2026-03-05",
        cites(consent, here),
    )
    assert (for_partner.detail, cited(for_partner)) == (
        "worked from 2026-03-02, consent signed 2026-03-05",
        cites(consent, elsewhere),
    )


@pytest.mark.parametrize("size", [2, 6])
def test_the_query_count_does_not_grow_with_the_workers(size, django_assert_num_queries):
    pw = build_partner_world(workers=size)
    for n, worker in enumerate(pw.workers):
        shift(pw, worker, D(2026, 3, 2))
        shift(pw, worker, D(2026, 3, 3))
        work_consent(worker, pw.partner, D(2026, 3, 3 if n % 2 else 1), codes=("family",))
    posted_lines(pw, {worker: {"family": "1.00", "board": "2.00"} for worker in pw.workers})

    with django_assert_num_queries(4):
        findings = check(CODE, pw.partner)

    assert len(findings) == size + size // 2
