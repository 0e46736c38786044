"""NO_STAFF_BENEFIT: no supervisor of a contract's workshop declared an interest in its partner;
each one supervising on the award day declared (an interest or none) by then."""

import pytest

from tests.compliance.consent_builders import (
    AWARDED,
    D,
    build_partner_world,
    check,
    cited,
    cites,
    declaration,
)
from tests.workshops.production_builders import build_supervisor
from workshops.models import WorkshopSupervisor

pytestmark = pytest.mark.django_db
CODE = "NO_STAFF_BENEFIT"


def supervising_at_award(pw, username="warden", *, end=None):
    user = build_supervisor(username)
    row = WorkshopSupervisor.objects.create(
        workshop=pw.workshop, user=user, start=D(2025, 11, 1), end=end
    )
    return user, row


def test_declarations_of_no_interest_by_the_award_day_pass():
    pw = build_partner_world()
    user, _row = supervising_at_award(pw)
    declaration(user, pw.partner, AWARDED)
    # the world's supervisor started after the award: no declaration is due from them

    assert check(CODE, pw.partner) == []


def test_a_declaration_the_day_after_the_award_is_missing_data():
    pw = build_partner_world()
    user, row = supervising_at_award(pw)
    late = declaration(user, pw.partner, D(2025, 12, 2))

    [finding] = check(CODE, pw.partner)

    assert (finding.code, finding.severity, finding.scope, finding.worker) == (
        CODE,
        "critical",
        "partner:acme",
        None,
    )
    assert (finding.start, finding.end, finding.missing_data) == (
        D(2026, 3, 1),
        D(2026, 3, 31),
        True,
    )
    assert finding.detail == (
        "no declaration of interest in Acme on file from warden, who supervised Workshop "
        "crew-north when contract C-1 was awarded on 2025-12-01"
    )
    assert finding.figures == {"contract": "C-1", "staff": "warden", "awarded_on": AWARDED}
    assert cited(finding) == cites(pw.contract, late, row)


def test_no_declaration_at_all_is_missing_data_and_cites_the_supervisor_row():
    pw = build_partner_world()
    user, row = supervising_at_award(pw)
    user.first_name, user.last_name = "Ana", "Silva"
    user.save()

    [finding] = check(CODE, pw.workshop)

    assert finding.missing_data
    assert finding.detail.startswith("no declaration of interest in Acme on file from Ana Silva")
    assert cited(finding) == cites(pw.contract, row)


def test_an_interest_of_a_supervisor_who_left_before_the_contract_started_is_not_read():
    pw = build_partner_world()
    user, _row = supervising_at_award(pw, end=D(2025, 12, 31))
    declaration(user, pw.partner, D(2025, 12, 1), interest="Shares in Acme")

    assert check(CODE, pw.partner) == []


def test_a_supervisor_at_the_award_who_left_before_the_start_still_declares():
    pw = build_partner_world()
    _user, row = supervising_at_award(pw, end=D(2025, 12, 31))

    [finding] = check(CODE, pw.partner)

    assert (finding.missing_data, cited(finding)) == (True, cites(pw.contract, row))


def test_a_supervisor_who_declared_an_interest_is_critical():
    pw = build_partner_world()
    user, _row = supervising_at_award(pw)
    declaration(user, pw.partner, D(2025, 11, 20))
    interest = declaration(pw.supervisor, pw.partner, D(2026, 2, 1), interest="Brother-in-law")
    supervisor_row = WorkshopSupervisor.objects.get(workshop=pw.workshop, user=pw.supervisor)

    [finding] = check(CODE, pw.partner)

    assert (finding.severity, finding.missing_data, finding.worker) == ("critical", False, None)
    assert finding.detail == (
        "sup, who supervises Workshop crew-north, declared an interest in Acme (Brother-in-law) "
        "on 2026-02-01; contract C-1 is in force there"
    )
    assert finding.figures == {
        "contract": "C-1",
        "staff": "sup",
        "declared_on": D(2026, 2, 1),
    }
    assert cited(finding) == cites(pw.contract, interest, supervisor_row)


def test_an_interest_in_another_partner_or_declared_after_the_period_is_not_read():
    from tests.workshops.builders import build_partner

    pw = build_partner_world()
    declaration(pw.supervisor, build_partner("other"), D(2026, 2, 1), interest="Shares")
    declaration(pw.supervisor, pw.partner, D(2026, 4, 1), interest="Shares")

    assert check(CODE, pw.partner) == []


@pytest.mark.parametrize("size", [2, 6])
def test_the_query_count_does_not_grow_with_the_staff(size, django_assert_num_queries):
    pw = build_partner_world()
    for n in range(size):
        user, _row = supervising_at_award(pw, f"warden-{n}")
        if n % 2:
            declaration(user, pw.partner, D(2025, 11, 1))

    with django_assert_num_queries(3):
        findings = check(CODE, pw.partner)

    assert len(findings) == size - size // 2


def test_a_prison_reads_the_contracts_of_its_workshops():
    pw = build_partner_world()
    _user, row = supervising_at_award(pw)

    [finding] = check(CODE, pw.workshop.prison)

    assert (finding.scope, finding.missing_data, cited(finding)) == (
        "prison:north-prison",
        True,
        cites(pw.contract, row),
    )
