"""Production records out, in the same format the importer reads (``spreadsheet``), so a file
exported from one database imports into another unchanged. Text cells are formula-escaped."""

import datetime

from workshops.models import ProductionRecord, Workshop
from workshops.production.spreadsheet import escape_text, write_csv, write_xlsx


def production_for_export(*, workshops, start: datetime.date, end: datetime.date):
    return (
        ProductionRecord.objects.filter(workshop__in=workshops, day__range=(start, end))
        .select_related("worker", "workshop", "sku", "supervisor")
        .order_by("day", "workshop__slug", "worker__reference", "sku__code")
    )


def export_rows(records):
    for record in records.iterator(chunk_size=2000):
        yield (
            record.day.isoformat(),
            escape_text(record.worker.reference),
            escape_text(record.workshop.slug),
            escape_text(record.sku.code if record.sku_id else ""),
            str(record.hours),
            record.pieces,
            record.rejects,
            escape_text(record.supervisor.get_username() if record.supervisor_id else ""),
            escape_text(record.supervisor_note),
            "yes" if record.legacy else "",
        )


def export_production(
    *, workshop: Workshop, start: datetime.date, end: datetime.date, kind: str = "csv"
) -> bytes:
    """The records of ``workshop`` from ``start`` to ``end`` as a CSV or XLSX file."""
    rows = export_rows(production_for_export(workshops=[workshop], start=start, end=end))
    return write_xlsx(rows) if kind == "xlsx" else write_csv(rows)
