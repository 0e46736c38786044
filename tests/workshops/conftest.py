"""Fixtures of the production screens' tests: the production world with the admin's home page,
and a supervisor signed in with the second factor passed; and the inventory tests' two SKUs in
stock."""

import pytest

from core.testing.twofactor import login_with_second_factor
from tests.brand.builders import build_home
from tests.workshops.inventory_checks import receive
from tests.workshops.production_builders import build_world


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
