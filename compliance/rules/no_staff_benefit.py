"""NO_STAFF_BENEFIT: no member of staff benefits from a partner's contract (Mandela Rule 97.3: no
prisoner's work shall be for the private benefit of any member of staff; anti-corruption).

Reads the contracts in force in the scope and period (``workshops.Contract``), the supervisors of
each contract's workshop (``workshops.WorkshopSupervisor``) and the staff's declarations of
interest about the contract's partner (``compliance.InterestDeclaration``) made up to the period's
end.

- A member of staff who supervised the contract's workshop at any time while the contract was in
  force, and declared an interest in its partner (``has_interest``) → critical.
- A member of staff supervising the workshop on the contract's ``awarded_on`` (even one who left
  before it started) with no declaration (of an interest or of none) about the partner dated on
  or before that day → missing data (critical, the rule's severity: an interest nobody declared
  cannot be ruled out).
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from compliance.models import InterestDeclaration
from compliance.rules.base import CRITICAL, Rule, register
from compliance.rules.evidence import evidence_of
from workshops.models import Contract, WorkshopSupervisor


def staff_name(row, prefix="user__") -> str:
    full = " ".join(
        part for part in (row[f"{prefix}first_name"], row[f"{prefix}last_name"]) if part
    )
    return full or row[f"{prefix}username"]


@register
class NoStaffBenefit(Rule):
    code = "NO_STAFF_BENEFIT"
    title = gettext_lazy("No member of staff benefits from a partner's contract")
    source = "Mandela Rule 97.3, anti-corruption"
    severity = CRITICAL

    def check(self, context):
        contracts = context.scope.contracts(context.start, context.end)
        supervisors: dict[int, list[dict]] = {}
        for supervisor in (
            WorkshopSupervisor.objects.filter(workshop__in=contracts.values("workshop"))
            .values(
                "id",
                "workshop_id",
                "start",
                "end",
                "user_id",
                "user__username",
                "user__first_name",
                "user__last_name",
            )
            .order_by("start", "id")
        ):
            supervisors.setdefault(supervisor["workshop_id"], []).append(supervisor)
        rows = []
        for contract in contracts.values(
            "id",
            "reference",
            "awarded_on",
            "start",
            "end",
            "partner_id",
            "partner__name",
            "workshop_id",
            "workshop__name",
        ).order_by("reference"):
            for supervisor in supervisors.get(contract["workshop_id"], []):
                during = (contract["end"] is None or supervisor["start"] <= contract["end"]) and (
                    supervisor["end"] is None or supervisor["end"] >= contract["start"]
                )
                awarded = contract["awarded_on"]
                at_award = supervisor["start"] <= awarded and (
                    supervisor["end"] is None or supervisor["end"] >= awarded
                )
                if during or at_award:
                    rows.append(
                        {
                            **contract,
                            "supervisor": supervisor,
                            "during": during,
                            "at_award": at_award,
                        }
                    )
        if not rows:
            return
        declarations: dict[tuple[int, int], list[dict]] = {}
        for declaration in (
            InterestDeclaration.objects.filter(
                partner__in={row["partner_id"] for row in rows},
                staff__in={row["supervisor"]["user_id"] for row in rows},
                declared_on__lte=context.end,
            )
            .values("id", "staff_id", "partner_id", "has_interest", "interest", "declared_on")
            .order_by("declared_on", "id")
        ):
            key = (declaration["staff_id"], declaration["partner_id"])
            declarations.setdefault(key, []).append(declaration)
        for row in rows:
            yield from self.judge(context, row, declarations)

    def judge(self, context, row, declarations):
        found = declarations.get((row["supervisor"]["user_id"], row["partner_id"]), [])
        cited_contract = evidence_of(Contract, [row["id"]])
        cited_supervisor = evidence_of(WorkshopSupervisor, [row["supervisor"]["id"]])
        staff = staff_name(row["supervisor"])
        interests = [item for item in found if item["has_interest"] and row["during"]]
        if interests:
            yield self.finding(
                context,
                detail=_(
                    "%(staff)s, who supervises %(workshop)s, declared an interest in %(partner)s "
                    "(%(interest)s) on %(declared)s; contract %(contract)s is in force there"
                )
                % {
                    "staff": staff,
                    "workshop": row["workshop__name"],
                    "partner": row["partner__name"],
                    "interest": interests[-1]["interest"],
                    "declared": interests[-1]["declared_on"].isoformat(),
                    "contract": row["reference"],
                },
                figures={
                    "contract": row["reference"],
                    "staff": staff,
                    "declared_on": interests[-1]["declared_on"],
                },
                evidence=cited_contract
                + evidence_of(InterestDeclaration, [item["id"] for item in interests])
                + cited_supervisor,
            )
        awarded = row["awarded_on"]
        if row["at_award"] and not any(item["declared_on"] <= awarded for item in found):
            yield self.missing(
                context,
                detail=_(
                    "no declaration of interest in %(partner)s on file from %(staff)s, who "
                    "supervised %(workshop)s when contract %(contract)s was awarded on "
                    "%(awarded)s"
                )
                % {
                    "partner": row["partner__name"],
                    "staff": staff,
                    "workshop": row["workshop__name"],
                    "contract": row["reference"],
                    "awarded": awarded.isoformat(),
                },
                figures={"contract": row["reference"], "staff": staff, "awarded_on": awarded},
                evidence=cited_contract
                + evidence_of(InterestDeclaration, [item["id"] for item in found])
                + cited_supervisor,
            )
