"""The checks every production record passes on its way in, from the grid, an import or an
adjustment alike, made set-based: ``check_entries`` reads what it needs for all the entries in a
fixed number of queries and reports every problem at once.

A record is refused for a future day, a SKU that is not the workshop's, a worker not assigned to
the workshop that day, a supervisor not supervising it that day (legacy rows may name none), a
missing fitness clearance where the policy requires one (Mandela Rule 96), partner work without a
work consent in force (ILO C029), a duplicate, a day over 24 hours, or a day after the notice a
suspended partner or workshop has to finish the work under way (``register.suspensions``). Hours
over the working-time policy's limits (Mandela Rule 102) are accepted only with a reason in
``supervisor_note``; the record then carries the breached rules' codes in ``breaches``. Legacy rows (history from before
the prison used Bridgework) skip the fitness and consent checks, and only when allowed.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.formatting import format_day
from workshops.bounds import production_problems
from workshops.models import (
    SKU,
    Assignment,
    Consent,
    Contract,
    FitnessClearance,
    ProductionRecord,
    Worker,
    WorkingTimePolicy,
    Workshop,
    WorkshopSupervisor,
)
from workshops.register.suspensions import production_refusal
from workshops.working_time import HOURS_IN_A_DAY, assess, in_chunks, occupied_hours, reach

ONE_DAY = datetime.timedelta(days=1)
NOTE_LENGTH = ProductionRecord._meta.get_field("supervisor_note").max_length


@dataclass(slots=True)
class Entry:
    """One record as someone wants it to be."""

    worker: Worker
    workshop: Workshop
    day: datetime.date
    sku: SKU | None
    hours: Decimal
    pieces: int = 0
    rejects: int = 0
    supervisor: object = None  # a user, or None for a legacy row
    supervisor_note: str = ""
    legacy: bool = False
    line: int | None = None  # the file's line number, for reports
    breaches: tuple[str, ...] = ()  # filled in by check_entries

    @property
    def key(self) -> tuple:
        return (self.worker.pk, self.workshop.pk, self.day, self.sku.pk if self.sku else None)

    def describe(self) -> str:
        what = self.sku.code if self.sku else _("time-only work")
        return f"{self.worker} · {what}"


@dataclass(frozen=True, slots=True)
class Problem:
    message: str
    line: int | None = None
    key: tuple | None = None

    def __str__(self):
        if self.line is None:
            return self.message
        return _("Line %(line)s: %(message)s") % {"line": self.line, "message": self.message}


# A refusal reports at most this many problems, the first in line order, and counts the rest: a
# file of bad rows within the upload and row limits holds millions of problems, and listing them
# all would take hundreds of MiB and help no one.
REPORTED_PROBLEMS = 1000


def _in_line_order(problem: Problem) -> tuple:
    return (problem.line or 0, problem.message)


class Problems:
    """The problems found so far: ``count`` of them, of which the first ``limit`` in line order
    are kept (``first()``). Adding one costs amortised O(log limit) time and the whole holds at
    most twice ``limit`` problems, however many are added."""

    def __init__(self, problems: Iterable[Problem] = (), *, limit: int | None = None):
        self.limit = limit or REPORTED_PROBLEMS
        self.count = 0
        self._kept: list[Problem] = []
        self.extend(problems)

    def append(self, problem: Problem) -> None:
        self.count += 1
        self._kept.append(problem)
        if len(self._kept) >= 2 * self.limit:
            self._trim()

    def extend(self, problems: "Iterable[Problem] | Problems") -> None:
        if isinstance(problems, Problems):
            for problem in problems.first():
                self.append(problem)
            self.count += problems.count - len(problems.first())
        else:
            for problem in problems:
                self.append(problem)

    def _trim(self) -> None:
        self._kept.sort(key=_in_line_order)
        del self._kept[self.limit :]

    def first(self) -> list[Problem]:
        """The first ``limit`` problems, in line order."""
        self._trim()
        return self._kept

    def __bool__(self) -> bool:
        return self.count > 0


class ProductionRefused(ValidationError):
    """Nothing was saved; ``problems`` says the reasons, by line or by cell, in line order: all
    of them, or the first ``REPORTED_PROBLEMS`` when there are more. ``count`` is how many there
    are in all and ``more`` how many are not listed."""

    def __init__(self, problems: "Iterable[Problem] | Problems"):
        collected = problems if isinstance(problems, Problems) else Problems(problems)
        self.problems = list(collected.first())
        self.count = collected.count
        self.more = self.count - len(self.problems)
        messages = [str(problem) for problem in self.problems]
        if self.more:
            messages.append(self.more_message(self.more))
        super().__init__(messages)

    @staticmethod
    def more_message(more: int) -> str:
        return ngettext(
            "…and %(count)s more problem, not listed.",
            "…and %(count)s more problems, not listed.",
            more,
        ) % {"count": number_format(more, force_grouping=True)}


def _during(rows, day) -> bool:
    return any(start <= day and (end is None or day <= end) for start, end in rows)


class _Context:
    """Everything the checks read, loaded for all entries at once (one query per kind)."""

    def __init__(self, entries: list[Entry], replacing: Iterable[int]):
        worker_ids = {e.worker.pk for e in entries}
        workshop_ids = {e.workshop.pk for e in entries}
        first, last = reach(e.day for e in entries)
        self.assignments = defaultdict(list)
        self.clearances = defaultdict(list)
        self.consents = defaultdict(list)
        self.existing = {}
        for ids in in_chunks(worker_ids):
            for worker, workshop, start, end in Assignment.objects.filter(
                worker__in=ids, workshop__in=workshop_ids, start__lte=last
            ).values_list("worker_id", "workshop_id", "start", "end"):
                self.assignments[worker, workshop].append((start, end))
            for worker, start, end in FitnessClearance.objects.filter(
                worker__in=ids, cleared_on__lte=last
            ).values_list("worker_id", "cleared_on", "valid_until"):
                self.clearances[worker].append((start, end))
            for worker, partner, signed, withdrawn in Consent.objects.filter(
                worker__in=ids, kind=Consent.Kind.WORK, signed_on__lte=last
            ).values_list("worker_id", "partner_id", "signed_on", "withdrawn_on"):
                self.consents[worker, partner].append((signed, withdrawn))
        self.hours = occupied_hours(
            worker_ids, first, last, except_records=replacing, records=self.existing
        )
        self.supervisions = defaultdict(list)
        for workshop, user, start, end in WorkshopSupervisor.objects.filter(
            workshop__in=workshop_ids, start__lte=last
        ).values_list("workshop_id", "user_id", "start", "end"):
            self.supervisions[workshop, user].append((start, end))
        self.contracts = defaultdict(list)
        for contract in (
            Contract.objects.filter(workshop__in=workshop_ids, start__lte=last)
            .filter(Q(end__isnull=True) | Q(end__gte=first))
            .select_related("partner")
        ):
            self.contracts[contract.workshop_id].append(contract)
        self.policies = list(WorkingTimePolicy.objects.filter(effective_from__lte=last))

    def policy_on(self, day):
        candidates = [p for p in self.policies if p.effective_from <= day]
        return max(candidates, key=lambda p: p.effective_from) if candidates else None

    def contract_on(self, workshop_id, day):
        for contract in self.contracts.get(workshop_id, ()):
            if contract.start <= day and (contract.end is None or day <= contract.end):
                return contract
        return None

    def partner_on(self, workshop_id, day):
        contract = self.contract_on(workshop_id, day)
        return contract.partner if contract else None

    def consented(self, worker_id, partner, day, notice_days) -> bool:
        """A work consent for ``partner`` signed on or before ``day`` and not withdrawn more than
        the notice period before it (work on the last day of notice is still allowed)."""
        notice = datetime.timedelta(days=notice_days)
        return any(
            signed <= day and (withdrawn is None or day < withdrawn + notice)
            for signed, withdrawn in self.consents.get((worker_id, partner.pk), ())
        )


def _entry_problems(entry: Entry, context: _Context, *, today, allow_legacy) -> list[str]:
    problems = []
    worker, workshop, day = entry.worker, entry.workshop, entry.day
    if day > today:
        problems.append(_("%(day)s is in the future.") % {"day": format_day(day)})
    problems.extend(
        production_problems(hours=entry.hours, pieces=entry.pieces, rejects=entry.rejects)
    )
    if len(entry.supervisor_note) > NOTE_LENGTH:
        problems.append(
            _("The note has %(length)s characters; at most %(limit)s fit.")
            % {"length": len(entry.supervisor_note), "limit": NOTE_LENGTH}
        )
    if entry.sku is None and workshop.makes_products:
        problems.append(
            _("%(workshop)s makes products: give the SKU.") % {"workshop": workshop.slug}
        )
    elif entry.sku is not None and not workshop.makes_products:
        problems.append(
            _("%(workshop)s does time-only work: leave the SKU empty.")
            % {"workshop": workshop.slug}
        )
    elif entry.sku is not None and entry.sku.workshop_id != workshop.pk:
        problems.append(
            _("SKU %(sku)s is not made by %(workshop)s.")
            % {"sku": entry.sku.code, "workshop": workshop.slug}
        )
    if entry.sku is None and (entry.pieces or entry.rejects):
        problems.append(_("Time-only work has no pieces or rejects."))
    cent = Decimal("0.01")
    if 0 <= entry.hours <= HOURS_IN_A_DAY and entry.hours != entry.hours.quantize(cent):
        # The column keeps two: refused as the importer refuses it, never rounded on saving.
        problems.append(
            _("%(name)s “%(text)s” has more than two decimals.")
            % {"name": _("hours"), "text": entry.hours}
        )
    if entry.legacy and not allow_legacy:
        problems.append(_("Legacy rows are accepted only when importing with --legacy."))
    if not _during(context.assignments.get((worker.pk, workshop.pk), ()), day):
        problems.append(
            _("%(worker)s was not assigned to %(workshop)s on %(day)s.")
            % {"worker": worker, "workshop": workshop.slug, "day": format_day(day)}
        )
    if entry.supervisor is None:
        if not entry.legacy:
            problems.append(_("Name the supervisor: only legacy rows may leave it empty."))
    elif not _during(context.supervisions.get((workshop.pk, entry.supervisor.pk), ()), day):
        problems.append(
            _("%(user)s does not supervise %(workshop)s on %(day)s.")
            % {
                "user": entry.supervisor.get_username(),
                "workshop": workshop.slug,
                "day": format_day(day),
            }
        )
    policy = context.policy_on(day)
    suspension = production_refusal(workshop, context.contract_on(workshop.pk, day), day, policy)
    if suspension:
        problems.append(suspension)
    if entry.legacy:
        return problems
    if (
        policy
        and policy.fitness_clearance_required
        and not _during(context.clearances.get(worker.pk, ()), day)
    ):
        problems.append(
            _("%(worker)s has no fitness clearance on file for %(day)s (Mandela Rule 96).")
            % {"worker": worker, "day": format_day(day)}
        )
    partner = context.partner_on(workshop.pk, day)
    notice = policy.consent_notice_days if policy else 0
    if partner and not context.consented(worker.pk, partner, day, notice):
        problems.append(
            _("%(worker)s has no work consent for %(partner)s in force on %(day)s.")
            % {"worker": worker, "partner": partner, "day": format_day(day)}
        )
    return problems


def check_entries(
    entries: list[Entry],
    *,
    today: datetime.date,
    allow_legacy: bool = False,
    replacing: Iterable[int] = (),
    duplicates_of_existing: bool = True,
) -> Problems:
    """Every problem with ``entries`` (empty when all may be saved); sets each entry's
    ``breaches``. ``replacing`` are the pks of existing records the entries take the place of
    (a grid re-saved, a record corrected): their hours do not count twice."""
    if not entries:
        return Problems()
    context = _Context(entries, replacing)
    problems = Problems()
    repeats = _repeats(entries)
    duplicates = set()  # entries already refused as duplicates: their hours are not counted again
    for entry in entries:
        for message in _entry_problems(entry, context, today=today, allow_legacy=allow_legacy):
            problems.append(Problem(message, entry.line, entry.key))
        earlier = repeats.get(id(entry))
        if earlier is not None or (duplicates_of_existing and entry.key in context.existing):
            duplicates.add(id(entry))
        if earlier is not None:
            message = (
                _("the same worker, workshop, day and SKU as line %(line)s.")
                % {"line": earlier.line}
                if earlier.line is not None
                else _("the same worker, workshop, day and SKU twice.")
            )
            problems.append(Problem(_("Duplicate: %(what)s") % {"what": message}, entry.line))
        if duplicates_of_existing and entry.key in context.existing:
            problems.append(
                Problem(
                    _("A record for %(worker)s at %(workshop)s on %(day)s (%(what)s) exists.")
                    % {
                        "worker": entry.worker,
                        "workshop": entry.workshop.slug,
                        "day": format_day(entry.day),
                        "what": entry.sku.code if entry.sku else _("time-only work"),
                    },
                    entry.line,
                    entry.key,
                )
            )
    problems.extend(
        _working_time_problems([e for e in entries if id(e) not in duplicates], context)
    )
    return problems


def _by_worker(entries: list[Entry]) -> dict[int, list[Entry]]:
    """The entries of each worker, in their order. The checks that compare entries with one
    another (duplicates, hours by day and week) go worker by worker, so what they build is one
    worker's at a time, not one object per entry of a file of hundreds of thousands."""
    found = defaultdict(list)
    for entry in entries:
        found[entry.worker.pk].append(entry)
    return found


def _repeats(entries: list[Entry]) -> dict[int, Entry]:
    """For each entry (by ``id``) with the key of an earlier one, the latest such earlier one."""
    found = {}
    for own in _by_worker(entries).values():
        seen = {}
        for entry in own:
            key = entry.key
            if key in seen:
                found[id(entry)] = seen[key]
            seen[key] = entry
    return found


def _working_time_problems(entries: list[Entry], context: _Context) -> list[Problem]:
    """Mandela Rule 102 over each worker's day and week, existing records included: one
    ``assess`` per worker over all its days. Reported in the entries' order."""
    refusals = {}
    codes = {}  # one tuple for each set of breached rules, shared by the entries
    for own in _by_worker(entries).values():
        hours = defaultdict(Decimal, context.hours.get(own[0].worker.pk, {}))
        for entry in own:
            hours[entry.day] += entry.hours
        assessments = assess(
            hours, {entry.day for entry in own}, policy_on=context.policy_on, worker=own[-1].worker
        )
        for entry in own:
            assessment = assessments[entry.day]
            refusal = assessment.refusal(entry.supervisor_note)
            if refusal:
                refusals[id(entry)] = Problem(refusal, entry.line, entry.key)
            if assessment.hours <= HOURS_IN_A_DAY:
                breached = tuple(breach.code for breach in assessment.breaches)
                entry.breaches = codes.setdefault(breached, breached)
    return [refusals[id(entry)] for entry in entries if id(entry) in refusals]
