"""The back office's home page says what waits for the person signed in: one panel per role,
each a list of queries (``workshops.waiting``, ``wages.waiting``) with an exact count and a link
to each waiting record. A panel shows when its user holds the permissions the work needs:

- **supervisor** (records production for their own workshops): days of the past week with no
  production recorded, open safety follow-ups, stock to count;
- **finance** (approves or posts pay runs): runs waiting for my approval, runs I calculated that
  wait for another officer, runs to post, open runs overdue; partners' labour invoices past due
  and not paid in full;
- **programme manager** (issues certificates, keeps the register): enrolments ready for a
  certificate, work consents withdrawn while the worker is still assigned, workers without a
  fitness clearance in force;
- **auditor** (verifies the ledger): the last verification and its result.

Each list shows its first ``SHOWN`` records; the count is of all of them.
"""

import datetime
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from djmoney.money import Money
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.ui.components import Component
from wagtail.admin.viewsets import viewsets

from core.formatting import format_day, format_money, format_number, person_name
from wages import waiting as pay_waiting
from wages.invoices.overdue import overdue_labour_invoices
from wages.models import LabourInvoice, PayRun
from workshops import waiting
from workshops.access import supervised_workshops
from workshops.models import Certificate, Worker, WorkshopSupervisor

SHOWN = 5


@dataclass
class Item:
    text: str
    url: str | None


@dataclass
class Section:
    title: str
    count: int
    items: list[Item]
    empty: str


class WaitingPanel(Component):
    template_name = "wagtailadmin/home/waiting.html"

    def __init__(self, name: str, heading: str, sections: list[Section], order: int):
        self.name, self.heading, self.sections, self.order = name, heading, sections, order

    def get_context_data(self, parent_context=None):
        return {"panel": self}


def viewset_url(model, view: str, *args) -> str | None:
    """The address of ``view`` in the back-office viewset registered for ``model``."""
    for viewset in viewsets.viewsets:
        if getattr(viewset, "model", None) is model:
            try:
                return reverse(viewset.get_url_name(view), args=args)
            except NoReverseMatch:
                continue
    return None


def section(title, records, text, url, empty) -> Section:
    records = list(records)
    return Section(
        title=title,
        count=len(records),
        items=[Item(text(record), url(record)) for record in records[:SHOWN]],
        empty=empty,
    )


def day_text(day: datetime.date) -> str:
    return format_day(day)


def supervisor_panel(user, today) -> WaitingPanel | None:
    if not WorkshopSupervisor.objects.filter(user=user).exists():
        return None
    workshops = supervised_workshops(user, today)
    finder = AdminURLFinder(user)
    sections = [
        section(
            _("Days with no production recorded"),
            waiting.days_without_production(workshops, today),
            lambda pair: f"{pair[0].name}: {day_text(pair[1])}",
            lambda pair: reverse("production_grid", args=[pair[0].pk, pair[1].isoformat()]),
            _("Every working day of the past week is recorded."),
        ),
        section(
            _("Safety incidents to follow up"),
            waiting.open_follow_ups(workshops),
            lambda incident: (
                _("%(workshop)s: %(severity)s on %(day)s")
                % {
                    "workshop": incident.workshop.name,
                    "severity": incident.get_severity_display(),
                    "day": day_text(incident.occurred_on),
                }
            ),
            finder.get_edit_url,
            _("No incident waits for a follow-up."),
        ),
    ]
    if user.has_perm("workshops.count_stock"):
        sections.append(
            section(
                _("Stock to count"),
                waiting.stock_to_count(workshops, today),
                lambda pair: (
                    _("%(workshop)s: last counted %(day)s")
                    % {"workshop": pair[0].name, "day": day_text(pair[1])}
                    if pair[1]
                    else _("%(workshop)s: never counted") % {"workshop": pair[0].name}
                ),
                lambda pair: reverse("stock_count", args=[pair[0].pk]),
                _("All stock was counted in the last 90 days."),
            )
        )
    return WaitingPanel("waiting_supervisor", _("Your workshops"), sections, order=10)


def run_text(run: PayRun) -> str:
    return _("%(reference)s, %(prison)s, %(start)s to %(end)s") % {
        "reference": run.reference,
        "prison": run.prison.name,
        "start": day_text(run.period_start),
        "end": day_text(run.period_end),
    }


def finance_panel(user, today) -> WaitingPanel | None:
    approves, posts = user.has_perm("wages.approve_payrun"), user.has_perm("wages.post_payrun")
    if not (approves or posts):
        return None

    def url(run):
        return viewset_url(PayRun, "inspect", run.pk)

    sections = []
    if approves:
        sections += [
            section(
                _("Pay runs waiting for your approval"),
                pay_waiting.runs_to_approve(user),
                run_text,
                url,
                _("No run waits for your approval."),
            ),
            section(
                _("Runs you calculated, waiting for another officer"),
                pay_waiting.runs_with_another_officer(user),
                run_text,
                url,
                _("None."),
            ),
        ]
    if posts:
        sections.append(
            section(
                _("Approved runs to post"),
                pay_waiting.runs_to_post(),
                run_text,
                url,
                _("No approved run waits to be posted."),
            )
        )
    sections.append(
        section(
            _("Overdue: open more than a week after their period"),
            pay_waiting.overdue_runs(today),
            run_text,
            url,
            _("Nothing is overdue."),
        )
    )
    if user.has_perm("wages.view_labourinvoice"):
        sections.append(
            section(
                _("Overdue labour invoices"),
                overdue_labour_invoices(today),
                labour_invoice_text,
                lambda invoice: viewset_url(LabourInvoice, "inspect", invoice.pk),
                _("No labour invoice is overdue."),
            )
        )
    return WaitingPanel("waiting_finance", _("Pay runs"), sections, order=20)


def labour_invoice_text(invoice: LabourInvoice) -> str:
    return _("%(number)s, %(partner)s, %(owed)s owed since %(due)s") % {
        "number": invoice.number,
        "partner": invoice.partner.name,
        "owed": format_money(Money(invoice.outstanding, invoice.currency)),
        "due": day_text(invoice.due_on),
    }


def programme_panel(user, today) -> WaitingPanel | None:
    if not user.has_perm("workshops.add_certificate"):
        return None

    def worker_url(worker):
        return viewset_url(Worker, "edit", worker.pk)

    sections = [
        section(
            _("Ready for a certificate"),
            waiting.ready_for_certificate(),
            lambda enrolment: (
                _("%(worker)s: %(qualification)s, %(hours)s hours, assessment passed")
                % {
                    "worker": enrolment.worker.reference,
                    "qualification": enrolment.course.qualification_in(),
                    "hours": format_number(enrolment.attended),
                }
            ),
            lambda enrolment: f"{viewset_url(Certificate, 'add')}?enrolment={enrolment.pk}",
            _("No enrolment is ready for a certificate."),
        )
    ]
    if user.has_perm("workshops.change_assignment"):
        sections += [
            section(
                _("Consent withdrawn, still assigned"),
                waiting.consents_withdrawn(today),
                lambda consent: (
                    _(
                        "%(worker)s: consent to work for %(partner)s withdrawn on %(withdrawn)s; "
                        "work may be recorded until %(last)s"
                    )
                    % {
                        "worker": consent.worker.reference,
                        "partner": consent.partner.name,
                        "withdrawn": day_text(consent.withdrawn_on),
                        "last": day_text(consent.notice_ends),
                    }
                ),
                lambda consent: worker_url(consent.worker),
                _("No assigned worker has withdrawn a consent."),
            ),
            section(
                _("Assigned without a fitness clearance in force"),
                waiting.clearances_missing(today),
                lambda worker: (
                    _("%(worker)s: clearance ends on %(day)s")
                    % {"worker": worker.reference, "day": day_text(worker.clearance_ends)}
                    if worker.clearance_ends
                    else _("%(worker)s: no clearance in force") % {"worker": worker.reference}
                ),
                worker_url,
                _("Every assigned worker holds a clearance for the next 30 days."),
            ),
        ]
    return WaitingPanel("waiting_programme", _("Work programme"), sections, order=30)


def auditor_panel(user, today) -> WaitingPanel | None:
    if not user.has_perm("wages.verify_ledger"):
        return None
    last = pay_waiting.last_verification()
    if last is None:
        text = _("The ledger has not been verified yet.")
    else:
        text = (
            ngettext(
                "Verified on %(day)s by %(name)s: %(journals)s journal, intact.",
                "Verified on %(day)s by %(name)s: %(journals)s journals, intact.",
                last.journals,
            )
            if last.intact
            else ngettext(
                "Verified on %(day)s by %(name)s: %(problems)s problem found.",
                "Verified on %(day)s by %(name)s: %(problems)s problems found.",
                len(last.problems),
            )
        ) % {
            "day": day_text(timezone.localdate(last.run_at)),
            "name": person_name(last.run_by),
            "journals": format_number(last.journals),
            "problems": format_number(len(last.problems)),
        }
    verification = Section(
        title=_("Ledger verification"),
        count=0 if last is not None and last.intact else 1,
        items=[Item(text, reverse("ledger_verify"))],
        empty="",
    )
    return WaitingPanel("waiting_auditor", _("The ledger"), [verification], order=40)


PANELS = (supervisor_panel, finance_panel, programme_panel, auditor_panel)


def waiting_panels(user, today: datetime.date | None = None) -> list[WaitingPanel]:
    today = today or timezone.localdate()
    return [panel for make in PANELS if (panel := make(user, today)) is not None]
