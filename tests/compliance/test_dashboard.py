"""The compliance dashboard (``compliance.assessments.dashboard``): what it counts for a small
world, who may open it, its queries at two sizes, the trend chart's markup, and the grievances
it shows late as the GRIEVANCES rule reckons them."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from compliance.assessments import selectors
from compliance.assessments.dashboard import trend_svg
from core.formatting import format_day
from core.testing.twofactor import login_with_second_factor
from tests.brand.builders import build_home
from tests.compliance.dashboard_builders import (
    build_dashboard_world,
    build_grievance,
    build_more_partners,
    build_thresholds,
)
from tests.compliance.office_builders import staff
from tests.workshops.builders import build_partner, build_worker

pytestmark = pytest.mark.django_db
URL = "/admin/compliance/dashboard/"
DAY = datetime.timedelta(days=1)


@pytest.fixture
def auditor():
    build_home()
    return staff("auditor")


def page(client, user):
    login_with_second_factor(client, user)
    response = client.get(URL)
    assert response.status_code == 200
    return response, BeautifulSoup(response.content, "html.parser")


def table_rows(soup, caption_start: str) -> list[list[str]]:
    caption = next(c for c in soup.find_all("caption") if c.text.strip().startswith(caption_start))
    return [
        [" ".join(cell.get_text(" ", strip=True).split()) for cell in row.find_all(["th", "td"])]
        for row in caption.find_parent("table").find("tbody").find_all("tr")
    ]


def test_the_url_and_its_name():
    assert reverse("compliance_dashboard") == URL


def test_every_partner_and_workshop_with_its_status_latest_assessment_and_open_findings(
    client, auditor
):
    build_dashboard_world(auditor)
    today = timezone.localdate()

    _, soup = page(client, auditor)

    assert table_rows(soup, "Every partner's") == [
        # Acme's AS-A2: HOURS_DAY 2 critical (one closed), WAGE_FLOOR and GRIEVANCES major,
        # REST_DAY minor → open 1 critical, 2 major, 1 minor
        ["Acme", "suspended", format_day(today - 40 * DAY),
         f"AS-A2 , {format_day(today - 40 * DAY)} , signed", "1", "2", "1"],
        ["Fairco", "compliant", format_day(today - 20 * DAY),
         f"AS-F1 , {format_day(today - 20 * DAY)} , signed", "0", "0", "1"],
    ]  # fmt: skip
    assert table_rows(soup, "Every workshop's") == [
        # in progress: its open findings show, its status waits for the sign-off
        ["Workshop bakery-north", "not yet assessed", "—",
         f"AS-W1 , {format_day(today - 3 * DAY)} , in progress", "0", "2", "0"],
    ]  # fmt: skip


def test_the_open_findings_by_rule_and_severity_of_each_current_assessment(client, auditor):
    world = build_dashboard_world(auditor)

    _, soup = page(client, auditor)

    assert table_rows(soup, "Open findings of AS-A2") == [
        ["HOURS_DAY", "1", "0", "0", "1"],
        ["GRIEVANCES", "0", "1", "0", "1"],
        ["WAGE_FLOOR", "0", "1", "0", "1"],
        ["REST_DAY", "0", "0", "1", "1"],
    ]
    assert table_rows(soup, "Open findings of AS-F1") == [["REST_DAY", "0", "0", "1", "1"]]
    assert table_rows(soup, "Open findings of AS-W1") == [["FITNESS", "0", "2", "0", "2"]]
    # a count drills down to the check's findings of that rule and severity
    check = world["a2"].check_run_id
    link = soup.find("a", href=f"/admin/compliance/compliancecheck/{check}/findings/"
                     "?code=WAGE_FLOOR&severity=major")  # fmt: skip
    assert link.text == "1"


def test_the_overdue_corrective_actions(client, auditor):
    world = build_dashboard_world(auditor)
    due = timezone.localdate() - 10 * DAY

    _, soup = page(client, auditor)

    assert table_rows(soup, "Open corrective actions due before") == [
        ["AS-A2", "Acme", "WAGE_FLOOR (major)", "Site manager", format_day(due), "10"]
    ]
    finding = world["overdue"].finding
    assert (
        soup.find(
            "a",
            href=f"/admin/compliance/compliancecheck/{finding.check_run_id}/findings/{finding.pk}/",
        ).text
        == "WAGE_FLOOR"
    )


def test_the_grievances_unanswered_past_their_time_by_worker_reference_only(client, auditor):
    world = build_dashboard_world(auditor)
    received = timezone.localdate() - 45 * DAY

    response, soup = page(client, auditor)

    assert table_rows(soup, "Grievances not answered by") == [
        ["W-000001", "Acme", "working time", format_day(received), "30", "15"]
    ]
    assert soup.find("a", href=f"/admin/compliance/grievance/inspect/{world['late'].pk}/")
    assert b"Legal W-000001" not in response.content
    assert b"PW-000001" not in response.content


def test_the_trend_chart_is_an_inline_svg_with_its_title_and_description(client, auditor):
    build_dashboard_world(auditor)
    today = timezone.localdate()

    _, soup = page(client, auditor)

    svgs = soup.find_all("svg", class_="bw-trend")
    assert len(svgs) == 3  # the partners and the workshop that were assessed
    acme = next(svg for svg in svgs if "Acme" in svg.find("title").text)
    assert acme["role"] == "img"
    assert acme.find("title").text == "Findings of the last assessments of Acme"
    assert acme.find("desc").text == (
        f"AS-A1, {format_day(today - 200 * DAY)} (superseded): 1 critical, 2 major, 0 minor; "
        f"AS-A2, {format_day(today - 40 * DAY)} (signed): 2 critical, 2 major, 1 minor."
    )
    assert acme["aria-labelledby"] == " ".join([acme.find("title")["id"], acme.find("desc")["id"]])
    # the totals written as text above the bars, oldest first; no raster image anywhere
    assert [text.text for text in acme.find_all("text")][::2] == ["3", "5"]
    assert soup.find("img", src=lambda src: src and "chart" in src) is None


def test_the_trend_keeps_the_last_five_assessments_oldest_first(auditor):
    from tests.compliance.dashboard_builders import build_assessment

    partner = build_partner("acme")
    for number in range(7):
        build_assessment(
            partner,
            auditor=auditor,
            reference=f"AS-{number}",
            findings=[("HOURS_DAY", "minor")] * number,
            status="superseded" if number < 6 else "signed",
            outcome="compliant",
            days_ago=70 - number * 10,
        )

    (row,), _ = selectors.subjects()

    assert [summary.reference for summary in row.trend] == ["AS-2", "AS-3", "AS-4", "AS-5", "AS-6"]
    assert [summary.total for summary in row.trend] == [2, 3, 4, 5, 6]
    assert "<title" in trend_svg(row)


def test_an_empty_country_shows_every_section_empty(client, auditor):
    _, soup = page(client, auditor)

    text = soup.get_text(" ", strip=True)
    assert "No corrective action is overdue." in text
    assert "No partner or workshop has been assessed yet." in text


@pytest.mark.parametrize("role", ["supervisor", "finance", "editor", "fulfilment"])
def test_other_roles_are_refused_as_wagtail_refuses_staff(client, role):
    """``PermissionDenied`` (403) becomes Wagtail's answer to staff who may not enter an admin
    area: back to the admin's home with "Sorry, you do not have permission…" (the matrix's
    "home", as for every other admin screen)."""
    build_home()
    build_dashboard_world(staff("auditor"))
    login_with_second_factor(client, staff(role))

    response = client.get(URL, follow=True)

    assert response.redirect_chain == [("/admin/", 302)]
    assert "Sorry, you do not have permission to access this area." in response.content.decode()
    assert "AS-A2" not in response.content.decode()


def test_the_view_itself_refuses_with_permission_denied(rf):
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied

    from compliance.assessments.dashboard import dashboard

    request = rf.get(URL)
    request.user = staff("finance")
    with pytest.raises(PermissionDenied):
        dashboard(request)
    request.user = AnonymousUser()
    with pytest.raises(PermissionDenied):
        dashboard(request)


def test_programme_managers_see_it(client):
    build_home()
    manager = staff("programme")

    response, _ = page(client, manager)

    assert response.status_code == 200


def test_the_menu_item_is_in_the_compliance_menu_for_those_who_may_read_it(client, auditor):
    build_home()
    login_with_second_factor(client, auditor)
    assert URL in client.get("/admin/").content.decode()

    other = staff("finance")
    client.logout()
    login_with_second_factor(client, other)
    assert URL not in client.get("/admin/").content.decode()


def count_queries(client, user) -> int:
    login_with_second_factor(client, user)
    client.get(URL)  # warm-up: session, permissions, menus
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL)
    assert response.status_code == 200
    return len(captured)


def read_everything() -> int:
    """The dashboard's reads, counted: 4 for the partners and workshops (assessments ranked,
    findings grouped, partners, workshops), 1 for the overdue actions, 2 for the grievances."""
    today = timezone.localdate()
    with CaptureQueriesContext(connection) as captured:
        partners, workshops = selectors.subjects()
        actions = selectors.overdue_actions(today)
        late = selectors.late_grievances(today)
        for row in (*partners, *workshops):
            for summary in row.trend:
                summary.open_by_rule()
        shown = [(str(action.assessment.subject), action.finding.code) for action in actions]
    assert (len(partners), len(shown), len(late)) == (len(workshops), len(partners), len(partners))
    return len(captured)


def test_the_same_queries_at_two_and_six_partners(client, auditor):
    build_thresholds(30)
    build_more_partners(auditor, 2)
    at_two = count_queries(client, auditor), read_everything()

    build_more_partners(auditor, 4, start=2)
    at_six = count_queries(client, auditor), read_everything()

    assert len(selectors.subjects()[0]) == 6
    assert at_two[1] == at_six[1] == 7
    assert at_two[0] == at_six[0]


def test_late_grievances_follow_the_thresholds_in_force_when_received(auditor):
    from compliance.models import ComplianceThresholds

    today = timezone.localdate()
    build_thresholds(30)
    ComplianceThresholds.objects.create(effective_from=today - 20 * DAY, grievance_answer_days=5)
    worker = build_worker("W-000002")
    partner = build_partner("acme")
    build_grievance(worker, days_ago=31, partner=partner)  # 30 days then: 1 late
    build_grievance(worker, days_ago=30, partner=partner)  # on its last day: in time
    build_grievance(worker, days_ago=8, partner=partner)  # 5 days now: 3 late
    build_grievance(worker, days_ago=40, partner=partner, answered=True)

    late = selectors.late_grievances(today)

    assert [(g.days_open, g.limit_days, g.days_late) for g in late] == [(8, 5, 3), (31, 30, 1)]
