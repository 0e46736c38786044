"""The back-office screens of pay runs (``wages.payruns.views``, ``wages.payruns.admin``) and
the rule of the pay policy's edit form (``wages.pay.admin.PayPolicyForm``) that a policy a run
was calculated with no longer changes.

The runs are those of ``tests.wages.payrun_builders``: a prison's week of November 2026, paid under
a policy of family 10 %, release savings 20 % and victims' fund 5 %, calculated by one finance
officer (``calculator``) and approved by another (``approver``). Every refused request is checked
to leave every row as it was (``everything()``).
"""

import datetime
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.forms import MultiWidget
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from core.testing.twofactor import login_with_second_factor
from tests.brand.builders import build_home
from tests.wages.payrun_builders import (
    WEEK_1,
    WEEK_2,
    D,
    approved,
    attend,
    build_finance_officer,
    build_pay_world,
    calculated,
    draft,
    everything,
    locks,
    posted,
    record,
)
from wages.models import PayAllocation, PayPolicy, PayRun, PayRunLine
from wages.payruns import calculate_pay_run, cancel_pay_run
from wages.payruns.line_display import warning_text
from workshops.models import Worker

pytestmark = pytest.mark.django_db

RUNS = "/admin/wages/payrun/"
RUN_1 = "PR-north-prison-2026-11-02"
NOT_ALLOWED = "Sorry, you do not have permission to access this area."
OWN_NOTE = "You calculated this run: another finance officer must approve it."


@pytest.fixture(autouse=True)
def home():
    """The admin's home page, where Wagtail sends a refused user, needs a site."""
    return build_home()


def signed_in(client, user):
    login_with_second_factor(client, user)
    return user


def page_url(run) -> str:
    return f"{RUNS}inspect/{run.pk}/"


def step_url(run, action: str) -> str:
    return f"{RUNS}{run.pk}/{action}/"


def shown(response) -> list[str]:
    """The messages a page shows (Wagtail's carry trailing blank lines)."""
    return [str(message).strip() for message in response.context["messages"]]


def steps(response) -> list[str]:
    """The steps a run's page offers, as the actions its forms post to."""
    return re.findall(r'action="/admin/wages/payrun/\d+/([a-z]+)/"', response.text)


class _Rows(HTMLParser):
    """The cells of the table of lines; several values in one cell are joined by " | "."""

    def __init__(self):
        super().__init__()
        self.rows, self.cell, self.body = [], None, False

    def handle_starttag(self, tag, attrs):
        if tag == "tbody":
            self.body = True
        elif self.body and tag == "tr":
            self.rows.append([])
        elif self.body and tag in ("td", "th"):
            self.cell = [""]
        elif self.cell is not None and tag in ("p", "br"):
            self.cell.append("")

    def handle_endtag(self, tag):
        if tag == "tbody":
            self.body = False
        elif self.cell is not None and tag in ("td", "th"):
            parts = (" ".join(part.split()) for part in self.cell)
            self.rows[-1].append(" | ".join(part for part in parts if part))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell[-1] += data


def rows(response) -> list[list[str]]:
    """The table of lines: the rows under "Pay of each worker", none when there is no table."""
    start = response.text.find('aria-label="Pay of each worker"')
    if start == -1:
        return []
    parser = _Rows()
    parser.feed(response.text[start : response.text.index("</table>", start)])
    return parser.rows


def week_of_work(pay) -> None:
    """W-000000 in tailoring, no warning; W-000001 over the day's limit in the crew and below
    the floor there and for the partner (the worked example of ``tests.wages.payrun_examples``,
    without training)."""
    first, second = pay.workers
    record(pay, first, pay.tailoring, D(2026, 11, 2), "6", 40)
    record(pay, second, pay.crew, D(2026, 11, 2), "9", breaches="HOURS_DAY", supervisor_note="Rush")
    record(pay, second, pay.bakery, D(2026, 11, 3), "4", 10)


def status_of(run) -> str:
    return PayRun.objects.values_list("status", flat=True).get(pk=run.pk)


# Creating a run


def test_a_finance_officer_creates_a_run_and_is_taken_to_its_page(client, pay_world):
    signed_in(client, pay_world.calculator)

    response = client.post(
        f"{RUNS}new/",
        {"prison": pay_world.prison.pk, "period_start": "2026-11-02", "period_end": "2026-11-08"},
        follow=True,
    )

    run = PayRun.objects.get()
    assert response.redirect_chain == [(page_url(run), 302)]
    assert shown(response) == [f"Pay run {RUN_1} created: calculate it next."]
    assert (run.reference, run.status, run.period_start, run.period_end, run.created_by) == (
        RUN_1,
        "draft",
        *WEEK_1,
        pay_world.calculator,
    )
    assert steps(response) == ["calculate", "cancel"]
    assert rows(response) == []


@pytest.mark.parametrize(
    ("start", "end", "error"),
    [
        (
            "2026-11-08",
            "2026-11-14",
            f"Pay run {RUN_1} already covers Nov 2, 2026 to Nov 8, 2026 for North Prison: "
            "cancel it or choose another period.",
        ),
        ("2026-11-14", "2026-11-09", "A pay run's last day is on or after its first."),
    ],
)
def test_a_period_overlapping_another_run_or_out_of_order_is_refused_on_the_form(
    client, pay_world, start, end, error
):
    draft(pay_world)
    signed_in(client, pay_world.calculator)
    before = everything()

    response = client.post(
        f"{RUNS}new/", {"prison": pay_world.prison.pk, "period_start": start, "period_end": end}
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [error]
    assert escape(error) in response.text
    assert everything() == before


# Calculating, approving and posting


def test_calculating_shows_each_workers_pay_with_warnings_first_and_in_words(client, pay_world):
    week_of_work(pay_world)
    run = draft(pay_world)
    signed_in(client, pay_world.calculator)

    response = client.post(step_url(run, "calculate"), follow=True)

    assert response.redirect_chain == [(page_url(run), 302)]
    assert shown(response) == [f"Pay run {RUN_1} calculated: 2 workers."]
    assert status_of(run) == "calculated"
    # Worker, hours, gross, own spending (what is left after family, release savings and
    # victims' fund), warnings: what fits a 1024 px tablet; the rest is on each line's page.
    assert rows(response) == [
        [
            "W-000001",
            "13.00",
            "€43.20",
            "€28.08",
            "Below the wage floor (own workshops): €1.80 an hour against €2.25; €4.05 owed as "
            "back wages. | Below the market wage for Bakery (Acme): €6.75 an hour against "
            "€7.00; €1.00 owed as back wages. | Hours over the working-time limits on 1 day(s).",
        ],
        ["W-000000", "6.00", "€17.00", "€11.05", ""],
    ]
    assert (
        "Gross pay</dt><dd>€60.20</dd>" in response.text
    )  # money with its currency (core.formatting)
    assert OWN_NOTE in response.text
    assert steps(response) == ["calculate", "cancel"]
    assert ">Recalculate</button>" in response.text


def test_lines_with_warnings_come_first_each_in_worker_order(client, pay_world):
    first, second = pay_world.workers
    record(pay_world, first, pay_world.crew, D(2026, 11, 2), "8")  # below the floor: own
    record(pay_world, second, pay_world.bakery, D(2026, 11, 3), "10")  # below it: the partner
    run = calculated(pay_world)
    signed_in(client, pay_world.approver)

    response = client.get(page_url(run))

    assert [(row[0], row[-1][:27]) for row in rows(response)] == [
        ("W-000000", "Below the wage floor (own w"),
        ("W-000001", "Below the market wage for B"),
    ]


def test_another_finance_officer_sees_approve_and_no_note(client, pay_world):
    week_of_work(pay_world)
    run = calculated(pay_world)
    signed_in(client, pay_world.approver)

    response = client.get(page_url(run))

    assert response.status_code == 200
    assert steps(response) == ["calculate", "approve", "cancel"]
    assert OWN_NOTE not in response.text


def test_the_officer_who_calculated_a_run_is_refused_approving_it(client, pay_world):
    week_of_work(pay_world)
    run = calculated(pay_world)
    signed_in(client, pay_world.calculator)
    before = everything()

    response = client.post(step_url(run, "approve"), follow=True)

    assert response.redirect_chain == [(page_url(run), 302)]
    assert shown(response) == [
        "You calculated this pay run: another finance officer must approve it."
    ]
    assert status_of(run) == "calculated"
    assert everything() == before


def test_another_officer_approves_then_posts_and_no_step_is_left(client, pay_world):
    week_of_work(pay_world)
    run = calculated(pay_world)
    signed_in(client, pay_world.approver)

    approving = client.post(step_url(run, "approve"), follow=True)
    approved_status = status_of(run)
    posting = client.post(step_url(run, "post"), follow=True)

    assert approving.redirect_chain == [(page_url(run), 302)]
    assert shown(approving) == [f"Pay run {RUN_1} approved: it can be posted."]
    assert approved_status == "approved"
    assert steps(approving) == ["post", "cancel"]
    assert ">Post to the ledger</button>" in approving.text
    assert posting.redirect_chain == [(page_url(run), 302)]
    assert shown(posting) == [f"Pay run {RUN_1} posted to the ledger."]
    run.refresh_from_db()
    assert (run.status, run.approved_by, run.posted_by, run.chain.name) == (
        "posted",
        pay_world.approver,
        pay_world.approver,
        f"payrun:{RUN_1}",
    )
    assert steps(posting) == []
    assert "Cancel this pay run" not in posting.text
    assert len(rows(posting)) == 2


@pytest.mark.parametrize(
    ("state", "action", "message"),
    [
        ("draft", "approve", f"Pay run {RUN_1} is draft: only a calculated run is approved."),
        ("calculated", "post", f"Pay run {RUN_1} is calculated: only an approved run is posted."),
        (
            "approved",
            "calculate",
            f"Pay run {RUN_1} is approved: only a draft or calculated run is calculated.",
        ),
    ],
)
def test_a_step_the_runs_state_does_not_allow_is_refused_with_the_reason(
    client, pay_world, state, action, message
):
    week_of_work(pay_world)
    run = {"draft": draft, "calculated": calculated, "approved": approved}[state](pay_world)
    signed_in(client, pay_world.approver)
    before = everything()

    response = client.post(step_url(run, action), follow=True)

    assert response.redirect_chain == [(page_url(run), 302)]
    assert shown(response) == [message]
    assert everything() == before


# Cancelling


@pytest.mark.parametrize("data", [{}, {"reason": ""}, {"reason": "   "}])
def test_cancelling_without_a_reason_is_refused(client, pay_world, data):
    week_of_work(pay_world)
    run = calculated(pay_world)
    signed_in(client, pay_world.calculator)
    before = everything()

    response = client.post(step_url(run, "cancel"), data, follow=True)

    assert response.redirect_chain == [(page_url(run), 302)]
    assert shown(response) == ["Say why the pay run is cancelled."]
    assert everything() == before


def test_cancelling_with_a_reason_frees_the_records(client, pay_world):
    week_of_work(pay_world)
    run = calculated(pay_world)
    locked = set(locks().values())
    signed_in(client, pay_world.calculator)

    response = client.post(step_url(run, "cancel"), {"reason": "Wrong week"}, follow=True)

    assert response.redirect_chain == [(page_url(run), 302)]
    assert shown(response) == [f"Pay run {RUN_1} cancelled; its records are free again."]
    run.refresh_from_db()
    assert (run.status, run.cancelled_by, run.cancel_reason) == (
        "cancelled",
        pay_world.calculator,
        "Wrong week",
    )
    assert (locked, set(locks().values())) == ({RUN_1}, {None})
    assert ": Wrong week</dd>" in response.text
    assert steps(response) == []


# Who may do what


def test_an_auditor_sees_the_runs_and_is_refused_every_step(client, pay_world):
    week_of_work(pay_world)
    run = calculated(pay_world)
    signed_in(client, build_finance_officer("reader", "auditor"))
    before = everything()

    listing = client.get(RUNS)
    page = client.get(page_url(run))
    answers = {
        action: client.post(step_url(run, action), {"reason": "Audit"}, follow=True)
        for action in ("calculate", "approve", "post", "cancel")
    }
    adding = client.get(f"{RUNS}new/")

    assert (listing.status_code, page.status_code) == (200, 200)
    assert f'{page_url(run)}"' in listing.text
    assert (steps(page), len(rows(page))) == ([], 2)
    assert OWN_NOTE not in page.text
    assert {
        action: (answer.redirect_chain, shown(answer)) for action, answer in answers.items()
    } == {
        action: ([("/admin/", 302)], [NOT_ALLOWED])
        for action in ("calculate", "approve", "post", "cancel")
    }
    assert (adding.status_code, adding.url) == (302, "/admin/")
    assert everything() == before


@pytest.mark.parametrize("role", ["supervisor", "programme", "editor", "fulfilment"])
def test_roles_without_pay_runs_are_refused_the_list_the_page_and_the_steps(
    client, pay_world, role
):
    run = calculated(pay_world)
    signed_in(client, build_finance_officer("other", role))
    before = everything()

    listing = client.get(RUNS, follow=True)
    page = client.get(page_url(run))
    cancelling = client.post(step_url(run, "cancel"), {"reason": "No"})

    assert (listing.redirect_chain, shown(listing)) == ([("/admin/", 302)], [NOT_ALLOWED])
    assert (page.status_code, page.url) == (302, "/admin/")
    assert (cancelling.status_code, cancelling.url) == (302, "/admin/")
    assert everything() == before


def test_a_finance_officer_without_the_second_factor_is_sent_to_enrol(client, pay_world):
    run = calculated(pay_world)
    client.force_login(pay_world.approver)
    before = everything()

    response = client.post(step_url(run, "approve"))

    assert (response.status_code, response.url) == (
        302,
        f"/admin/2fa/setup/?next=%2Fadmin%2Fwages%2Fpayrun%2F{run.pk}%2Fapprove%2F",
    )
    assert everything() == before


def test_an_unknown_step_is_refused(client, pay_world):
    run = calculated(pay_world)
    signed_in(client, pay_world.approver)
    before = everything()

    response = client.post(step_url(run, "delete"), follow=True)

    assert (response.redirect_chain, shown(response)) == ([("/admin/", 302)], [NOT_ALLOWED])
    assert everything() == before


def test_steps_are_only_posted_and_only_to_a_run_that_exists(client, pay_world):
    run = calculated(pay_world)
    signed_in(client, pay_world.approver)
    before = everything()

    getting = client.get(step_url(run, "approve"))
    missing = client.post(f"{RUNS}{run.pk + 1}/approve/", follow=True)

    assert getting.status_code == 405
    # Django's LocaleMiddleware tries the language's prefix before answering "not found".
    assert (missing.redirect_chain, missing.status_code) == (
        [(f"/en{RUNS}{run.pk + 1}/approve/", 302)],
        404,
    )
    assert everything() == before


def test_runs_are_never_edited_or_deleted_on_the_admin_screens(client, pay_world):
    run = calculated(pay_world)
    signed_in(client, pay_world.approver)
    before = everything()

    answers = [
        (response.status_code, response.url)
        for response in (
            client.get(f"{RUNS}edit/{run.pk}/"),
            client.post(f"{RUNS}edit/{run.pk}/", {"period_end": "2026-11-09"}),
            client.post(f"{RUNS}delete/{run.pk}/"),
        )
    ]

    assert answers == [(302, "/admin/")] * 3
    assert everything() == before


# The page of a run


def test_the_page_of_a_run_makes_as_many_queries_for_10_workers_as_for_2(
    client, django_assert_num_queries
):
    pay = build_pay_world(workers=10)
    for period, workers in ((WEEK_1, pay.workers[:2]), (WEEK_2, pay.workers)):
        for worker in workers:  # own and partner pay, below the partner's market wage
            record(pay, worker, pay.tailoring, period[0], "6", 40)
            record(pay, worker, pay.bakery, period[0] + datetime.timedelta(days=1), "4", 10)
    small, large = calculated(pay, WEEK_1), calculated(pay, WEEK_2)
    signed_in(client, pay.approver)
    client.get(page_url(small))
    client.get(page_url(large))

    with CaptureQueriesContext(connection) as for_2:
        two = client.get(page_url(small))
    with django_assert_num_queries(len(for_2.captured_queries)):
        ten = client.get(page_url(large))

    assert (len(rows(two)), len(rows(ten))) == (2, 10)
    assert all("Below the market wage for Bakery (Acme)" in row[-1] for row in rows(ten))


def test_more_than_100_lines_are_shown_100_to_a_page(client, pay_world):
    run = calculated(pay_world)  # nothing worked: no line of its own
    workers = Worker.objects.bulk_create(
        Worker(reference=f"W-9{n:05d}", legal_name=f"Worker {n}", prison_number=f"P-9{n:05d}")
        for n in range(101)
    )
    PayRunLine.objects.bulk_create(
        PayRunLine(run=run, worker=worker, gross=Decimal(1), own_spending=Decimal(1))
        for worker in workers
    )
    signed_in(client, pay_world.approver)

    first = client.get(page_url(run))
    second = client.get(page_url(run), {"page": 2})

    assert [row[0] for row in rows(first)] == [f"W-9{n:05d}" for n in range(100)]
    assert "Page 1 of 2" in first.text
    assert 'href="?page=2">Next</a>' in first.text
    assert ">Previous</a>" not in first.text
    assert [row[0] for row in rows(second)] == ["W-900100"]
    assert "Page 2 of 2" in second.text
    assert 'href="?page=1">Previous</a>' in second.text
    assert ">Next</a>" not in second.text


@pytest.mark.parametrize(
    ("warning", "text"),
    [
        (
            {
                "code": "below_floor",
                "payer": "partner:7",
                "hourly": "6.50",
                "floor": "7.00",
                "owed": "5.00",
            },
            "Below the wage floor (Acme): 6.50 an hour against 7.00; 5.00 owed as back wages.",
        ),
        (
            {
                "code": "below_floor",
                "payer": "partner:7",
                "trade": 4,
                "hourly": "6.50",
                "floor": "7.00",
                "owed": "5.00",
            },
            "Below the market wage for Joinery (Acme): 6.50 an hour against 7.00; 5.00 owed as "
            "back wages.",
        ),
        ({"code": "over_limit", "days": 2}, "Hours over the working-time limits on 2 day(s)."),
        (
            {"code": "late_records", "days": 3},
            "Includes work of 3 day(s) before the period, recorded late.",
        ),
        (
            {"code": "late_training", "days": 1},
            "Includes training of 1 day(s) before the period, recorded late.",
        ),
        (
            {"code": "no_benchmark", "trade": 4},
            "No market wage benchmark for Joinery in this region: floor not checked.",
        ),
        (
            {"code": "recovery_postponed", "amount": "12.50"},
            "Adjustments of 12.50 exceed this pay: recovered in a later run instead.",
        ),
        ({"code": "something_new"}, "something_new"),
    ],
)
def test_each_warning_is_said_in_words(warning, text):
    assert warning_text(warning, {"partner:7": "Acme", "trade:4": "Joinery"}) == text


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
            "Nov 4, 2026",
            "W-000000 · bakery-1",
            "Workshop tailoring-north",
            "1.00",
            "A. Trainer",
            "",
            "",
        ],
        [
            "Nov 3, 2026",
            "W-000000 · bakery-1",
            "Workshop tailoring-north",
            "2.00",
            "A. Trainer",
            "",
            RUN_1,
        ],
    ]


def summary(response) -> dict[str, str]:
    """The run's summary lists: each term and its value."""
    soup = BeautifulSoup(response.text, "html.parser")
    return {
        " ".join(div.dt.get_text().split()): " ".join(div.dd.get_text().split())
        for div in soup.select("dl.bw-summary > div")
    }


def test_the_run_says_how_many_records_and_sessions_it_pays_until_cancelled(client, pay_world):
    first = pay_world.workers[0]
    record(pay_world, first, pay_world.tailoring, D(2026, 11, 2), "6", 40)
    record(pay_world, first, pay_world.tailoring, D(2026, 11, 3), "5", 10)
    attend(pay_world, first, D(2026, 11, 4), "2")
    run = draft(pay_world)
    signed_in(client, pay_world.calculator)
    assert "Production records it pays" not in summary(client.get(page_url(run)))

    run = calculate_pay_run(run, user=pay_world.calculator)
    shown_summary = summary(client.get(page_url(run)))

    assert (
        shown_summary["Production records it pays"],
        shown_summary["Training sessions it pays"],
    ) == ("2", "1")
    cancel_pay_run(run, user=pay_world.calculator, reason="Wrong week")
    assert "Production records it pays" not in summary(client.get(page_url(run)))


def test_approving_confirms_with_the_totals_and_cancelling_asks_its_reason_in_its_dialog(
    client, pay_world
):
    week_of_work(pay_world)
    run = calculated(pay_world)
    signed_in(client, pay_world.approver)

    page = client.get(page_url(run)).text

    approve = page[page.index('id="confirm-approve"') :]
    approve = approve[: approve.index("</template>")]
    assert "Approve this pay run?" in approve
    assert f"<dd>{run.reference}</dd>" in approve
    assert f"Workers</dt><dd>{run.workers}</dd>" in approve
    assert f"Gross pay</dt><dd>€{run.gross}</dd>" in approve
    assert f"Warnings</dt><dd>{run.warnings}</dd>" in approve
    assert f'action="{step_url(run, "approve")}"' in approve
    assert 'data-a11y-dialog-show="confirm-approve"' in page
    cancel = page[page.index('id="confirm-cancel"') :]
    cancel = cancel[: cancel.index("</template>")]
    assert 'name="reason" maxlength="300" required' in cancel
    assert f'action="{step_url(run, "cancel")}"' in cancel
