"""What the tests of the orders' back-office screens share: their addresses, the staff of each
role (with the permissions ``brand.roles`` gives them), signing in, and reading a page's messages
and tables. The orders are those of ``tests.catalogue.order_builders``."""

import re
from html.parser import HTMLParser

from core.testing.twofactor import login_with_second_factor
from tests.catalogue.order_builders import staff

ORDERS = "/admin/catalogue/order/"
INVOICES = "/admin/catalogue/invoice/"
NOT_ALLOWED = "Sorry, you do not have permission to access this area."

# The permissions of each role on orders (brand.roles), on users of their own.
FULFILMENT = (
    "wagtailadmin.access_admin",
    "catalogue.view_order",
    "catalogue.view_orderline",
    "catalogue.view_invoice",
    "catalogue.fulfil_order",
    "catalogue.cancel_order",
)
FINANCE = (
    "wagtailadmin.access_admin",
    "catalogue.view_order",
    "catalogue.view_invoice",
    "catalogue.mark_order_paid",
)
AUDITOR = ("wagtailadmin.access_admin", "catalogue.view_order", "catalogue.view_invoice")


def fulfilment_staff(username="packer"):
    return staff(username, *FULFILMENT)


def finance_staff(username="finance"):
    return staff(username, *FINANCE)


def auditor_staff(username="auditor"):
    return staff(username, *AUDITOR)


def signed_in(client, user):
    login_with_second_factor(client, user)
    return user


def page_url(order) -> str:
    return f"{ORDERS}inspect/{order.pk}/"


def step_url(order, action: str) -> str:
    return f"{ORDERS}{order.pk}/{action}/"


def slip_url(order) -> str:
    return f"{ORDERS}{order.pk}/packing-slip/"


def shown(response) -> list[str]:
    """The messages a page shows."""
    return [str(message).strip() for message in response.context["messages"]]


def steps(response) -> list[str]:
    """The steps an order's page offers, as the actions its forms post to."""
    return re.findall(r'action="/admin/catalogue/order/\d+/([a-z-]+)/"', response.text)


class _Table(HTMLParser):
    """The body cells of the table with ``id`` (else of the listings: tables of class
    ``listing``), each row a list of its cells' text."""

    def __init__(self, table_id: str | None):
        super().__init__()
        self.table_id, self.inside, self.body = table_id, False, False
        self.rows, self.cell = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            attrs = dict(attrs)
            if self.table_id is None:
                self.inside = "listing" in (attrs.get("class") or "").split()
            else:
                self.inside = attrs.get("id") == self.table_id
        if not self.inside:
            return
        if tag == "tbody":
            self.body = True
        elif self.body and tag == "tr":
            self.rows.append([])
        elif self.body and tag in ("td", "th"):
            self.cell = ""

    def handle_endtag(self, tag):
        if not self.inside:
            return
        if tag == "tbody":
            self.body = self.inside = False
        elif self.cell is not None and tag in ("td", "th"):
            self.rows[-1].append(" ".join(self.cell.split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def table(html: str, table_id: str | None = None) -> list[list[str]]:
    parser = _Table(table_id)
    parser.feed(html)
    return parser.rows


class _Element(HTMLParser):
    """The text of the element with ``id``, a string per child element (``li``, ``p``, ``dt``…)."""

    VOID = {"br", "img", "input", "meta", "link", "hr"}

    def __init__(self, element_id: str):
        super().__init__()
        self.element_id, self.depth, self.parts = element_id, 0, []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            if self.depth and tag == "br":
                self.parts.append("")
            return
        if self.depth:
            self.depth += 1
            if tag in ("li", "p", "div", "tr", "dt", "dd", "h2"):
                self.parts.append("")
        elif dict(attrs).get("id") == self.element_id:
            self.depth = 1
            self.parts.append("")

    def handle_endtag(self, tag):
        if self.depth and tag not in self.VOID:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.parts[-1] += data


def text_of(html: str, element_id: str) -> list[str]:
    """The element's text, split where its children start, blank parts left out."""
    parser = _Element(element_id)
    parser.feed(html)
    return [" ".join(part.split()) for part in parser.parts if part.strip()]
