"""Which audit-log entries about the work programme a member of staff may read.

A supervisor lists the production, training and stock rows of their own workshops only
(``visible_workshops``, ``stock_workshops``); the entries about those rows follow the same policy,
wherever Wagtail lists them (the site history report and its exports, through the
``bridgework_visible_log_entries`` hook of ``core.audit_log``). So do the entries the grid and the
stocktake write on the workshop itself. Whoever sees every workshop reads every entry, those about
rows since removed among them; a supervisor does not read the entries of a removed row, whose
workshop can no longer be looked up. Entries about anything else (the register, pages, pay runs)
follow Wagtail's rule: any permission on the model.
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from wagtail.models import ModelLogEntry

from workshops.access import (
    sees_every_workshop,
    stock_workshops,
    visible_workshops,
    workshop_policy,
)
from workshops.models import (
    Batch,
    ProductionAdjustment,
    ProductionImport,
    ProductionLock,
    ProductionRecord,
    SafetyIncident,
    Stock,
    StockMovement,
    TrainingAttendance,
    Workshop,
)


@dataclass(frozen=True)
class Scope:
    """Whose rows of ``model`` a user sees: those whose ``workshop_path`` leads to one of
    ``workshops(user)``, or all of them when ``sees_all(user)``."""

    model: type
    workshop_path: str
    workshops: object
    sees_all: object


PRODUCTION = {"workshops": visible_workshops, "sees_all": sees_every_workshop}
STOCK = {"workshops": stock_workshops, "sees_all": workshop_policy.sees_all_stock}

SCOPES = (
    Scope(ProductionRecord, "workshop", **PRODUCTION),
    Scope(ProductionAdjustment, "record__workshop", **PRODUCTION),
    Scope(ProductionImport, "records__workshop", **PRODUCTION),
    Scope(ProductionLock, "entries__record__workshop", **PRODUCTION),
    Scope(SafetyIncident, "workshop", **PRODUCTION),
    Scope(TrainingAttendance, "workshop", **PRODUCTION),
    Scope(Batch, "sku__workshop", **STOCK),
    Scope(Stock, "sku__workshop", **STOCK),
    Scope(StockMovement, "stock__sku__workshop", **STOCK),
)
SCOPE_OF = {scope.model: scope for scope in SCOPES}

# Entries written on the workshop itself that tell of its production or stock.
WORKSHOP_ACTIONS = {
    "bridgework.production_saved": Scope(Workshop, "pk", **PRODUCTION),
    "bridgework.stock_counted": Scope(Workshop, "pk", **STOCK),
}


def rows_seen_by(user, model):
    """The rows of a workshop-scoped ``model`` that ``user`` lists."""
    scope = SCOPE_OF[model]
    if scope.sees_all(user):
        return model.objects.all()
    workshops = scope.workshops(user)
    return model.objects.filter(**{f"{scope.workshop_path}__in": workshops}).distinct()


def _pks_as_text(rows):
    """Log entries name their object by its primary key as text."""
    return rows.order_by().annotate(object_key=Cast("pk", CharField())).values("object_key")


def narrow_log_entries(user, entries):
    """``entries`` without those about rows of workshops ``user`` does not see."""
    if not issubclass(entries.model, ModelLogEntry):
        return entries  # page log entries: pages are not workshop-scoped
    limited = [scope for scope in SCOPES if not scope.sees_all(user)]
    limited_actions = {
        action: scope for action, scope in WORKSHOP_ACTIONS.items() if not scope.sees_all(user)
    }
    if not limited and not limited_actions:
        return entries
    content_type = ContentType.objects.get_for_model
    workshop_type = content_type(Workshop)
    scoped = Q(content_type__in=[content_type(scope.model) for scope in limited]) | Q(
        content_type=workshop_type, action__in=list(limited_actions)
    )
    allowed = Q()
    for scope in limited:
        allowed |= Q(
            content_type=content_type(scope.model),
            object_id__in=_pks_as_text(rows_seen_by(user, scope.model)),
        )
    for action, scope in limited_actions.items():
        allowed |= Q(
            content_type=workshop_type,
            action=action,
            object_id__in=_pks_as_text(scope.workshops(user)),
        )
    return entries.filter(~scoped | allowed)
