"""How fast ``core.pdf.render_pdf`` prints a table-heavy document, against the floor measured in the
same run: WeasyPrint printing the same, already rendered HTML string with its own defaults (no
template, no safe fetcher). The ratio is what the template and the fetcher cost on top of layout.

    python bench/pdf_render.py [--documents N] [--rows N] [--rounds N] [--smoke]
"""

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brand.settings.test")

import django  # noqa: E402

django.setup()

from django.template.loader import render_to_string  # noqa: E402
from djmoney.money import Money  # noqa: E402
from weasyprint import HTML  # noqa: E402

from core.pdf import render_pdf  # noqa: E402

TEMPLATE = "pdf/sample.html"


def context(rows: int) -> dict:
    lines = [
        {
            "description": f"Oak chair, hand-finished, batch {number}",
            "quantity": number % 7 + 1,
            "unit_price": Money("85.00", "EUR"),
            "amount": Money("85.00", "EUR") * (number % 7 + 1),
        }
        for number in range(1, rows + 1)
    ]
    return {
        "title": "Benchmark statement",
        "reference": "BEN-0001",
        "issued": datetime.date(2025, 3, 3),
        "introduction": "A table-heavy document, like a pay run's payslip list or an audit's findings.",
        "rows": lines,
        "total": sum((line["amount"] for line in lines), Money(0, "EUR")),
    }


def best_rates(ours, floor, documents: int, rounds: int) -> tuple[float, float]:
    """Documents per second of each side in its fastest round. The two alternate document by
    document, so a machine that slows down during the run slows both alike; slower rounds measure
    the machine, not the code."""
    fastest = {ours: float("inf"), floor: float("inf")}
    for _ in range(rounds):
        spent = dict.fromkeys(fastest, 0.0)
        for number in range(documents):
            for action in (ours, floor) if number % 2 else (floor, ours):
                started = time.perf_counter()
                action()
                spent[action] += time.perf_counter() - started
        fastest = {action: min(fastest[action], spent[action]) for action in fastest}
    return documents / fastest[ours], documents / fastest[floor]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10, help="documents per round")
    parser.add_argument("--rows", type=int, default=150, help="table rows per document")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--smoke", action="store_true", help="2 documents of 20 rows, one round")
    args = parser.parse_args()
    if args.smoke:
        args.documents, args.rows, args.rounds = 2, 20, 1

    data = context(args.rows)
    html = render_to_string(TEMPLATE, data)

    def ours():
        return render_pdf(TEMPLATE, data)

    def floor():
        return HTML(string=html).write_pdf()

    pages = len(HTML(string=html).render().pages)  # also warms fontconfig and the caches
    ours()
    ours_rate, floor_rate = best_rates(ours, floor, args.documents, args.rounds)
    ratio = floor_rate / ours_rate  # time per document, ours over floor

    print(f"document: {TEMPLATE}, {args.rows} rows, {pages} page(s)")
    print(
        f"runs: {args.documents} documents x {args.rounds} rounds, alternating, best round counts; "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    print(f"floor (WeasyPrint on the rendered HTML): {floor_rate:.2f} documents/s")
    print(f"ours (render_pdf, template + safe fetcher): {ours_rate:.2f} documents/s")
    print(f"ratio ours/floor (time per document): {ratio:.3f}")
    print(
        f"pdf_render: {ours_rate:.2f} docs/s vs floor {floor_rate:.2f} docs/s, "
        f"ratio {ratio:.3f} ({args.rows} rows, {pages} page(s))"
    )


if __name__ == "__main__":
    main()
