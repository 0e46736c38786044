"""Fixtures of the cart's, checkout's and pricing's tests (``checkout_fixtures``): their ``shop``
is a shop with stock, tax classes and shipping zones, not the browsing tests' page tree."""

from tests.catalogue.checkout_fixtures import shop  # noqa: F401
from tests.catalogue.placing_checks import after_placing  # noqa: F401
