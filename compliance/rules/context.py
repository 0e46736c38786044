"""What a rule checks: a **scope** (a partner, a workshop or a prison) and a period.

    Scope.parse(kind, slug)           the scope, or ValidationError naming the bad slug
    scope.label                       "partner:SLUG", as findings write it
    scope.workshops(start, end)       the workshops in scope (a partner's: those under its
                                      contracts in the period)
    scope.production(start, end)      production records in scope; a partner's are the days its
                                      contract was in force in the record's workshop
    scope.contracts(start, end)       contracts in force in the period in scope
    scope.partners(start, end)        partners of those contracts
    context.segments(Model)           [(first, last, version or None)] of an effective-dated
                                      policy (working time, pay, thresholds) over the period

The whole country (``--all``) is checked prison by prison, so each finding names a prison,
partner or workshop as the contract in DESIGN.md says.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from compliance.models.checks import ComplianceCheck
from workshops.models import Contract, Partner, Prison, ProductionRecord, Workshop

ONE_DAY = datetime.timedelta(days=1)
KINDS = {"partner": Partner, "workshop": Workshop, "prison": Prison}


def in_force(start: datetime.date, end: datetime.date, prefix: str = "") -> Q:
    """Rows with ``start``/``end`` (``end`` null when open) meeting [start, end]."""
    return Q(**{f"{prefix}start__lte": end}) & (
        Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gte": start})
    )


@dataclass(frozen=True)
class Scope:
    kind: str  # partner, workshop or prison
    target: Partner | Workshop | Prison

    @classmethod
    def parse(cls, kind: str, slug: str) -> "Scope":
        model = KINDS.get(kind)
        if model is None:
            raise ValidationError(_("Unknown scope %(kind)r.") % {"kind": kind})
        found = model.objects.filter(slug=slug).first()
        if found is None:
            raise ValidationError(
                _("No %(kind)s has the slug %(slug)r.")
                % {"kind": ComplianceCheck.ScopeKind(kind).label, "slug": slug}
            )
        return cls(kind, found)

    @classmethod
    def every_prison(cls) -> list["Scope"]:
        return [cls("prison", prison) for prison in Prison.objects.order_by("slug")]

    @property
    def label(self) -> str:
        return f"{self.kind}:{self.target.slug}"

    def contracts(self, start, end):
        contracts = Contract.objects.filter(in_force(start, end))
        if self.kind == "partner":
            return contracts.filter(partner=self.target)
        if self.kind == "workshop":
            return contracts.filter(workshop=self.target)
        return contracts.filter(workshop__prison=self.target)

    def partners(self, start, end):
        return Partner.objects.filter(pk__in=self.contracts(start, end).values("partner")).order_by(
            "slug"
        )

    def workshops(self, start, end):
        if self.kind == "partner":
            return Workshop.objects.filter(
                pk__in=self.contracts(start, end).values("workshop")
            ).order_by("slug")
        if self.kind == "workshop":
            return Workshop.objects.filter(pk=self.target.pk)
        return Workshop.objects.filter(prison=self.target).order_by("slug")

    def production(self, start, end):
        # Unordered: the model's ordering joins workshop, worker and SKU for nothing.
        records = ProductionRecord.objects.order_by().filter(day__gte=start, day__lte=end)
        if self.kind == "partner":
            return records.filter(Exists(partner_contract_on_day(self.target)))
        if self.kind == "workshop":
            return records.filter(workshop=self.target)
        return records.filter(workshop__prison=self.target)


def partner_contract_on_day(partner, *, day="day", workshop="workshop"):
    """A subquery: ``partner``'s contract in force in the outer row's workshop on its day (for
    ``Exists``); ``partner`` may be an instance or an ``OuterRef``."""
    return Contract.objects.filter(
        partner=partner,
        workshop=OuterRef(workshop),
        start__lte=OuterRef(day),
    ).filter(Q(end__isnull=True) | Q(end__gte=OuterRef(day)))


@dataclass
class CheckContext:
    scope: Scope
    start: datetime.date
    end: datetime.date
    # What one rule computed that another reads too (effective pay, say), by a key of its choosing.
    cache: dict = field(default_factory=dict)

    def segments(self, model) -> list[tuple[datetime.date, datetime.date, object]]:
        """The period cut where ``model``'s version in force changes (``effective_from``): each
        piece with its version, or None where no version was yet in force."""
        versions = list(
            model.objects.filter(effective_from__lte=self.end).order_by("effective_from")
        )
        pieces = []
        day = self.start
        while day <= self.end:
            current = None
            following = None
            for version in versions:
                if version.effective_from <= day:
                    current = version
                elif following is None:
                    following = version
            last = min(self.end, following.effective_from - ONE_DAY) if following else self.end
            pieces.append((day, last, current))
            day = last + ONE_DAY
        return pieces
