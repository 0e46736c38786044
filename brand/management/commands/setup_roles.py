from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from brand.roles import ROLES, sync_roles


class Command(BaseCommand):
    help = "Create or update the groups of every role with exactly the permissions it needs."

    def handle(self, *args, **options):
        sync_roles()
        for role in ROLES:
            self.stdout.write(f"  {role.name}")
        self.stdout.write(
            self.style.SUCCESS(_("%(count)d roles are up to date.") % {"count": len(ROLES)})
        )
