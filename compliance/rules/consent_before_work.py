"""CONSENT_BEFORE_WORK: written consent before the first shift for a partner (ILO C029, PIECP).

Reads the scope's production records in the period done for a partner (the days its contract was
in force in the record's workshop; ``compliance.rules.partner_work``), the workers' work consents
(``workshops.Consent``, ``kind=work``) and the posted pay runs meeting the period
(``wages.PayRunLine.deductions``, a category code to its amount).

For each worker and partner with work in the period, the consent that governs is the latest one
signed on or before the worker's first shift for the partner in the period (else the first one
signed after it). All findings are critical:

- no work consent naming the partner is on file;
- the first shift comes before the consent's ``signed_on`` ("worked from 2026-03-02, consent
  signed 2026-03-09");
- the consent has no signed document on file (missing data: a consent is written);
- the worker's posted pay lines in the period apply a deduction (a category with a non-zero
  amount) that the consent does not name (compared by category code).

Legacy records (history from before the prison used Bridgework, imported with ``--legacy``) are
skipped, as the importer skips their consent check (DESIGN.md, "Contracts at the boundary").
Withdrawal is CONSENT_WITHDRAWN's concern, not this rule's.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.db.models import F, Min, Window
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from compliance.rules.base import CRITICAL, Rule, register
from compliance.rules.context import ONE_DAY
from compliance.rules.evidence import evidence_of
from compliance.rules.partner_work import partner_records
from wages.models import PayRun, PayRunLine
from workshops.models import Consent, Partner, ProductionRecord


def first_partner_records(context):
    """The records of each worker's first day of work for each partner in the scope and period
    (legacy records left out): rows of id, worker, reference, partner and day. One pass with a
    window over the worker and partner (filtering on a window is done in an outer query)."""
    return (
        partner_records(context, legacy=False)
        .annotate(first_day=Window(Min("day"), partition_by=[F("worker_id"), F("partner_id")]))
        .filter(day=F("first_day"))
        .values("id", "worker_id", "worker__reference", "partner_id", "day")
    )


def applied_codes(deductions: dict) -> set[str]:
    """The category codes a pay line deducted something for."""
    codes = set()
    for code, amount in (deductions or {}).items():
        try:
            if Decimal(str(amount)) != 0:
                codes.add(code)
        except InvalidOperation:
            codes.add(code)
    return codes


@register
class ConsentBeforeWork(Rule):
    code = "CONSENT_BEFORE_WORK"
    title = gettext_lazy("Written consent before the first shift for a partner")
    source = "ILO C029, PIECP"
    severity = CRITICAL

    def check(self, context):
        firsts = first_partner_records(context)
        pairs: dict[tuple[int, int], dict] = {}
        for row in firsts:
            pair = pairs.setdefault(
                (row["worker_id"], row["partner_id"]),
                {"reference": row["worker__reference"], "first": row["day"], "ids": []},
            )
            pair["ids"].append(row["id"])
        if not pairs:
            return
        workers = sorted({worker for worker, _partner in pairs})
        partner_ids = {partner for _worker, partner in pairs}
        names = dict(Partner.objects.filter(pk__in=partner_ids).values_list("pk", "name"))
        consents: dict[tuple[int, int], dict[int, dict]] = {}
        for row in (
            Consent.objects.filter(
                kind=Consent.Kind.WORK,
                worker__in=workers,
                partner__in=partner_ids,
                signed_on__lte=context.end,
            )
            .values(
                "id",
                "worker_id",
                "partner_id",
                "signed_on",
                "document_id",
                "deduction_categories__code",
            )
            .order_by("signed_on", "id")
        ):
            found = consents.setdefault((row["worker_id"], row["partner_id"]), {})
            consent = found.setdefault(row["id"], {**row, "codes": set()})
            if row["deduction_categories__code"]:
                consent["codes"].add(row["deduction_categories__code"])
        applied: dict[int, set[str]] = {}
        runs: dict[int, set[int]] = {}
        for line in PayRunLine.objects.filter(
            run__status=PayRun.Status.POSTED,
            run__period_start__lte=context.end,
            run__period_end__gte=context.start,
            worker__in=workers,
        ).values("worker_id", "run_id", "deductions"):
            codes = applied_codes(line["deductions"])
            applied.setdefault(line["worker_id"], set()).update(codes)
            if codes:
                runs.setdefault(line["worker_id"], set()).add(line["run_id"])
        for (worker_id, partner_id), pair in sorted(
            pairs.items(), key=lambda item: (item[1]["reference"], names.get(item[0][1], ""))
        ):
            yield from self.judge(
                context,
                pair,
                names.get(partner_id, ""),
                list(consents.get((worker_id, partner_id), {}).values()),
                applied.get(worker_id, set()),
                runs.get(worker_id, set()),
            )

    def judge(self, context, pair, partner, consents, applied, runs):
        first: datetime.date = pair["first"]
        records = evidence_of(ProductionRecord, pair["ids"])
        reference = pair["reference"]
        if not consents:
            yield self.finding(
                context,
                worker=reference,
                start=first,
                detail=_("no written work consent for %(partner)s on file; worked from %(first)s")
                % {"partner": partner, "first": first.isoformat()},
                figures={"partner": partner, "first_shift": first},
                evidence=records,
            )
            return
        before = [consent for consent in consents if consent["signed_on"] <= first]
        consent = before[-1] if before else consents[0]
        cited = evidence_of(Consent, [consent["id"]])
        signed: datetime.date = consent["signed_on"]
        if signed > first:
            yield self.finding(
                context,
                worker=reference,
                start=first,
                end=min(signed - ONE_DAY, context.end),
                detail=_("worked from %(first)s, consent signed %(signed)s")
                % {"first": first.isoformat(), "signed": signed.isoformat()},
                figures={"partner": partner, "first_shift": first, "signed_on": signed},
                evidence=cited + records,
            )
        if consent["document_id"] is None:
            yield self.missing(
                context,
                worker=reference,
                detail=_(
                    "the work consent for %(partner)s signed %(signed)s has no signed document "
                    "on file"
                )
                % {"partner": partner, "signed": signed.isoformat()},
                figures={"partner": partner, "signed_on": signed},
                evidence=cited,
            )
        not_named = sorted(applied - consent["codes"])
        if not_named:
            yield self.finding(
                context,
                worker=reference,
                detail=_(
                    "deductions applied that the consent for %(partner)s does not name: "
                    "%(missing)s (it names: %(named)s)"
                )
                % {
                    "partner": partner,
                    "missing": ", ".join(not_named),
                    "named": ", ".join(sorted(consent["codes"])) or _("none"),
                },
                figures={
                    "partner": partner,
                    "applied": ", ".join(sorted(applied)),
                    "named": ", ".join(sorted(consent["codes"])),
                    "not_named": ", ".join(not_named),
                },
                evidence=cited + evidence_of(PayRun, runs),
            )
