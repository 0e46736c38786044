"""Fixtures of the production screens' tests: the production world with the admin's home page,
and a supervisor signed in with the second factor passed; the inventory tests' two SKUs in stock and
the other workshop's SKU;
the production-lock tests' three records; and the certificate screens' course, enrolment earned,
staff of each role, programme manager signed in and certificate issued (the other certificate
tests define their own ``earned`` and ``certificate``)."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client

from brand.roles import sync_roles
from core.testing.twofactor import login_with_second_factor
from tests.brand.builders import build_home
from tests.workshops.certificate_screens import HOLDER, enrol, signed_in
from tests.workshops.inventory_checks import receive
from tests.workshops.production_builders import build_world
from tests.workshops.production_lock_checks import build_record
from workshops.models import SKU, Course
from workshops.training.certificates import issue_certificate


@pytest.fixture
def world():
    build_home()
    return build_world()


@pytest.fixture
def supervisor_client(client, world):
    login_with_second_factor(client, world.supervisor)
    return client


@pytest.fixture
def stocked(world):
    """SKU-A with 10 on hand, SKU-B with 4."""
    a, b = world.skus
    receive(world, sku=a, quantity=10, key="in-a")
    receive(world, sku=b, quantity=4, key="in-b")
    return a, b


@pytest.fixture
def records(world):
    """W-000000 × SKU-A, W-000000 × SKU-B, W-000001 × SKU-A."""
    first, second, _third = world.workers
    sku_a, sku_b = world.skus
    return [
        build_record(world, first, sku_a),
        build_record(world, first, sku_b, hours="2", pieces=3, rejects=0),
        build_record(world, second, sku_a, hours="6", pieces=20, rejects=2),
    ]


@pytest.fixture
def course(world):
    return Course.objects.create(
        code="garment-2",
        trade=world.workshop.trade,
        qualification="Garment maker",
        qualification_translations={"fr": "Couturier confirmé"},
        qualification_code="NVA-GM-2",
        level="EQF level 2",
        awarding_body="National Vocational Authority",
        required_hours=Decimal(4),
        assessment="Practical test",
    )


@pytest.fixture
def earned(world, course):
    return enrol(world, course, world.workers[0])


@pytest.fixture
def staff(world):
    """A user of each role, and a superuser, by role slug."""
    groups = sync_roles()
    users = {"supervisor": world.supervisor, "superuser": User.objects.create_superuser("root")}
    for role in ("finance", "auditor", "programme"):
        users[role] = User.objects.create_user(role)
        users[role].groups.add(groups[role])
    return users


@pytest.fixture
def programme(staff) -> Client:
    return signed_in(staff["programme"])


@pytest.fixture
def certificate(staff, earned):
    return issue_certificate(
        enrolment=earned, holder_name=HOLDER, user=staff["programme"], language="fr"
    )


@pytest.fixture
def other_sku(world) -> SKU:
    return SKU.objects.get(code="SKU-O")
