"""What the tests of the supervisors' daily grid share: its address and cells, what a page shows
(the grid's inputs, its version, its problems), the production records and the audit log as rows,
and Wagtail's refusal of a member of staff."""

from bs4 import BeautifulSoup
from wagtail.models import ModelLogEntry

from tests.workshops.production_builders import day
from workshops.models import ProductionRecord

DAY = day(3)  # Thursday 2026-11-05


def grid_url(workshop, on=DAY) -> str:
    return f"/admin/production/{workshop.pk}/{on.isoformat()}/"


def cell(kind, worker, sku) -> str:
    return f"{kind}-{worker.pk}-{sku.pk if sku else 't'}"


def page(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def grid_inputs(response) -> dict[str, str]:
    return {
        field["name"]: field["value"] for field in page(response).select(".production-grid input")
    }


def version_of(response) -> str:
    return page(response).select_one("input[name=version]")["value"]


def problems(response) -> list[str]:
    return [item.get_text() for item in page(response).select("#problems li")]


def records() -> list[tuple]:
    return list(
        ProductionRecord.objects.order_by("worker__reference", "sku__code").values_list(
            "worker__reference",
            "sku__code",
            "hours",
            "pieces",
            "rejects",
            "supervisor__username",
            "supervisor_note",
            "breaches",
        )
    )


def log_entries(action=None) -> list[tuple]:
    entries = ModelLogEntry.objects.order_by("pk")
    if action is not None:
        entries = entries.filter(action=action)
    return list(entries.values_list("action", "object_id", "data", "user__username"))


def assert_refused(response) -> None:
    """Wagtail's refusal of a member of staff: back to the dashboard with its message."""
    assert (response.status_code, response["Location"]) == (302, "/admin/")
