"""CONSENT_WITHDRAWN: no work for a partner after the worker withdrew consent (ILO C029: work is
freely chosen and may be left).

Reads the scope's production records in the period done for a partner
(``compliance.rules.partner_work``; legacy records skipped, as for CONSENT_BEFORE_WORK), the
workers' work consents (``workshops.Consent``: ``withdrawn_on``) and the working-time policy in
force on each day of work (``workshops.WorkingTimePolicy.consent_notice_days``).

A shift for a partner on a day later than the last day of notice (the withdrawal day plus the
notice days) of the worker's latest withdrawn consent for that partner, with no other consent for
the partner in force that day (signed on or before it, not withdrawn before it), is a critical
finding: one per worker, partner and consent, with the first and last such day and their count.
Work on the last day of notice itself is allowed. Part of the period without a working-time
policy in force is a missing-data finding (critical: the notice is unknown).
"""

import datetime

from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from compliance.rules.base import CRITICAL, Rule, register
from compliance.rules.evidence import evidence_of
from compliance.rules.partner_work import partner_records
from workshops.models import Consent, Partner, ProductionRecord, WorkingTimePolicy


def withdrawn_consents():
    """The latest work consent of the outer record's worker and partner withdrawn before its
    day."""
    return Consent.objects.filter(
        kind=Consent.Kind.WORK,
        worker=OuterRef("worker"),
        partner=OuterRef("partner_id"),
        withdrawn_on__lt=OuterRef("day"),
    ).order_by("-withdrawn_on", "-pk")


@register
class ConsentWithdrawn(Rule):
    code = "CONSENT_WITHDRAWN"
    title = gettext_lazy("No work for a partner after consent is withdrawn")
    source = "ILO C029"
    severity = CRITICAL

    def check(self, context):
        segments = context.segments(WorkingTimePolicy)
        for first, last, policy in segments:
            if policy is None:
                yield self.missing(
                    context,
                    start=first,
                    end=last,
                    detail=_(
                        "no working-time policy in force from %(first)s to %(last)s: the consent "
                        "notice period is unknown"
                    )
                    % {"first": first.isoformat(), "last": last.isoformat()},
                    figures={"first": first, "last": last},
                )
        in_force = Consent.objects.filter(
            kind=Consent.Kind.WORK,
            worker=OuterRef("worker"),
            partner=OuterRef("partner_id"),
            signed_on__lte=OuterRef("day"),
        ).filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=OuterRef("day")))
        # Few workers ever withdraw: only their records are read, from the first withdrawal on.
        withdrawn = Consent.objects.filter(
            kind=Consent.Kind.WORK, withdrawn_on__isnull=False, withdrawn_on__lt=context.end
        )
        rows = (
            partner_records(context, legacy=False)
            .filter(worker__in=withdrawn.values("worker"))
            .annotate(
                withdrawn_on=Subquery(withdrawn_consents().values("withdrawn_on")[:1]),
                consent_id=Subquery(withdrawn_consents().values("pk")[:1]),
            )
            .filter(withdrawn_on__isnull=False)
            .filter(~Exists(in_force))
            .values("id", "worker__reference", "partner_id", "day", "withdrawn_on", "consent_id")
            .order_by("day", "id")
        )
        breaches: dict[int, dict] = {}
        for row in rows:
            notice = next(
                (policy for first, last, policy in segments if first <= row["day"] <= last), None
            )
            if notice is None:
                continue  # reported above as missing data
            ends = row["withdrawn_on"] + datetime.timedelta(days=notice.consent_notice_days)
            if row["day"] <= ends:
                continue
            breach = breaches.setdefault(
                row["consent_id"],
                {
                    **row,
                    "notice_days": notice.consent_notice_days,
                    "notice_ends": ends,
                    "days": set(),
                    "ids": [],
                },
            )
            breach["days"].add(row["day"])
            breach["last"] = row["day"]
            breach["ids"].append(row["id"])
        if not breaches:
            return
        names = dict(
            Partner.objects.filter(
                pk__in={breach["partner_id"] for breach in breaches.values()}
            ).values_list("pk", "name")
        )
        for consent_id, breach in sorted(
            breaches.items(), key=lambda item: (item[1]["worker__reference"], item[1]["day"])
        ):
            partner = names.get(breach["partner_id"], "")
            values = {
                "partner": partner,
                "days": len(breach["days"]),
                "first": breach["day"].isoformat(),
                "last": breach["last"].isoformat(),
                "withdrawn": breach["withdrawn_on"].isoformat(),
                "notice": breach["notice_days"],
                "ends": breach["notice_ends"].isoformat(),
            }
            yield self.finding(
                context,
                worker=breach["worker__reference"],
                start=breach["day"],
                end=breach["last"],
                detail=ngettext(
                    "worked for %(partner)s on %(days)d day from %(first)s to %(last)s after "
                    "withdrawing consent on %(withdrawn)s",
                    "worked for %(partner)s on %(days)d days from %(first)s to %(last)s after "
                    "withdrawing consent on %(withdrawn)s",
                    len(breach["days"]),
                )
                % values
                + "; "
                + ngettext(
                    "the notice of %(notice)d day ended %(ends)s",
                    "the notice of %(notice)d days ended %(ends)s",
                    breach["notice_days"],
                )
                % values,
                figures={
                    "partner": partner,
                    "withdrawn_on": breach["withdrawn_on"],
                    "notice_days": breach["notice_days"],
                    "notice_ends": breach["notice_ends"],
                    "first_day": breach["day"],
                    "last_day": breach["last"],
                    "days": len(breach["days"]),
                },
                evidence=evidence_of(Consent, [consent_id])
                + evidence_of(ProductionRecord, breach["ids"]),
            )
