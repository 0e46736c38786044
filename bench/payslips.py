"""How fast a posted pay run's payslips are made through the task path, against the floor measured
in the same run: WeasyPrint printing one minimal page (one line of text in our PDFs' font family,
no template, no fetcher, no database). Ours is ``start_generation`` with the immediate backend:
the job reads the run's lines a batch at a time, renders each slip in its worker's language,
counts its pages, stores it privately with its hash and records it; the rate is pages per second,
the ratio ours over floor per page.

Memory: a run of N/4 workers is made first, then one of N; the process's peak RSS after each
(``ru_maxrss``, which never goes down) shows whether it grows with the slips (holding every
document would add N times a document).

SQLite in memory, migrated for the run; the world is the pay-run tests' (two own workshops and a
partner's), each worker with three days of work in two workshops and a training session.

    python bench/payslips.py [--slips N] [--floor-pages N] [--smoke]
"""

import argparse
import os
import resource
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brand.settings.test")
os.environ["DATABASE_URL"] = "sqlite:///:memory:"

import django  # noqa: E402

django.setup()

import logging  # noqa: E402

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from weasyprint import HTML  # noqa: E402

from tests.wages.payrun_builders import WEEK_1, WEEK_2, D, attend, build_pay_world, posted, record  # noqa: E402
from wages.models import Payslip  # noqa: E402
from wages.payslips.tasks import start_generation  # noqa: E402

settings.BRIDGEWORK_PAYSLIPS_AFTER_POSTING = False  # the bench starts the job itself
logging.getLogger("weasyprint").setLevel(logging.WARNING)
# One line, in the font family every PDF of ours prints in (templates/pdf/base.html): the floor is
# the least a page in our fonts costs, font subsetting included; in the default serif font it
# would measure another font's cost.
MINIMAL = (
    '<!DOCTYPE html><html><body style=\'font-family: "Noto Sans", "Noto Sans Arabic", '
    '"DejaVu Sans", sans-serif\'><p>Payslip W-000000: gross 50.00</p></body></html>'
)
GOAL_SLIPS_PER_SECOND = 3.0
GOAL_RATIO = 2.0


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def floor_rate(pages: int) -> float:
    HTML(string=MINIMAL).write_pdf()  # warms fontconfig
    started = time.perf_counter()
    for _ in range(pages):
        HTML(string=MINIMAL).write_pdf()
    return pages / (time.perf_counter() - started)


def build_run(pay, period, workers):
    start = period[0]
    for worker in workers:
        record(pay, worker, pay.tailoring, start, "6", 40)
        record(pay, worker, pay.tailoring, D(start.year, start.month, start.day + 1), "2", 0)
        record(pay, worker, pay.bakery, D(start.year, start.month, start.day + 2), "4", 10)
        attend(pay, worker, D(start.year, start.month, start.day + 3), "2")
    return posted(pay, period)


def make(run, user) -> tuple[float, int, int]:
    """Seconds, slips and pages of the run's job."""
    started = time.perf_counter()
    job, _created = start_generation(run, user=user)
    spent = time.perf_counter() - started
    job.refresh_from_db()
    if job.status != "succeeded":
        raise SystemExit(f"the job {job.status}: {job.error}")
    slips = Payslip.objects.filter(run=run)
    return spent, slips.count(), sum(slips.values_list("pages", flat=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slips", type=int, default=200, help="workers in the measured run")
    parser.add_argument("--floor-pages", type=int, default=30)
    parser.add_argument("--smoke", action="store_true", help="8 slips, 4 floor pages")
    args = parser.parse_args()
    if args.smoke:
        args.slips, args.floor_pages = 8, 4

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    pay = build_pay_world(workers=args.slips)
    warm = build_run(pay, WEEK_1, pay.workers[: max(args.slips // 4, 1)])
    measured = build_run(pay, WEEK_2, pay.workers)

    rss_start = peak_rss_mb()
    _s, warm_slips, _p = make(warm, pay.approver)
    rss_quarter = peak_rss_mb()
    floor = floor_rate(args.floor_pages)
    spent, slips, pages = make(measured, pay.approver)
    rss_full = peak_rss_mb()
    floor_after = floor_rate(args.floor_pages)  # the machine may have slowed down meanwhile
    floor = max(floor, floor_after)

    ours = pages / spent
    per_slip = slips / spent
    ratio = floor / ours  # time per page, ours over floor
    growth = (rss_full - rss_quarter) * 1024 / max(slips - warm_slips, 1)
    print(
        f"run: {slips} slips, {pages} page(s), A5, worker languages en; load average {os.getloadavg()[0]:.2f}"
    )
    print(f"floor (WeasyPrint, one minimal page): {floor:.2f} pages/s")
    print(
        f"ours (job: read, render, count pages, store, record): {ours:.2f} pages/s, {per_slip:.2f} slips/s"
    )
    print(f"ratio ours/floor (time per page): {ratio:.3f} (goal <= {GOAL_RATIO})")
    print(
        f"peak RSS: {rss_start:.0f} MB before, {rss_quarter:.0f} MB after {warm_slips} slips, "
        f"{rss_full:.0f} MB after {slips} more: {growth:.1f} KB per extra slip"
    )
    verdict = "meets" if per_slip >= GOAL_SLIPS_PER_SECOND and ratio <= GOAL_RATIO else "misses"
    print(
        f"payslips: {per_slip:.2f} slips/s ({ours:.2f} pages/s) vs floor {floor:.2f} pages/s, "
        f"ratio {ratio:.3f}, RSS +{growth:.1f} KB/slip; {verdict} the goal (>= 3 slips/s, <= 2x)"
    )


if __name__ == "__main__":
    main()
