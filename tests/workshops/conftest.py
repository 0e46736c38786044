"""Fixtures of the production screens' tests: the production world with the admin's home page,
and a supervisor signed in with the second factor passed."""

import pytest

from core.testing.twofactor import login_with_second_factor
from tests.brand.builders import build_home
from tests.workshops.production_builders import build_world


@pytest.fixture
def world():
    build_home()
    return build_world()


@pytest.fixture
def supervisor_client(client, world):
    login_with_second_factor(client, world.supervisor)
    return client
