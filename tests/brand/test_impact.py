"""The impact page's figures against a small world computed by hand: six workers, one posted pay
run, a run calculated but not posted, training, and certificates in three trades; suppression of
small counts (with its complementary cells), of the women's share and of a period with fewer than
5 people; the page's charts and tables; the recompute when a run is posted or a certificate
issued; and the page served from the cache in a bounded number of queries."""

import datetime
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale

from brand.impact.figures import CACHE_KEY, compute, impact_figures, store, suppress
from brand.impact.tasks import recompute
from brand.models import ImpactPage
from tests.brand.builders import build_home
from tests.wages.payrun_builders import (
    WEEK_1,
    WEEK_2,
    WEEK_3,
    attend,
    build_pay_world,
    build_trade,
    calculated,
    posted,
    record,
)
from wages.models import PayRun
from workshops.models import (
    Assessment,
    Certificate,
    Course,
    Enrolment,
    TrainingAttendance,
    Worker,
)
from workshops.training.certificates import issue_certificate

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 11, 26)
ISSUED = D(2026, 11, 20)


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def pay():
    """Six workers in tailoring (own work: 2.00 an hour and 0.125 a piece; the floor is 45 % of
    5.00, 2.25). Week 1, each works 4 hours; worker n makes 8·n pieces, so earns 8 + n: per hour
    2.00, 2.25, 2.50, 2.75, 3.00, 3.25, median 2.625. Worker 0 also trains 2 hours (paid 1.00 an
    hour: not pay for work). Week 2, worker 0 works 2 more hours in a run calculated, not posted."""
    pay = build_pay_world(workers=6)
    for n, worker in enumerate(pay.workers):
        record(pay, worker, pay.tailoring, WEEK_1[0], "4", pieces=8 * n)
    attend(pay, pay.workers[0], WEEK_1[0] + datetime.timedelta(days=1), "2")
    posted(pay, WEEK_1)
    record(pay, pay.workers[0], pay.tailoring, WEEK_2[0], "2")
    calculated(pay, WEEK_2)
    return pay


def certificate(enrolment, issued_on=ISSUED, **fields) -> Certificate:
    return Certificate.objects.create(
        enrolment=enrolment,
        holder_name="Holder",
        content={},
        key_id="test",
        signature="x",
        issued_on=issued_on,
        issued_by=fields.pop("issued_by"),
        **fields,
    )


def certify(pay, trade, count: int, *, women: int, prefix: str) -> list[Certificate]:
    """``count`` certificates of a course in ``trade``, ``women`` of them held by women."""
    course = Course.objects.create(
        code=f"{prefix}-course",
        trade=trade,
        qualification=f"{trade.name} level 1",
        level="EQF level 2",
        awarding_body="National Vocational Authority",
        required_hours=Decimal(10),
        assessment="Practical test",
    )
    made = []
    for n in range(count):
        worker = Worker.objects.create(
            reference=f"C-{prefix}-{n}",
            legal_name=f"Legal {prefix} {n}",
            prison_number=f"P-{prefix}-{n}",
            sex=Worker.Sex.FEMALE if n < women else Worker.Sex.MALE,
        )
        enrolment = Enrolment.objects.create(worker=worker, course=course, enrolled_on=WEEK_1[0])
        made.append(certificate(enrolment, issued_by=pay.approver))
    return made


@pytest.fixture
def trades(pay):
    """Carpentry 3 certificates, welding 6, tailoring 8 (one more revoked, one reissued and
    counted once); women hold 1 + 1 + 2 = 4 of the 17 (fewer than 5: no share)."""
    carpentry = build_trade("carpentry", "Carpentry", "7115")
    welding = build_trade("welding", "Welding", "7212")
    tailoring = build_trade("tailoring", "Tailoring", "7531")
    certify(pay, carpentry, 3, women=1, prefix="ca")
    certify(pay, welding, 6, women=1, prefix="we")
    made = certify(pay, tailoring, 9, women=2, prefix="ta")
    made[-1].revoked_on, made[-1].revocation_reason = ISSUED, "Issued in error"
    made[-1].save()
    new = certificate(made[0].enrolment, issued_on=TODAY, issued_by=pay.approver)
    made[0].superseded_by = new
    made[0].save()
    return carpentry, welding, tailoring


def test_suppress_hides_small_counts_and_enough_others():
    assert suppress([3, 6, 8]) == [None, None, 8]
    assert suppress([5, 6, 8]) == [5, 6, 8]
    assert suppress([1, 1, 9, 7]) == [None, None, 9, None]  # two hidden cells add up to 2 only
    assert suppress([2, 3]) == [None, None]
    assert suppress([]) == []


def test_figures_against_the_hand_computed_world(pay, trades):
    figures = compute(TODAY)

    assert figures["computed_on"] == "2026-11-26"
    assert figures["floor"] == {"amount": "2.25", "currency": "EUR"}
    year, since_start = figures["periods"]["year"], figures["periods"]["all"]
    assert year["start"] == "2025-11-27"
    assert since_start["start"] is None
    for period in (year, since_start):
        assert period["work"] == {"suppressed": False, "people": 6, "hours": "26.00"}
        # 8 + 9 + … + 13 earned for work, and worker 0's 2 hours of training at 1.00; the run
        # calculated for week 2 is not posted and counts for nothing
        assert period["wages"] == {
            "suppressed": False,
            "paid": [{"currency": "EUR", "amount": "65.00"}],
            "per_hour": [{"currency": "EUR", "median": "2.63", "floor": "2.25"}],
        }
        # one person trained
        assert period["training"] == {"suppressed": True, "people": None, "hours": None}
        assert period["certificates"] == {
            "total": 17,
            "trades": [
                {"slug": "carpentry", "names": {"en": "Carpentry"}, "count": None},
                {"slug": "tailoring", "names": {"en": "Tailoring"}, "count": 8},
                {"slug": "welding", "names": {"en": "Welding"}, "count": None},
            ],
            "women_share": None,
        }


def test_the_womens_share_is_shown_with_5_women_and_5_men(pay, trades):
    Worker.objects.filter(reference__in=["C-ta-2", "C-we-3", "C-ca-2"]).update(sex="female")

    certificates = compute(TODAY)["periods"]["all"]["certificates"]

    assert certificates["women_share"] == "0.412"  # 7 of 17


def test_training_hours_with_five_trainees(pay):
    for worker in pay.workers[1:5]:
        attend(pay, worker, WEEK_2[0], "3")

    assert compute(TODAY)["periods"]["year"]["training"] == {
        "suppressed": False,
        "people": 5,
        "hours": "14.00",
    }


def test_a_period_with_fewer_than_5_people_shows_no_work_or_wages(pay):
    later = D(2027, 11, 23)  # its 12 months start on 24 November 2026
    for worker in pay.workers[:3]:
        record(pay, worker, pay.tailoring, D(2026, 11, 24), "3")

    periods = compute(later)["periods"]

    assert periods["year"]["work"] == {"suppressed": True, "people": None, "hours": None}
    assert periods["year"]["wages"] == {"suppressed": True, "paid": [], "per_hour": []}
    assert periods["all"]["work"] == {"suppressed": False, "people": 6, "hours": "35.00"}
    assert periods["all"]["wages"]["paid"] == [{"currency": "EUR", "amount": "65.00"}]


def test_cancelled_and_unposted_runs_pay_nothing(pay):
    PayRun.objects.filter(status=PayRun.Status.POSTED).update(status=PayRun.Status.CANCELLED)

    assert compute(TODAY)["periods"]["all"]["wages"]["paid"] == []


@pytest.fixture
def impact_page():
    home = build_home()
    page = ImpactPage(title="Our impact", slug="impact", intro="From the records.")
    home.add_child(instance=page)
    return page


def test_the_page_draws_each_chart_with_a_table_of_the_same_figures(
    client, pay, trades, impact_page
):
    store(compute(TODAY))

    document = BeautifulSoup(client.get("/en/impact/").content, "html.parser")

    section = document.select_one("section[aria-labelledby='impact-year']")
    figures = {
        each.dt.get_text(strip=True): each.dd.get_text(strip=True)
        for each in section.select("dl div")
    }
    assert figures == {
        "People who worked": "6",
        "Hours worked": "26",
        "Wages paid": "€65.00",
        "Median pay per hour of work": "€2.63",
        "Pay floor per hour in force": "€2.25",
        "People in training": "fewer than 5",
        "Hours of training": "fewer than 5",
        "Certificates issued": "17",
        "Women's share of certificates": "fewer than 5",
    }
    charts = section.select("figure")
    assert len(charts) == 2
    certificates, pay_chart = charts
    svg = certificates.select_one("svg[role=img]")
    title = svg.select_one("title")
    assert svg["aria-labelledby"] == title["id"]
    assert title.get_text() == "Certificates issued by trade, the last 12 months"
    assert [t.get_text() for t in svg.select("text")] == [
        "Carpentry",
        "fewer than 5",
        "Tailoring",
        "8",
        "Welding",
        "fewer than 5",
    ]
    assert len(svg.select("rect")) == 1  # the suppressed counts are not drawn
    table = certificates.select_one("table")
    assert table.caption.get_text() == title.get_text()
    assert [th.get_text() for th in table.select("thead th")] == ["Trade", "Certificates"]
    assert [[c.get_text() for c in row.select("th, td")] for row in table.select("tbody tr")] == [
        ["Carpentry", "fewer than 5"],
        ["Tailoring", "8"],
        ["Welding", "fewer than 5"],
    ]
    assert [t.get_text() for t in pay_chart.select("svg text")] == [
        "Median pay per hour",
        "€2.63",
        "Pay floor per hour",
        "€2.25",
    ]
    assert [
        [c.get_text() for c in row.select("th, td")] for row in pay_chart.select("tbody tr")
    ] == [
        ["Median pay per hour", "€2.63"],
        ["Pay floor per hour", "€2.25"],
    ]


def served_queries(client) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/en/impact/").status_code == 200
    return [query["sql"] for query in queries]


def test_the_page_reads_the_cache_in_the_same_queries_at_any_size(client, pay, trades, impact_page):
    client.get("/en/impact/")  # warm-up: computes and stores the figures on the miss
    assert cache.get(CACHE_KEY) is not None
    small = served_queries(client)
    certify(pay, build_trade("pottery", "Pottery", "7314"), 7, women=3, prefix="po")
    store(compute(TODAY))

    large = served_queries(client)

    records = [sql for sql in small + large if "wages_" in sql or "workshops_" in sql]
    assert records == []  # the figures come from the cache; the rest is the page's own
    assert len(small) == len(large) == 15


def test_posting_a_run_recomputes_the_figures(pay, django_capture_on_commit_callbacks):
    before = impact_figures()
    assert before["periods"]["all"]["wages"]["paid"] == [{"currency": "EUR", "amount": "65.00"}]
    for worker in pay.workers[1:]:
        record(pay, worker, pay.tailoring, WEEK_3[0], "1")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        posted(pay, WEEK_3)  # created, calculated and approved first: only posting recomputes

    assert callbacks.count(recompute.enqueue) == 1  # each recompute then empties the page cache
    after = cache.get(CACHE_KEY)
    # week 3: five workers, 1 hour (2.00) each
    assert after["periods"]["all"]["wages"]["paid"] == [{"currency": "EUR", "amount": "75.00"}]


def test_issuing_a_certificate_recomputes_the_figures(
    pay, trades, signing_key, django_capture_on_commit_callbacks
):
    assert impact_figures()["periods"]["all"]["certificates"]["trades"][0]["count"] is None
    carpentry = Course.objects.get(code="ca-course")
    ready = []
    for n in range(2):
        worker = Worker.objects.create(
            reference=f"C-new-{n}", legal_name="New", prison_number=f"P-new-{n}", sex="male"
        )
        enrolment = Enrolment.objects.create(worker=worker, course=carpentry, enrolled_on=WEEK_1[0])
        TrainingAttendance.objects.create(
            enrolment=enrolment,
            workshop=pay.tailoring,
            day=WEEK_1[0],
            hours=Decimal(10),
            trainer="T",
            recorded_by=pay.approver,
        )
        Assessment.objects.create(
            enrolment=enrolment, assessed_on=WEEK_1[1], outcome="passed", assessor="A"
        )
        ready.append(enrolment)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for enrolment in ready:
            issue_certificate(enrolment=enrolment, holder_name="New", user=pay.approver, on=ISSUED)

    assert callbacks.count(recompute.enqueue) == 2
    trades = cache.get(CACHE_KEY)["periods"]["all"]["certificates"]["trades"]
    assert [each["count"] for each in trades] == [5, 8, 6]


def test_trade_names_in_the_pages_language(pay, trades):
    carpentry = trades[0]
    french = Locale.objects.get_or_create(language_code="fr")[0]
    copy = carpentry.copy_for_translation(french)
    copy.name = "Menuiserie"
    copy.save()

    names = compute(TODAY)["periods"]["all"]["certificates"]["trades"][0]["names"]

    assert names == {"en": "Carpentry", "fr": "Menuiserie"}
