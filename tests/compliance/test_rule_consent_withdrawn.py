"""CONSENT_WITHDRAWN: no shift for a partner after the withdrawal's notice period (7 days in the
production world's working-time policy)."""

import pytest

from tests.compliance.consent_builders import (
    D,
    build_partner_world,
    check,
    cited,
    cites,
    shift,
    work_consent,
)
from workshops.models import WorkingTimePolicy

pytestmark = pytest.mark.django_db
CODE = "CONSENT_WITHDRAWN"


def test_work_up_to_the_last_day_of_notice_passes():
    pw = build_partner_world()
    worker = pw.workers[0]
    work_consent(worker, pw.partner, D(2026, 1, 5), withdrawn_on=D(2026, 3, 2))
    shift(pw, worker, D(2026, 3, 2))
    shift(pw, worker, D(2026, 3, 9))  # 2 March + 7 days: the last day of notice

    assert check(CODE, pw.partner) == []


def test_work_the_day_after_the_notice_ends_is_critical():
    pw = build_partner_world()
    worker = pw.workers[0]
    consent = work_consent(worker, pw.partner, D(2026, 1, 5), withdrawn_on=D(2026, 3, 2))
    shift(pw, worker, D(2026, 3, 9))
    late = shift(pw, worker, D(2026, 3, 10))
    later = shift(pw, worker, D(2026, 3, 12))

    [finding] = check(CODE, pw.partner)

    assert (finding.code, finding.severity, finding.scope, finding.worker) == (
        CODE,
        "critical",
        "partner:acme",
        "W-000000",
    )
    assert (finding.start, finding.end, finding.missing_data) == (
        D(2026, 3, 10),
        D(2026, 3, 12),
        False,
    )
    assert finding.detail == (
        "worked for Acme on 2 days from 2026-03-10 to 2026-03-12 after withdrawing consent on "
        "2026-03-02; the notice of 7 days ended 2026-03-09"
    )
    assert finding.figures == {
        "partner": "Acme",
        "withdrawn_on": D(2026, 3, 2),
        "notice_days": 7,
        "notice_ends": D(2026, 3, 9),
        "first_day": D(2026, 3, 10),
        "last_day": D(2026, 3, 12),
        "days": 2,
    }
    assert cited(finding) == cites(consent, late, later)


def test_a_new_consent_after_the_withdrawal_allows_work_again():
    pw = build_partner_world()
    worker = pw.workers[0]
    work_consent(worker, pw.partner, D(2026, 1, 5), withdrawn_on=D(2026, 2, 1))
    work_consent(worker, pw.partner, D(2026, 3, 1))
    shift(pw, worker, D(2026, 3, 2))

    assert check(CODE, pw.workshop) == []


def test_a_withdrawal_of_another_partners_consent_does_not_count():
    from tests.workshops.builders import build_partner

    pw = build_partner_world()
    worker = pw.workers[0]
    work_consent(worker, build_partner("other"), D(2026, 1, 5), withdrawn_on=D(2026, 2, 1))
    shift(pw, worker, D(2026, 3, 2))
    shift(pw, worker, D(2026, 3, 3), legacy=True)

    assert check(CODE, pw.workshop.prison) == []


def test_the_notice_in_force_on_the_day_of_work_applies():
    pw = build_partner_world()
    WorkingTimePolicy.objects.create(
        effective_from=D(2026, 3, 10),
        max_hours_per_day=8,
        max_hours_per_week=40,
        consent_notice_days=14,
    )
    worker = pw.workers[0]
    work_consent(worker, pw.partner, D(2026, 1, 5), withdrawn_on=D(2026, 3, 1))
    shift(pw, worker, D(2026, 3, 15))

    assert check(CODE, pw.partner) == []


def test_part_of_the_period_without_a_policy_is_missing_data():
    pw = build_partner_world()
    WorkingTimePolicy.objects.update(effective_from=D(2026, 3, 20))

    [finding] = check(CODE, pw.partner)

    assert (finding.severity, finding.missing_data, finding.worker) == ("critical", True, None)
    assert (finding.start, finding.end) == (D(2026, 3, 1), D(2026, 3, 19))
    assert finding.detail == (
        "no working-time policy in force from 2026-03-01 to 2026-03-19: the consent notice "
        "period is unknown"
    )
    assert finding.figures == {"first": D(2026, 3, 1), "last": D(2026, 3, 19)}
    assert finding.evidence == ()


@pytest.mark.parametrize("size", [2, 6])
def test_the_query_count_does_not_grow_with_the_workers(size, django_assert_num_queries):
    pw = build_partner_world(workers=size)
    for worker in pw.workers:
        work_consent(worker, pw.partner, D(2026, 1, 5), withdrawn_on=D(2026, 3, 2))
        shift(pw, worker, D(2026, 3, 20))

    with django_assert_num_queries(3):
        findings = check(CODE, pw.partner)

    assert len(findings) == size
