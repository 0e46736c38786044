"""Production records in and out: the supervisors' grid, the importer and exporter, locks and
adjustments (DESIGN.md, "Production records"). Every way in goes through ``check_entries``."""

from workshops.access import can_record, supervised_workshops, visible_workshops
from workshops.production.checks import Entry, Problem, ProductionRefused, check_entries
from workshops.production.exporter import export_production
from workshops.production.grid import GridSaved, load_grid, save_grid
from workshops.production.importer import MAX_IMPORT_BYTES, ImportResult, import_production
from workshops.production.locks import (
    adjust_production,
    correct_production,
    finalise_production_lock,
    held_by,
    lock_production,
    settle_adjustments,
    unlock_production,
    unsettled_adjustments,
)

__all__ = [
    "MAX_IMPORT_BYTES",
    "Entry",
    "GridSaved",
    "ImportResult",
    "Problem",
    "ProductionRefused",
    "adjust_production",
    "can_record",
    "check_entries",
    "correct_production",
    "export_production",
    "finalise_production_lock",
    "held_by",
    "import_production",
    "load_grid",
    "lock_production",
    "save_grid",
    "settle_adjustments",
    "supervised_workshops",
    "unlock_production",
    "unsettled_adjustments",
    "visible_workshops",
]
