"""An assessment's report (compliance.assessments.report) and its charts
(compliance.assessments.charts), on the world of ``tests.compliance.report_builders``."""

import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from compliance.assessments.charts import (
    ShareRow,
    TradeRow,
    charts_for,
    context_of,
    gender_by_trade,
    hours_distribution,
    pay_against_floor,
    training_shares,
)
from compliance.assessments.report import TEMPLATE, render_report, report_context, report_view
from compliance.assessments.svg import Bin
from compliance.models import Assessment
from core.testing.tools import require_executable
from tests.compliance.report_builders import (
    FLOOR_DETAIL,
    OVERRIDE_REASON,
    add_finding_and_action_for_each_worker,
    add_findings,
    add_follow_up,
    build_assessment,
    build_auditor,
    build_pay_of,
    build_reader_without_permission,
    sign,
)
from tests.wages.payrun_builders import D

TODAY = D(2026, 12, 7)


def poppler(tool: str, *args) -> str:
    command = [require_executable(tool), *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def pdf_lines(pdf: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    text = poppler("pdftotext", path, "-")
    return [line.strip() for line in text.splitlines() if line.strip()]


@pytest.fixture
def world(db):
    pay = build_pay_of(2)
    auditor = build_auditor()
    assessment = build_assessment(pay, auditor)
    findings = add_findings(assessment, pay)
    return pay, auditor, assessment, findings


# The charts' data -------------------------------------------------------------------------------


def test_effective_pay_per_worker_against_the_floor(world):
    _pay, _auditor, assessment, _findings = world

    # 8 h × 2.10 = 16.80 earned over 8 h: 2.10 an hour; the floor 6.00 × 40 % = 2.40
    rows = pay_against_floor(context_of(assessment))

    assert [(r.worker, r.basis, r.hours, r.effective, r.floor) for r in rows] == [
        ("W-000000", "own", Decimal("8.00"), Decimal("2.1000"), Decimal("2.4000")),
        ("W-000001", "own", Decimal("8.00"), Decimal("2.1000"), Decimal("2.4000")),
    ]


def test_hours_per_day_and_week_with_the_policy_limits(world):
    _pay, _auditor, assessment, _findings = world

    hours = hours_distribution(context_of(assessment))

    # Tailoring on the 2nd (in scope): W-000000 8 h + 1 h training = 9 h, W-000001 8 h. Their
    # week also holds 8 h in the bakery on the 3rd: 17 h and 16 h.
    assert hours.day_limits == [Decimal(8)]
    assert hours.week_limits == [Decimal(40)]
    assert [(b.low, b.high, b.count) for b in hours.daily] == [
        (Decimal(n - 1), Decimal(n), {8: 1, 9: 1}.get(n, 0)) for n in range(1, 10)
    ]
    assert [b for b in hours.weekly if b.count] == [
        Bin(Decimal(12), Decimal(16), 1),
        Bin(Decimal(16), Decimal(20), 1),
    ]
    assert hours.weekly[-1] == Bin(Decimal(40), Decimal(44), 0)  # the axis reaches the limit


def test_training_share_per_worker_and_threshold(world):
    _pay, _auditor, assessment, _findings = world

    training = training_shares(context_of(assessment))

    # 1 h trained ÷ 8 h worked in tailoring = 12.50 %
    assert training.rows == [
        ShareRow("W-000000", Decimal("8.00"), Decimal("1.00")),
        ShareRow("W-000001", Decimal("8.00"), Decimal("0.00")),
    ]
    assert [row.share for row in training.rows] == [Decimal("12.50"), Decimal("0.00")]
    assert training.thresholds == [Decimal(10)]


def test_gender_by_trade_counts_distinct_workers(db):
    pay = build_pay_of(5)
    assessment = build_assessment(pay, build_auditor())

    # workers 0, 2, 4 women; 1, 3 men; all in tailoring
    assert gender_by_trade(context_of(assessment)) == [
        TradeRow(pay.tailoring.trade.name, women=3, men=2)
    ]


@pytest.mark.parametrize("workers", [5, 20])
def test_charts_run_a_fixed_number_of_queries(db, django_assert_num_queries, workers):
    pay = build_pay_of(workers)
    assessment = build_assessment(pay, build_auditor())

    with django_assert_num_queries(13):
        charts = charts_for(assessment)

    assert [chart.key for chart in charts] == [
        "pay",
        "hours-day",
        "hours-week",
        "training",
        "gender",
    ]


def test_charts_are_accessible_svg_naming_references_only(world):
    pay, _auditor, assessment, _findings = world

    charts = charts_for(assessment)

    for chart in charts:
        assert chart.svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" role="img" ')
        assert f'<title id="chart-{chart.key}-title">{chart.title}</title>' in chart.svg
        assert f'<desc id="chart-{chart.key}-desc">' in chart.svg
        assert "<image" not in chart.svg
        for worker in pay.workers:
            assert worker.legal_name not in chart.svg
            assert worker.prison_number not in chart.svg
    assert charts[0].description == (
        "Effective hourly pay of 2 workers (by reference) in the posted pay runs of the period, "
        "each against the floor of its work; 2 below it."
    )
    assert ">W-000000</text>" in charts[0].svg
    assert ">floor 2.40</text>" in charts[0].svg
    assert ">limit 8 h</text>" in charts[1].svg


def test_chart_text_is_escaped(world):
    pay, _auditor, assessment, _findings = world
    trade = pay.tailoring.trade
    trade.name = "Cut & <sew>"
    trade.save()

    [*_, gender] = charts_for(assessment)

    assert ">Cut &amp; &lt;sew&gt;</text>" in gender.svg
    assert "<sew>" not in gender.svg


@pytest.mark.parametrize("workers", [5, 20])
def test_report_reads_a_fixed_number_of_queries(db, django_assert_num_queries, workers):
    pay = build_pay_of(workers)
    auditor = build_auditor()
    assessment = build_assessment(pay, auditor)
    add_follow_up(assessment, add_findings(assessment, pay), auditor)
    add_finding_and_action_for_each_worker(assessment, pay, auditor)

    # the charts' 13; the assessment, what superseded it, the findings, the actions and their
    # closure evidence, the observations and their attachments, the responses
    with django_assert_num_queries(21):
        html = render_to_string(TEMPLATE, report_context(assessment, today=TODAY))

    assert html.count("Enrol on the course.") == workers


# The PDF ----------------------------------------------------------------------------------------


def test_signed_report_prints_outcome_reason_findings_actions_and_sign_off(world, tmp_path):
    pay, auditor, assessment, findings = world
    add_follow_up(assessment, findings, auditor)
    sign(assessment, auditor)

    lines = pdf_lines(render_report(assessment, user=auditor, language="en", today=TODAY), tmp_path)
    text = "\n".join(lines)

    assert "Assessment report" in lines
    assert "Outcome: Action required" in lines
    assert "Outcome the findings gave: Suspended" in lines
    assert f"Reason for another outcome: {OVERRIDE_REASON}" in text.replace("\n", " ")
    assert "Critical" in lines and "Major" in lines
    assert lines.index("Critical") < lines.index("Major")
    assert "WAGE_FLOOR — Effective pay at or above the wage floor" in lines
    assert FLOOR_DETAIL[:1].upper() + FLOOR_DETAIL[1:60] in text
    assert f"• wages.payrun #{pay.run.pk} — /admin/wages/payrun/inspect/{pay.run.pk}/" in lines
    assert "Overdue" in lines  # the floor's action, due on 30 November
    assert "Closed" in lines  # the hours' action
    assert "The rate sheet on the wall still shows 2.10." in lines
    assert "Attachments: rate-sheet.pdf, visit-notes.pdf" in lines
    assert "Closure evidence: timetable.pdf" in lines
    assert "Dec 1, 2026" in lines  # closed on
    assert "effective hourly: 2.1000" in lines
    assert "The new rate applies from the next pay run." in lines
    assert "Signed off by Ada Audit on Dec 3, 2026, 10:30 AM." in lines
    assert "Not signed yet — draft." not in lines
    for worker in pay.workers:
        assert worker.legal_name not in text
        assert worker.prison_number not in text


def test_report_charts_are_vector_text_not_images(world, tmp_path):
    _pay, auditor, assessment, _findings = world
    pdf = render_report(assessment, user=auditor, language="en", today=TODAY)
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)

    lines = pdf_lines(pdf, tmp_path)
    images = poppler("pdfimages", "-list", path).splitlines()

    assert images[2:] == []  # the two header lines, no image
    for title in (
        "Effective hourly pay against the floor, per worker",
        "Hours occupied per day",
        "Hours occupied per week",
        "Training hours as a share of hours worked, per worker",
        "Women and men per trade",
    ):
        assert title in lines
    assert "pay per hour" in lines
    assert "hours in the day" in lines


def test_unsigned_report_is_a_draft(world, tmp_path):
    _pay, auditor, assessment, _findings = world

    lines = pdf_lines(render_report(assessment, user=auditor, language="en", today=TODAY), tmp_path)

    assert "Not signed yet — draft. The outcome and the findings may still change." in lines
    assert "Not signed yet — draft." in lines  # in place of the sign-off
    assert "Outcome: not decided yet" in lines


def test_superseded_report_names_what_superseded_it(world, tmp_path):
    pay, auditor, assessment, _findings = world
    sign(assessment, auditor)
    assessment.status = Assessment.Status.SUPERSEDED
    assessment.save(update_fields=["status"])  # as signing the next one does
    later = build_assessment(pay, auditor, reference="AS-2026-0002")
    later.supersedes = assessment
    sign(later, auditor)

    lines = pdf_lines(render_report(assessment, user=auditor, language="en", today=TODAY), tmp_path)

    assert "Superseded by assessment AS-2026-0002, signed on Dec 3, 2026." in lines


def test_french_reader_gets_a_french_report(world, tmp_path):
    _pay, auditor, assessment, _findings = world

    pdf = render_report(assessment, user=auditor, language="fr", today=TODAY)

    lines = pdf_lines(pdf, tmp_path)
    # The headings the French catalogue already translates (the report's own are the lead's to
    # translate): the findings, the period, the dates as French writes them.
    assert "Constats" in lines
    assert "Période" in lines
    assert "01/11/2026 – 30/11/2026" in lines
    assert translation.get_language() == "en"


def test_arabic_report_renders(world, tmp_path):
    _pay, auditor, assessment, _findings = world

    lines = pdf_lines(render_report(assessment, user=auditor, language="ar", today=TODAY), tmp_path)

    assert "AS-2026-0001" in lines


def test_render_report_needs_the_view_permission(world):
    _pay, _auditor, assessment, _findings = world

    with pytest.raises(PermissionDenied):
        render_report(assessment, user=build_reader_without_permission(), language="en")


# The download -----------------------------------------------------------------------------------


def test_view_downloads_the_pdf_privately(world):
    _pay, auditor, assessment, _findings = world
    request = RequestFactory().get("/")
    request.user = auditor

    response = report_view(request, assessment.pk)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="assessment-AS-2026-0001.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    assert response.content.startswith(b"%PDF")


def test_view_refuses_a_user_without_permission(world):
    _pay, _auditor, assessment, _findings = world
    request = RequestFactory().get("/")
    request.user = build_reader_without_permission()

    with pytest.raises(PermissionDenied):
        report_view(request, assessment.pk)


def test_view_sends_an_anonymous_reader_to_log_in(world):
    from django.contrib.auth.models import AnonymousUser

    _pay, _auditor, assessment, _findings = world
    request = RequestFactory().get("/report/")
    request.user = AnonymousUser()

    response = report_view(request, assessment.pk)

    assert response.status_code == 302


def test_view_of_an_unknown_assessment_is_404(world):
    _pay, auditor, _assessment, _findings = world
    request = RequestFactory().get("/")
    request.user = auditor

    with pytest.raises(Http404):
        report_view(request, 999999)
