"""Wagtail permission policies shared by the apps."""

from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Only ``view``, and the actions named in ``also``, for everyone (superusers included): rows
    that change through their operations alone (production records, stock, the ledger) get no
    edit or delete screens. ``ReadOnlyPolicy(PayRun, also=("add",))`` lets a role that holds the
    add permission create a draft through the admin; every later step is an operation."""

    def __init__(self, model, also: tuple[str, ...] = (), **kwargs):
        super().__init__(model, **kwargs)
        self.actions = frozenset(("view", *also))

    def user_has_permission(self, user, action):
        return action in self.actions and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


def register_read_only(*models, also: tuple[str, ...] = ()) -> None:
    for model in models:
        register_permission_policy(model, ReadOnlyPolicy(model, also=also), exact_class=True)
