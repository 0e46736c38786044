"""What the tests of the pay runs' back-office screens share: their addresses, signing in with
the second factor, what a run's page shows (messages, steps offered, the table of lines) and a
week of work with warnings.

The runs are those of ``tests.wages.payrun_builders``: a prison's week of November 2026, paid under
a policy of family 10 %, release savings 20 % and victims' fund 5 %, calculated by one finance
officer (``calculator``) and approved by another (``approver``).
"""

import re
from html.parser import HTMLParser

from core.testing.twofactor import login_with_second_factor
from tests.wages.payrun_builders import D, record
from wages.models import PayRun

RUNS = "/admin/wages/payrun/"
RUN_1 = "PR-north-prison-2026-11-02"
NOT_ALLOWED = "Sorry, you do not have permission to access this area."
OWN_NOTE = "You calculated this run: another finance officer must approve it."


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
