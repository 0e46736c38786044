"""The operations that keep the compliance data (STYLE.md, "one place for each operation"): each
checks the user's permission, changes the data in one transaction, and writes the audit log. The
back office's forms (``compliance.register.admin``), the demo and the tests all call them; a
refusal is a ``ValidationError`` in words, and nothing is saved.

    save_inspection(*, user, inspection)          record or change a safety inspection
    save_insurance(*, user, cover)                record or change an injury insurance cover,
                                                  refused when it overlaps another of the same
                                                  partner and placement
    save_declaration(*, user, declaration)        record or change a declaration of interest
    save_grievance(*, user, grievance)            record or change a grievance
    answer_grievance(*, user, grievance, answered_on, outcome)
    save_thresholds(*, user, thresholds)          a new version of the compliance thresholds, or
                                                  a change to one not yet in force

Each takes the record as a model instance (new, or changed and not yet saved: a form's
``save(commit=False)``).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from compliance.models import (
    ComplianceThresholds,
    Grievance,
    InsuranceCover,
    InterestDeclaration,
    SafetyInspection,
)
from core.formatting import format_day
from workshops.models import Partner


def _require(user, model, action: str) -> None:
    codename = f"{model._meta.app_label}.{action}_{model._meta.model_name}"
    if user is None or not user.has_perm(codename):
        raise PermissionDenied(
            _("You may not keep %(records)s.") % {"records": model._meta.verbose_name_plural}
        )


def _save(instance, *, user, check=None):
    """Permission, validation (the model's constraints in words), ``check``, save and log, in
    one transaction."""
    model = type(instance)
    adding = instance.pk is None
    _require(user, model, "add" if adding else "change")
    with transaction.atomic():
        instance.full_clean()
        if check is not None:
            check(instance)
        instance.save()
        log(instance, "wagtail.create" if adding else "wagtail.edit", user=user)
    return instance


def save_inspection(*, user, inspection: SafetyInspection) -> SafetyInspection:
    return _save(inspection, user=user)


def save_declaration(*, user, declaration: InterestDeclaration) -> InterestDeclaration:
    return _save(declaration, user=user)


# Injury insurance ------------------------------------------------------------------------------


def overlapping_cover(cover: InsuranceCover) -> InsuranceCover | None:
    """Another cover of the same partner and placement meeting ``cover``'s period."""
    return (
        InsuranceCover.objects.filter(
            partner_id=cover.partner_id,
            workshop_id=cover.workshop_id,
            start__lte=cover.end,
            end__gte=cover.start,
        )
        .exclude(pk=cover.pk)
        .order_by("start")
        .first()
    )


def _overlap_refusal(cover: InsuranceCover, clash: InsuranceCover | None) -> ValidationError:
    if clash is None:
        return ValidationError(
            _("Another injury insurance cover of %(partner)s now overlaps this period.")
            % {"partner": cover.partner}
        )
    where = cover.workshop or _("all of its work")
    return ValidationError(
        _(
            "%(partner)s is already insured for %(where)s by %(insurer)s (policy %(policy)s) "
            "from %(start)s to %(end)s: covers of the same partner and placement never overlap."
        )
        % {
            "partner": cover.partner,
            "where": where,
            "insurer": clash.insurer,
            "policy": clash.policy_number,
            "start": format_day(clash.start),
            "end": format_day(clash.end),
        },
        code="insurance_overlap",
    )


def _no_overlap(cover: InsuranceCover) -> None:
    clash = overlapping_cover(cover)
    if clash is not None:
        raise _overlap_refusal(cover, clash)


def save_insurance(*, user, cover: InsuranceCover) -> InsuranceCover:
    """Refused when another cover of the same partner and placement meets its period: here in
    Python, and on PostgreSQL by the exclusion constraint of migration 0001 when two are recorded
    at the same moment (its refusal says the same, naming the cover that landed first)."""
    _require(user, InsuranceCover, "add" if cover.pk is None else "change")
    try:
        with transaction.atomic():
            # One partner's covers are recorded one at a time: two overlapping ones inserted at
            # once would each wait on the other's row in the exclusion constraint's check, which
            # PostgreSQL ends as a deadlock rather than as the constraint's refusal.
            Partner.objects.select_for_update().filter(pk=cover.partner_id).first()
            return _save(cover, user=user, check=_no_overlap)
    except IntegrityError as refused:
        if "insurance_does_not_overlap" not in str(refused):
            raise
        raise _overlap_refusal(cover, overlapping_cover(cover)) from None


# Grievances ------------------------------------------------------------------------------------


def _answered_after_received(grievance: Grievance) -> None:
    if grievance.answered_on and grievance.answered_on < grievance.received_on:
        raise ValidationError(
            {
                "answered_on": _(
                    "The answer is dated %(answered)s, before the grievance was received on "
                    "%(received)s."
                )
                % {
                    "answered": format_day(grievance.answered_on),
                    "received": format_day(grievance.received_on),
                }
            }
        )


def save_grievance(*, user, grievance: Grievance) -> Grievance:
    """Record or change a grievance; an answer entered with it is logged as the answer too."""
    _require(user, Grievance, "add" if grievance.pk is None else "change")
    _answered_after_received(grievance)
    was_answered = (
        grievance.pk is not None
        and Grievance.objects.filter(pk=grievance.pk, answered_on__isnull=False).exists()
    )
    with transaction.atomic():
        _save(grievance, user=user, check=_answered_after_received)
        if grievance.answered_on and not was_answered:
            log(
                grievance,
                "bridgework.grievance_answered",
                user=user,
                data={"answered_on": grievance.answered_on.isoformat()},
            )
    return grievance


def answer_grievance(*, user, grievance: Grievance, answered_on, outcome: str) -> Grievance:
    """Record the answer to ``grievance``: refused before it was received, or without an
    outcome."""
    _require(user, Grievance, "change")
    with transaction.atomic():
        grievance = Grievance.objects.select_for_update().get(pk=grievance.pk)
        grievance.answered_on, grievance.outcome = answered_on, (outcome or "").strip()
        _answered_after_received(grievance)
        grievance.full_clean()
        grievance.save(update_fields=["answered_on", "outcome"])
        log(
            grievance,
            "bridgework.grievance_answered",
            user=user,
            data={"answered_on": answered_on.isoformat()},
        )
    return grievance


# Compliance thresholds -------------------------------------------------------------------------


def _range_in_words(thresholds: ComplianceThresholds) -> None:
    """The ranges the database checks too, each said of its own field."""
    errors = {}
    for name in ("training_share", "gender_gap", "victims_fund_min", "victims_fund_max"):
        value = getattr(thresholds, name)
        if value is not None and not 0 <= value <= 100:
            errors[name] = _("%(value)s %% is not a share: write 0 to 100 %%.") % {"value": value}
    low, high = thresholds.victims_fund_min, thresholds.victims_fund_max
    if low is not None and high is not None and low > high and "victims_fund_max" not in errors:
        errors["victims_fund_max"] = _(
            "The victims' fund's greatest share (%(max)s %%) is below its least (%(min)s %%)."
        ) % {"max": high, "min": low}
    if errors:
        raise ValidationError(errors)


def _versioned(thresholds: ComplianceThresholds) -> None:
    """A version in force is never edited, and a new one never takes effect in the past: a
    check already run read the version then in force, and must read the same again."""
    today = timezone.localdate()
    if thresholds.pk is not None:
        stored = ComplianceThresholds.objects.get(pk=thresholds.pk)
        if stored.effective_from <= today:
            raise ValidationError(
                _(
                    "The thresholds in effect from %(day)s are in force: they never change. "
                    "Add a new version from a later day."
                )
                % {"day": format_day(stored.effective_from)}
            )
    elif not ComplianceThresholds.objects.exists():
        return  # the first version: nothing was in force before it
    if thresholds.effective_from <= today:
        raise ValidationError(
            {
                "effective_from": _(
                    "A new version takes effect after today (%(today)s) at the earliest: the "
                    "thresholds of past days never change."
                )
                % {"today": format_day(today)}
            }
        )


def save_thresholds(*, user, thresholds: ComplianceThresholds) -> ComplianceThresholds:
    _require(user, ComplianceThresholds, "add" if thresholds.pk is None else "change")
    _range_in_words(thresholds)
    _versioned(thresholds)
    return _save(thresholds, user=user, check=_versioned)
