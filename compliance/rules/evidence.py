"""Evidence: the records behind a finding, each with the back-office page an auditor opens.

Every model a rule cites has an inspect view named ``<app>_<model>:inspect`` (its viewset in the
app's admin); the view itself decides who may open it, so a supervisor of another workshop gets
403 or 404. ``evidence(instance)`` and ``evidence_of(model, ids)`` build the list without loading
what the rule's aggregate already gave as ids.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

MAX_EVIDENCE = 25  # per finding: the detail gives the count, the first records show the pattern


@dataclass(frozen=True)
class Evidence:
    model: str  # "app_label.modelname"
    id: int
    url: str

    def as_json(self) -> dict:
        return {"model": self.model, "id": self.id, "url": self.url}


def inspect_url(label: str, pk) -> str:
    """The inspect page of the record ``pk`` of ``label`` (``"workshops.productionrecord"``)."""
    app_label, model_name = label.split(".")
    try:
        return reverse(f"{app_label}_{model_name}:inspect", args=[pk])
    except NoReverseMatch:
        raise LookupError(f"{label} has no inspect view to cite as evidence") from None


def evidence_of(model, ids: Iterable, *, limit: int = MAX_EVIDENCE) -> tuple[Evidence, ...]:
    """Evidence for the rows ``ids`` of ``model`` (a model class), the first ``limit`` of them in
    order of id."""
    label = model._meta.label_lower
    chosen = sorted({int(pk) for pk in ids if pk is not None})[:limit]
    return tuple(Evidence(label, pk, inspect_url(label, pk)) for pk in chosen)


def evidence(*instances) -> tuple[Evidence, ...]:
    """Evidence for model instances (``None`` skipped)."""
    found = []
    for instance in instances:
        if instance is None:
            continue
        label = instance._meta.label_lower
        found.append(Evidence(label, instance.pk, inspect_url(label, instance.pk)))
    return tuple(found)
