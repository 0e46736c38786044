from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate
from django.utils.translation import gettext_lazy as _


class WorkshopsConfig(AppConfig):
    """The work programme's register and records. Imports none of our other apps."""

    name = "workshops"
    verbose_name = _("Work programme")

    def ready(self):
        from workshops.register.references import drop_sqlite_trigger, make_sqlite_trigger

        # SQLite's guard of workers' references lives outside migrations (workshops.register.references).
        pre_migrate.connect(drop_sqlite_trigger, sender=self)
        post_migrate.connect(make_sqlite_trigger, sender=self)
