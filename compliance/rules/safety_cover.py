"""SAFETY_COVER: a partner's work is inspected, insured and its incidents followed up (Mandela
Rule 101: the safety of free workers, and compensation for injury on terms no less favourable).

Reads the days of work for each partner in each workshop in the scope and period (production
records of the days the partner's contract was in force there; ``compliance.rules.partner_work``),
the compliance thresholds in force on each day (``inspection_valid_days``), the safety
inspections (``compliance.SafetyInspection``, partner-wide or of that workshop), injury insurance
(``compliance.InsuranceCover``, partner-wide or for that workshop) and the workshops' safety
incidents (``workshops.SafetyIncident``) on days of the partner's contract.

For each partner and workshop with work in the period:

- inspection: a day of work is covered by the latest inspection on or before it when that one did
  not fail and is at most ``inspection_valid_days`` old (an inspection on 1 March valid 30 days
  covers work up to 31 March). Days not covered → critical, with the first and last day and
  their count; no inspection on file at all → missing data (critical); the latest inspection up
  to the period's end failed → critical.
- insurance: days of work no cover includes → critical, with the first and last uncovered day
  and their count.
- incidents in the period not followed up by its end → major (one finding per workshop).

Part of the period with no compliance thresholds in force is a missing-data finding; its days are
not judged for inspection.
"""

import datetime

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from compliance.models import ComplianceThresholds, InsuranceCover, SafetyInspection
from compliance.rules.base import CRITICAL, MAJOR, Rule, register
from compliance.rules.evidence import evidence_of
from compliance.rules.partner_work import contract_partner, partner_records
from workshops.models import Partner, SafetyIncident, Workshop


def span(days: list[datetime.date]) -> dict:
    return {"first_day": days[0], "last_day": days[-1], "days": len(days)}


@register
class SafetyCover(Rule):
    code = "SAFETY_COVER"
    title = gettext_lazy("Safety inspection, injury insurance and incidents followed up")
    source = "Mandela Rule 101"
    severity = CRITICAL

    def check(self, context):
        segments = context.segments(ComplianceThresholds)
        for first, last, thresholds in segments:
            if thresholds is None:
                yield self.missing(
                    context,
                    start=first,
                    end=last,
                    detail=_(
                        "no compliance thresholds in force from %(first)s to %(last)s: how long "
                        "a safety inspection is valid is unknown"
                    )
                    % {"first": first.isoformat(), "last": last.isoformat()},
                    figures={"first": first, "last": last},
                )
        work: dict[tuple[int, int], list[datetime.date]] = {}
        for row in (
            partner_records(context)
            .values("partner_id", "workshop_id", "day")
            .distinct()
            .order_by("partner_id", "workshop_id", "day")
        ):
            work.setdefault((row["partner_id"], row["workshop_id"]), []).append(row["day"])
        if not work:
            return
        partner_ids = {partner for partner, _workshop in work}
        workshop_ids = {workshop for _partner, workshop in work}
        partners = dict(Partner.objects.filter(pk__in=partner_ids).values_list("pk", "name"))
        workshops = dict(Workshop.objects.filter(pk__in=workshop_ids).values_list("pk", "name"))
        about = Q(partner__in=partner_ids) | Q(workshop__in=workshop_ids)
        inspections = list(
            SafetyInspection.objects.filter(about, inspected_on__lte=context.end)
            .values("id", "partner_id", "workshop_id", "inspected_on", "result")
            .order_by("inspected_on", "id")
        )
        covers = list(
            InsuranceCover.objects.filter(
                partner__in=partner_ids, start__lte=context.end, end__gte=context.start
            ).values("id", "partner_id", "workshop_id", "start", "end")
        )
        incidents: dict[tuple[int, int], list[dict]] = {}
        for incident in (
            SafetyIncident.objects.filter(
                workshop__in=workshop_ids,
                occurred_on__gte=context.start,
                occurred_on__lte=context.end,
            )
            .filter(Q(followed_up_on__isnull=True) | Q(followed_up_on__gt=context.end))
            .annotate(partner_id=contract_partner(day="occurred_on"))
            .values("id", "workshop_id", "partner_id", "occurred_on")
            .order_by("occurred_on", "id")
        ):
            incidents.setdefault((incident["partner_id"], incident["workshop_id"]), []).append(
                incident
            )
        for (partner_id, workshop_id), days in sorted(
            work.items(), key=lambda item: (partners[item[0][0]], workshops[item[0][1]])
        ):
            names = {"partner": partners[partner_id], "workshop": workshops[workshop_id]}
            relevant = [
                item
                for item in inspections
                if (item["partner_id"] == partner_id and item["workshop_id"] in (None, workshop_id))
                or (item["partner_id"] is None and item["workshop_id"] == workshop_id)
            ]
            yield from self.inspection(context, names, days, relevant, segments)
            insured = [
                cover
                for cover in covers
                if cover["partner_id"] == partner_id and cover["workshop_id"] in (None, workshop_id)
            ]
            yield from self.insurance(context, names, days, insured)
            open_incidents = incidents.get((partner_id, workshop_id), [])
            if open_incidents:
                yield self.finding(
                    context,
                    severity=MAJOR,
                    detail=ngettext(
                        "%(count)d safety incident in %(workshop)s not followed up by %(end)s, "
                        "on %(first)s",
                        "%(count)d safety incidents in %(workshop)s not followed up by %(end)s, "
                        "the first on %(first)s",
                        len(open_incidents),
                    )
                    % {
                        **names,
                        "count": len(open_incidents),
                        "end": context.end.isoformat(),
                        "first": open_incidents[0]["occurred_on"].isoformat(),
                    },
                    figures={
                        **names,
                        "incidents": len(open_incidents),
                        "first_incident": open_incidents[0]["occurred_on"],
                    },
                    evidence=evidence_of(SafetyIncident, [item["id"] for item in open_incidents]),
                )

    def inspection(self, context, names, days, inspections, segments):
        if not inspections:
            yield self.missing(
                context,
                detail=_("no safety inspection of %(partner)s in %(workshop)s on file") % names,
                figures={**names, **span(days)},
            )
            return
        uncovered, cited = [], set()
        for day in days:
            thresholds = next((t for first, last, t in segments if first <= day <= last), None)
            if thresholds is None:
                continue  # reported as missing data
            latest = None
            for item in inspections:
                if item["inspected_on"] <= day:
                    latest = item
            valid = (
                latest is not None
                and latest["result"] != SafetyInspection.Result.FAILED
                and (day - latest["inspected_on"]).days <= thresholds.inspection_valid_days
            )
            if not valid:
                uncovered.append(day)
                if latest is not None:
                    cited.add(latest["id"])
        if uncovered:
            yield self.finding(
                context,
                start=uncovered[0],
                end=uncovered[-1],
                detail=ngettext(
                    "%(days)d day of work for %(partner)s in %(workshop)s from %(first)s to "
                    "%(last)s without a valid safety inspection",
                    "%(days)d days of work for %(partner)s in %(workshop)s from %(first)s to "
                    "%(last)s without a valid safety inspection",
                    len(uncovered),
                )
                % {
                    **names,
                    "days": len(uncovered),
                    "first": uncovered[0].isoformat(),
                    "last": uncovered[-1].isoformat(),
                },
                figures={**names, **span(uncovered)},
                evidence=evidence_of(SafetyInspection, cited),
            )
        latest = inspections[-1]
        if latest["result"] == SafetyInspection.Result.FAILED:
            yield self.finding(
                context,
                detail=_(
                    "the latest safety inspection of %(partner)s in %(workshop)s, on %(day)s, "
                    "failed"
                )
                % {**names, "day": latest["inspected_on"].isoformat()},
                figures={**names, "inspected_on": latest["inspected_on"]},
                evidence=evidence_of(SafetyInspection, [latest["id"]]),
            )

    def insurance(self, context, names, days, covers):
        uncovered = [day for day in days if not any(c["start"] <= day <= c["end"] for c in covers)]
        if uncovered:
            yield self.finding(
                context,
                start=uncovered[0],
                end=uncovered[-1],
                detail=ngettext(
                    "%(days)d day of work for %(partner)s in %(workshop)s from %(first)s to "
                    "%(last)s without injury insurance",
                    "%(days)d days of work for %(partner)s in %(workshop)s from %(first)s to "
                    "%(last)s without injury insurance",
                    len(uncovered),
                )
                % {
                    **names,
                    "days": len(uncovered),
                    "first": uncovered[0].isoformat(),
                    "last": uncovered[-1].isoformat(),
                },
                figures={**names, **span(uncovered)},
                evidence=evidence_of(InsuranceCover, [c["id"] for c in covers]),
            )
