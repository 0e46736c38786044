"""Wagtail permission policies shared by the apps."""

from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Only ``view``, for everyone (superusers included): rows that change through their
    operations alone (production records, stock, the ledger) get no add, edit or delete
    screens."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


def register_read_only(*models) -> None:
    for model in models:
        register_permission_policy(model, ReadOnlyPolicy(model), exact_class=True)
