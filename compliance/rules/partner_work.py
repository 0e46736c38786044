"""Partner work in a check's scope: the production records of the days a partner's contract was in
force in the record's workshop, each with that partner (``partner_id``). Own work (no contract in
force) is left out. Shared by the consent and safety rules."""

from django.db.models import BigIntegerField, OuterRef, Q, Subquery, Value

from workshops.models import Contract


def contract_partner(*, day="day", workshop="workshop") -> Subquery:
    """The partner of the contract in force in the outer row's workshop on its day (at most one
    contract is in force for a workshop on any day)."""
    return Subquery(
        Contract.objects.filter(workshop=OuterRef(workshop), start__lte=OuterRef(day))
        .filter(Q(end__isnull=True) | Q(end__gte=OuterRef(day)))
        .values("partner")[:1]
    )


def partner_records(context, *, legacy: bool = True):
    """The scope's production records in the period done for a partner, annotated with
    ``partner_id``; without legacy records when ``legacy`` is False."""
    scope = context.scope
    # A partner's records are already only the days of its contracts: no lookup per record.
    partner = (
        Value(scope.target.pk, output_field=BigIntegerField())
        if scope.kind == "partner"
        else contract_partner()
    )
    records = scope.production(context.start, context.end).annotate(partner_id=partner)
    if not legacy:
        records = records.filter(legacy=False)
    return records.filter(partner_id__isnull=False)
