import pytest

from brand.demo.seed import SIZES, seed


@pytest.fixture
def demo(live_server):
    """The seeded demo country served by a live server; its address."""
    seed(SIZES["small"], progress=lambda label: None)
    return live_server.url
