"""The shared policy and viewset for operational records: view plus the named actions, nothing
else, for superusers too; listings export the columns they show."""

import pytest
from django.contrib.auth.models import Group, Permission, User

from core import viewsets
from core.permissions import ReadOnlyPolicy

pytestmark = pytest.mark.django_db


def user_with(*codenames, superuser=False):
    user = User.objects.create(username=f"u{User.objects.count()}", is_superuser=superuser)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="auth", codename__in=codenames)
    )
    return User.objects.get(pk=user.pk)  # a fresh permission cache


def test_read_only_allows_view_alone_even_to_a_superuser():
    policy = ReadOnlyPolicy(Group)
    admin = user_with(superuser=True)
    assert [policy.user_has_permission(admin, a) for a in ("view", "add", "change", "delete")] == [
        True,
        False,
        False,
        False,
    ]
    assert policy.user_has_any_permission(admin, ["change", "delete"]) is False


def test_also_allows_the_named_actions_to_those_who_hold_them():
    policy = ReadOnlyPolicy(Group, also=("add",))
    adder = user_with("view_group", "add_group", "change_group")
    viewer = user_with("view_group")
    assert policy.user_has_permission(adder, "add") is True
    assert policy.user_has_permission(adder, "change") is False
    assert policy.user_has_permission(viewer, "add") is False
    assert policy.user_has_permission(viewer, "view") is True


def test_a_record_viewset_registers_its_policy_and_exports_its_columns(monkeypatch):
    registered = []
    monkeypatch.setattr(
        viewsets, "register_read_only", lambda model, also: registered.append((model, also))
    )

    class GroupViewSet(viewsets.RecordViewSet):
        model = Group
        list_display = ["name"]
        also_allowed = ("add",)

    viewset = GroupViewSet()
    assert registered == [(Group, ("add",))]
    assert viewset.list_export == ["name"]
    assert viewset.export_filename == "groups"
    assert viewset.inspect_view_enabled is True
    assert viewset.copy_view_enabled is False
