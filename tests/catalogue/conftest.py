"""Fixtures of the shop's tests; the cart's and checkout's are in checkout_fixtures."""

from tests.catalogue.checkout_fixtures import shop  # noqa: F401
from tests.catalogue.placing_checks import after_placing  # noqa: F401
