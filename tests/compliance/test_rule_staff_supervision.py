"""STAFF_SUPERVISION: partner shifts name a supervisor assigned to the workshop that day."""

import pytest

from compliance.rules.base import MAJOR
from compliance.rules.context import Scope
from tests.compliance.time_builders import (
    D,
    check,
    cited,
    cites,
    day,
    partner_contract,
    record,
    workshop_scope,
)
from tests.workshops.production_builders import build_world
from workshops.models import WorkshopSupervisor

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = build_world(workers=3)
    world.partner, world.contract = partner_contract(world.workshop)
    return world


def test_partner_shifts_supervised_by_assigned_staff_pass(world):
    for worker in world.workers:
        record(worker, world.workshop, day(0), "6", supervisor=world.supervisor)

    assert check("STAFF_SUPERVISION", workshop_scope(world.workshop)) == []
    assert check("STAFF_SUPERVISION", Scope("partner", world.partner)) == []


def test_a_supervisor_not_assigned_to_the_workshop(world):
    shifts = [
        record(world.workers[0], world.workshop, day(1), "6", supervisor=world.other_supervisor),
        record(world.workers[1], world.workshop, day(1), "6", supervisor=world.other_supervisor),
        record(world.workers[0], world.workshop, day(3), "6", supervisor=world.other_supervisor),
    ]
    record(world.workers[2], world.workshop, day(1), "6", supervisor=world.supervisor)

    [finding] = check("STAFF_SUPERVISION", Scope("partner", world.partner))

    assert finding.code == "STAFF_SUPERVISION"
    assert finding.severity == MAJOR
    assert finding.scope == "partner:acme"
    assert finding.worker is None  # two workers' shifts
    assert (finding.start, finding.end) == (day(1), day(3))
    assert finding.detail == (
        "Shifts for acme in tailoring-north from Mar 3, 2026 to Mar 5, 2026 name sup-other as "
        "supervisor, who was not assigned to supervise tailoring-north on those days (shifts: "
        "3, workers: 2)."
    )
    assert finding.figures == {
        "shifts": 3,
        "workers": 2,
        "workshop": "tailoring-north",
        "partners": "acme",
        "supervisor": "sup-other",
        "first_day": day(1),
        "last_day": day(3),
    }
    assert cited(finding) == cites(*shifts)
    assert finding.missing_data is False


def test_the_assignment_counts_up_to_its_last_day(world):
    WorkshopSupervisor.objects.filter(workshop=world.workshop).update(end=day(2))
    record(world.workers[0], world.workshop, day(2), "6", supervisor=world.supervisor)
    late = record(world.workers[0], world.workshop, day(3), "6", supervisor=world.supervisor)

    [finding] = check("STAFF_SUPERVISION", workshop_scope(world.workshop))

    assert finding.worker == "W-000000"  # one worker's shifts
    assert (finding.start, finding.end, finding.figures["supervisor"]) == (day(3), day(3), "sup")
    assert cited(finding) == cites(late)


def test_the_administrations_own_work_is_not_checked(world):
    record(world.workers[0], world.crew, day(0), "6", supervisor=world.other_supervisor)
    record(world.workers[0], world.other, day(1), "6", supervisor=world.supervisor)

    assert check("STAFF_SUPERVISION", Scope("prison", world.workshop.prison)) == []


def test_work_before_the_contract_is_not_partner_work(world):
    world.contract.start = day(2)
    world.contract.save()
    record(world.workers[0], world.workshop, day(1), "6", supervisor=world.other_supervisor)

    assert check("STAFF_SUPERVISION", workshop_scope(world.workshop)) == []


def test_legacy_partner_shifts_without_a_supervisor_are_missing_data(world):
    legacy = record(world.workers[0], world.workshop, day(0), "6", legacy=True)
    record(world.workers[0], world.crew, day(1), "6", legacy=True)  # not partner work

    [missing] = check("STAFF_SUPERVISION", workshop_scope(world.workshop))

    assert missing.missing_data is True
    assert missing.severity == MAJOR
    assert missing.worker == "W-000000"
    assert (missing.start, missing.end) == (day(0), day(0))
    assert missing.detail == (
        "Legacy shifts for acme in tailoring-north from Mar 2, 2026 to Mar 2, 2026 name no "
        "supervisor (shifts: 1, workers: 1): the prison staff's supervision cannot be shown."
    )
    assert missing.figures["supervisor"] == ""
    assert cited(missing) == cites(legacy)
    assert check("STAFF_SUPERVISION", workshop_scope(world.crew)) == []


@pytest.mark.parametrize("workers", [2, 6])
def test_the_same_queries_whatever_the_number_of_workers(workers, django_assert_num_queries):
    world = build_world(workers=workers)
    partner, _contract = partner_contract(world.workshop)
    for worker in world.workers:
        record(worker, world.workshop, day(0), "6", supervisor=world.other_supervisor)
        record(worker, world.workshop, day(1), "6", legacy=True)
        record(worker, world.workshop, day(2), "6", supervisor=world.supervisor)
    scope = Scope("partner", partner)

    with django_assert_num_queries(1):
        findings = check("STAFF_SUPERVISION", scope)

    assert len(findings) == 2
    assert {finding.figures["shifts"] for finding in findings} == {workers}
    # legacy shifts without a supervisor first, then each supervisor's
    assert [(finding.missing_data, finding.start) for finding in findings] == [
        (True, D(2026, 3, 3)),
        (False, D(2026, 3, 2)),
    ]
