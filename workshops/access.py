"""Who supervises what: the one permission policy that limits a supervisor to their workshops.

A supervisor records production, training attendance and batches only for the workshops they
supervise that day (Mandela Rule 100.1: prison staff supervise the work), and reads the production
and stock of the workshops they ever supervised. Users with ``import_any_production`` (programme
managers, administrators) record for any workshop; finance, auditors and order fulfilment, who
read without recording, see every workshop. The grid, the importer, adjustments, attendance, the
inventory, the scoped listings and the audit log all ask ``workshop_policy``.

    workshop_policy.supervised(user, day=None)     the workshops ``user`` may record for
    workshop_policy.sees_every(user)               reads every workshop's production
    workshop_policy.visible(user)                  whose production ``user`` reads
    workshop_policy.may_record(user, workshop, day)
    workshop_policy.stocked(user)                  whose stock ``user`` reads
    workshop_policy.sees_all_stock(user)
    workshop_policy.countable(user)                whose stock ``user`` may count today

As a Wagtail permission policy on ``Workshop``, the actions ``record``, ``view_production``,
``view_stock`` and ``count_stock`` answer ``instances_user_has_permission_for`` and
``user_has_permission_for_instance``.
"""

import datetime

from django.db.models import Q
from django.utils import timezone
from wagtail.permission_policies import ModelPermissionPolicy

from workshops.models import Workshop, WorkshopSupervisor

ANY_WORKSHOP = "workshops.import_any_production"
RECORD = "workshops.record_production"
VIEW_PRODUCTION = "workshops.view_productionrecord"
VIEW_STOCK = "workshops.view_stock"
COUNT_STOCK = "workshops.count_stock"
SCOPED_PERMISSIONS = {
    "view_production": VIEW_PRODUCTION,
    "view_stock": VIEW_STOCK,
    "count_stock": COUNT_STOCK,
}


class WorkshopPolicy(ModelPermissionPolicy):
    """Workshop scoping for supervisors, as a Wagtail permission policy on ``Workshop``."""

    def __init__(self):
        super().__init__(Workshop)

    def may_record_anywhere(self, user) -> bool:
        """May open the recording screens at all (the grid, the import, training, batches)."""
        return user.has_perm(RECORD) or user.has_perm(ANY_WORKSHOP)

    def supervised(self, user, day: datetime.date | None = None):
        """The workshops ``user`` may record for (on ``day``, or on any day when None)."""
        if user.has_perm(ANY_WORKSHOP):
            return Workshop.objects.filter(is_active=True)
        if not user.has_perm(RECORD):
            return Workshop.objects.none()
        return Workshop.objects.filter(pk__in=self._supervisions(user, day).values("workshop"))

    def _supervisions(self, user, day: datetime.date | None):
        supervisions = WorkshopSupervisor.objects.filter(user=user)
        if day is not None:
            supervisions = supervisions.filter(start__lte=day).filter(
                Q(end__isnull=True) | Q(end__gte=day)
            )
        return supervisions

    def knows_people(self, user, workshop: Workshop, day: datetime.date) -> bool:
        """Whether ``user`` sees the name the workshop knows its workers by (``known_as``): its
        supervisors on ``day``, who know the people in their own workshop, and holders of
        ``view_worker_identity``."""
        return user.has_perm("workshops.view_worker_identity") or (
            self._supervisions(user, day).filter(workshop=workshop).exists()
        )

    def sees_every(self, user) -> bool:
        """Finance, auditors, programme managers: the view permission and no supervision duties."""
        return user.has_perm(ANY_WORKSHOP) or (
            user.has_perm(VIEW_PRODUCTION) and not user.has_perm(RECORD)
        )

    def visible(self, user):
        """Whose production ``user`` may read: every workshop (``sees_every``), else the
        workshops they ever supervised."""
        if self.sees_every(user):
            return Workshop.objects.all()
        return self.supervised(user)

    def may_record(self, user, workshop: Workshop, day: datetime.date) -> bool:
        return self.supervised(user, day).filter(pk=workshop.pk).exists()

    def stocked(self, user):
        """Whose stock ``user`` sees: supervisors their workshops', others with the view
        permission (order fulfilment, programme managers, auditors) every workshop's."""
        if not user.has_perm(VIEW_STOCK):
            return Workshop.objects.none()
        if user.has_perm(RECORD) and not self.sees_every(user):
            return self.supervised(user)
        return Workshop.objects.all()

    def sees_all_stock(self, user) -> bool:
        """When ``stocked`` gives every workshop."""
        return user.has_perm(VIEW_STOCK) and (self.sees_every(user) or not user.has_perm(RECORD))

    def countable(self, user):
        """Whose stock ``user`` may count: the workshops they supervise today; programme managers
        (and administrators) every workshop."""
        if not user.has_perm(COUNT_STOCK):
            return Workshop.objects.none()
        if self.sees_every(user):
            return Workshop.objects.all()
        return self.supervised(user, timezone.localdate())

    def user_has_permission(self, user, action):
        """``record``: records for some workshop; ``view_production``, ``view_stock`` and
        ``count_stock``: holds that permission (which workshops is ``instances_…``)."""
        if action == "record":
            return self.may_record_anywhere(user)
        if action in SCOPED_PERMISSIONS:
            return user.has_perm(SCOPED_PERMISSIONS[action])
        return super().user_has_permission(user, action)

    def instances_user_has_permission_for(self, user, action):
        scoped = {
            "record": lambda: self.supervised(user, timezone.localdate()),
            "view_production": lambda: self.visible(user),
            "view_stock": lambda: self.stocked(user),
            "count_stock": lambda: self.countable(user),
        }
        if action in scoped:
            return scoped[action]()
        return super().instances_user_has_permission_for(user, action)

    def user_has_permission_for_instance(self, user, action, instance):
        if action == "record" or action in SCOPED_PERMISSIONS:
            return (
                self.instances_user_has_permission_for(user, action).filter(pk=instance.pk).exists()
            )
        return super().user_has_permission_for_instance(user, action, instance)


workshop_policy = WorkshopPolicy()

supervised_workshops = workshop_policy.supervised
sees_every_workshop = workshop_policy.sees_every
visible_workshops = workshop_policy.visible
can_record = workshop_policy.may_record
stock_workshops = workshop_policy.stocked
