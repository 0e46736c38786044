"""The working-time check (Mandela Rule 102): day, ISO week, rest day; the same breaches from the
running sums over a worker's days as from rescanning every window of every day."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.formatting import format_day
from tests.workshops.builders import D
from workshops.models import WorkingTimePolicy
from workshops.working_time import assess, working_time_breaches

pytestmark = pytest.mark.django_db
MONDAY = D(2026, 11, 2)


@pytest.fixture(autouse=True)
def policy():
    return WorkingTimePolicy.objects.create(
        effective_from=D(2026, 1, 1),
        max_hours_per_day=Decimal(8),
        max_hours_per_week=Decimal(40),
        rest_days_per_week=1,
    )


def days(*hours):
    return {MONDAY + datetime.timedelta(days=n): Decimal(h) for n, h in enumerate(hours)}


def codes(hours_by_day, day):
    return [(b.code, b.message) for b in working_time_breaches(hours_by_day, day=day)]


def test_a_normal_week_is_fine():
    assert codes(days(8, 8, 8, 8, 8, 0, 0), D(2026, 11, 6)) == []


def test_too_many_hours_in_a_day():
    assert codes(days(9), MONDAY) == [
        ("HOURS_DAY", "9 hours on Nov 2, 2026; the limit is 8.00 a day.")
    ]


def test_too_many_hours_in_the_iso_week_training_included():
    week = days(8, 8, 8, 8, 8, Decimal("0.5"))  # Saturday's half hour of training counts too
    assert codes(week, D(2026, 11, 7)) == [
        ("HOURS_WEEK", "40.5 hours in the week of Nov 2, 2026; the limit is 40.00 a week.")
    ]


def test_seven_days_without_rest():
    assert codes(days(4, 4, 4, 4, 4, 4, 4), D(2026, 11, 8)) == [
        ("REST_DAY", "No day of rest in the 7 days up to Nov 8, 2026.")
    ]


def test_a_past_day_that_closes_a_streak_ending_later():
    """Tuesday entered last: the seven days from Monday to Sunday then hold no rest."""
    week = days(4, 4, 4, 4, 4, 4, 4)
    assert codes(week, D(2026, 11, 3)) == [
        ("REST_DAY", "No day of rest in the 7 days up to Nov 8, 2026.")
    ]
    week[D(2026, 11, 5)] = Decimal(0)
    assert codes(week, D(2026, 11, 3)) == []


def test_before_any_policy_nothing_is_checked():
    assert working_time_breaches({D(2025, 6, 1): Decimal(12)}, day=D(2025, 6, 1)) == []


@pytest.mark.parametrize(
    ("tuesday", "refusal"),
    [
        ("14.00", None),  # 10 + 14: a full day, and no policy to breach
        ("14.01", "W-000007 would have 24.01 hours on Nov 3, 2026: more than a day holds."),
    ],
)
def test_more_than_24_hours_in_a_day_is_refused_whatever_the_note(tuesday, refusal):
    worked = days(10, 10) | {D(2026, 11, 3): Decimal(10) + Decimal(tuesday)}

    found = assess(worked, [D(2026, 11, 3)], policy_on=lambda _day: None, worker="W-000007")

    assert found[D(2026, 11, 3)].refusal("Order deadline") == refusal


def test_breaches_without_a_reason_are_refused_in_one_message(policy):
    found = assess(days(9, 4, 4, 4, 4, 4, 4, 4), [MONDAY], policy_on=lambda _day: policy)

    assert found[MONDAY].codes == "HOURS_DAY REST_DAY"
    assert found[MONDAY].refusal(" ") == (
        "9 hours on Nov 2, 2026; the limit is 8 a day. No day of rest in the 7 days up to "
        "Nov 8, 2026. Hours over the working-time limits need a reason in the supervisor's note."
    )
    assert found[MONDAY].refusal("Order deadline") is None


def test_days_far_apart_are_read_in_separate_stretches(policy):
    """Two months apart: each day reads only the 13 days around it, and a streak around the
    second does not reach the first."""
    first, later = MONDAY, MONDAY + datetime.timedelta(days=60)
    worked = {first: Decimal(4)} | {
        later + datetime.timedelta(days=n): Decimal(4) for n in range(7)
    }

    found = assess(worked, [later, first], policy_on=lambda _day: policy)

    assert [(day, found[day].codes) for day in sorted(found)] == [
        (first, ""),
        (later, "REST_DAY"),
    ]
    assert found[later].breaches[0].message == "No day of rest in the 7 days up to Jan 7, 2027."


def rescanned(hours_by_day, day, policy, asked):
    """The oracle: every window of every day rescanned, as the check did before the running
    sums (commit 33072e0), the week counting too the days after ``day`` in it that are not
    ``asked`` about (hours already recorded)."""
    found = []
    worked = hours_by_day.get(day, Decimal(0))
    if worked > policy.max_hours_per_day:
        found.append("HOURS_DAY")
    monday = day - datetime.timedelta(days=day.weekday())
    week = sum(
        (hours_by_day.get(monday + datetime.timedelta(days=n), Decimal(0)))
        for n in range((day - monday).days + 1)
    )
    week += sum(
        hours_by_day.get(later, Decimal(0))
        for later in (monday + datetime.timedelta(days=n) for n in range(7))
        if later > day and later not in asked
    )
    if week > policy.max_hours_per_week:
        found.append(f"HOURS_WEEK {week}")
    if worked > 0:
        for last in (day + datetime.timedelta(days=n) for n in range(7)):
            window = [last - datetime.timedelta(days=n) for n in range(7)]
            if (
                sum(hours_by_day.get(d, Decimal(0)) == 0 for d in window)
                < policy.rest_days_per_week
            ):
                found.append(f"REST_DAY {format_day(last)}")
                break
    return found


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    hours=st.lists(st.sampled_from(["0", "0", "4", "7.5", "8", "8.25", "12"]), max_size=45),
    asked=st.sets(st.integers(min_value=0, max_value=44), max_size=12),
    limits=st.tuples(
        st.sampled_from([Decimal(6), Decimal(8)]),
        st.sampled_from([Decimal(30), Decimal(40)]),
        st.integers(min_value=1, max_value=3),
    ),
    start=st.integers(min_value=0, max_value=6),
)
def test_running_sums_find_what_rescanning_every_window_finds(hours, asked, limits, start):
    first = MONDAY + datetime.timedelta(days=start)
    hours_by_day = {first + datetime.timedelta(days=n): Decimal(h) for n, h in enumerate(hours)}
    policy = WorkingTimePolicy(
        max_hours_per_day=limits[0], max_hours_per_week=limits[1], rest_days_per_week=limits[2]
    )
    wanted = [first + datetime.timedelta(days=n) for n in asked]

    found = assess(hours_by_day, wanted, policy_on=lambda _day: policy)

    assert sorted(found) == sorted(wanted)
    for day in wanted:
        got = []
        for breach in found[day].breaches:
            if breach.code == "HOURS_WEEK":
                got.append(f"HOURS_WEEK {breach.message.split(' ')[0]}")
            elif breach.code == "REST_DAY":
                up_to = breach.message.removeprefix("No day of rest in the 7 days up to ")
                got.append(f"REST_DAY {up_to.rstrip('.')}")
            else:
                got.append(breach.code)
        assert got == rescanned(hours_by_day, day, policy, set(wanted)), day
