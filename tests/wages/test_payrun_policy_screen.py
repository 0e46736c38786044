"""The rule of the pay policy's edit form (``wages.pay.admin.PayPolicyForm``) that a policy a run
was calculated with no longer changes, and the attendance listing saying which run pays each
session.

Every refused request is checked to leave every row as it was (``everything()``).
"""

from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.forms import MultiWidget

from tests.brand.builders import build_home
from tests.wages.payrun_builders import (
    D,
    approved,
    attend,
    calculated,
    everything,
    posted,
    record,
)
from tests.wages.payrun_screens import (
    RUN_1,
    signed_in,
    week_of_work,
)
from wages.models import PayAllocation, PayPolicy
from wages.payruns import cancel_pay_run

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def home():
    """The admin's home page, where Wagtail sends a refused user, needs a site."""
    return build_home()


# The pay policy a run was calculated with


def resubmitted(form, **changes) -> dict:
    """The POST data of a Wagtail edit form as it was shown, its inline formsets included."""
    data = {}
    for each in [form, *(inline for formset in form.formsets.values() for inline in formset)]:
        for name, field in each.fields.items():
            key, value = each.add_prefix(name), each[name].value()
            if isinstance(field.widget, MultiWidget):
                for n, part in enumerate(field.widget.decompress(value)):
                    data[f"{key}_{n}"] = "" if part is None else part
            elif value is not None:
                data[key] = value
    for formset in form.formsets.values():
        management = formset.management_form
        data |= {management.add_prefix(name): value for name, value in management.initial.items()}
    return data | changes


def policy_rows() -> list:
    return [
        list(PayPolicy.objects.values_list("effective_from", "minimum_wage", "floor_share")),
        list(PayAllocation.objects.order_by("pk").values_list("category__code", "percentage")),
    ]


def edit_policy(client, pay) -> tuple[str, dict]:
    """The policy's edit page, and what its form posts with the minimum wage raised to 6.00."""
    url = f"/admin/wages/paypolicy/edit/{pay.policy.pk}/"
    return url, resubmitted(client.get(url).context["form"], minimum_wage_0="6.00")


@pytest.mark.parametrize("state", ["calculated", "approved", "posted"])
def test_a_policy_a_run_was_calculated_with_can_no_longer_change(client, pay_world, state):
    week_of_work(pay_world)
    {"calculated": calculated, "approved": approved, "posted": posted}[state](pay_world)
    signed_in(client, pay_world.approver)
    url, data = edit_policy(client, pay_world)
    before = (everything(), policy_rows())

    response = client.post(url, data)

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        f"Pay run {RUN_1} was calculated with this policy: it can no longer change. Add a new "
        "policy in effect from a later day instead."
    ]
    assert (everything(), policy_rows()) == before


def test_a_policy_changes_again_once_the_run_calculated_with_it_is_cancelled(client, pay_world):
    week_of_work(pay_world)
    run = calculated(pay_world)
    signed_in(client, pay_world.approver)
    url, data = edit_policy(client, pay_world)
    refused = client.post(url, data)
    cancel_pay_run(run, user=pay_world.approver, reason="Policy to correct")
    allocations = policy_rows()[1]

    accepted = client.post(url, data)

    assert (refused.status_code, accepted.status_code, accepted.url) == (
        200,
        302,
        "/admin/wages/paypolicy/",
    )
    assert policy_rows() == [[(D(2026, 1, 1), Decimal("6.0000"), Decimal("45.00"))], allocations]


def test_the_attendance_listing_tells_the_supervisor_which_run_pays_each_session(client, pay_world):
    first = pay_world.workers[0]
    record(pay_world, first, pay_world.tailoring, D(2026, 11, 2), "6", 40)
    attend(pay_world, first, D(2026, 11, 3), "2")
    calculated(pay_world)
    attend(pay_world, first, D(2026, 11, 4), "1")  # recorded after the calculation
    signed_in(client, pay_world.world.supervisor)

    response = client.get("/admin/workshops/trainingattendance/")

    assert response.status_code == 200
    table = BeautifulSoup(response.text, "html.parser").select("table.listing tbody tr")
    cells = [[" ".join(td.get_text().split()) for td in tr.select("td")] for tr in table]
    # day, worker and course, workshop, hours, trainer, breaches, paid by
    assert cells == [
        [
            "Nov 4, 2026 Inspect",
            "W-000000 · bakery-1",
            "Workshop tailoring-north",
            "1.00",
            "A. Trainer",
            "",
            "",
        ],
        [
            "Nov 3, 2026 Inspect",
            "W-000000 · bakery-1",
            "Workshop tailoring-north",
            "2.00",
            "A. Trainer",
            "",
            RUN_1,
        ],
    ]
