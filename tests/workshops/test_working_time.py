"""The working-time check (Mandela Rule 102): day, ISO week, rest day."""

import datetime
from decimal import Decimal

import pytest

from tests.workshops.builders import D
from workshops.models import WorkingTimePolicy
from workshops.working_time import working_time_breaches

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
        ("HOURS_DAY", "9 hours on 2026-11-02; the limit is 8.00 a day.")
    ]


def test_too_many_hours_in_the_iso_week_training_included():
    week = days(8, 8, 8, 8, 8, Decimal("0.5"))  # Saturday's half hour of training counts too
    assert codes(week, D(2026, 11, 7)) == [
        ("HOURS_WEEK", "40.5 hours in the week of 2026-11-02; the limit is 40.00 a week.")
    ]


def test_seven_days_without_rest():
    assert codes(days(4, 4, 4, 4, 4, 4, 4), D(2026, 11, 8)) == [
        ("REST_DAY", "No day of rest in the 7 days up to 2026-11-08.")
    ]


def test_a_past_day_that_closes_a_streak_ending_later():
    """Tuesday entered last: the seven days from Monday to Sunday then hold no rest."""
    week = days(4, 4, 4, 4, 4, 4, 4)
    assert codes(week, D(2026, 11, 3)) == [
        ("REST_DAY", "No day of rest in the 7 days up to 2026-11-08.")
    ]
    week[D(2026, 11, 5)] = Decimal(0)
    assert codes(week, D(2026, 11, 3)) == []


def test_before_any_policy_nothing_is_checked():
    assert working_time_breaches({D(2025, 6, 1): Decimal(12)}, day=D(2025, 6, 1)) == []
