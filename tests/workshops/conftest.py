"""Fixtures of the production screens' tests: the production world with the admin's home page,
and a supervisor signed in with the second factor passed; the inventory tests' two SKUs in stock;
and the production-lock tests' three records."""

import pytest

from core.testing.twofactor import login_with_second_factor
from tests.brand.builders import build_home
from tests.workshops.inventory_checks import receive
from tests.workshops.production_builders import build_world
from tests.workshops.production_lock_checks import build_record


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
