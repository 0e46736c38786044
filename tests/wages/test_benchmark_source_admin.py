"""A market wage benchmark without a source is refused in words by the admin form (the database
refuses it too, wages 0020), and nothing is saved."""

import pytest

from core.testing.twofactor import login_with_second_factor
from tests.brand.builders import build_home
from tests.compliance.office_builders import staff
from tests.workshops.builders import build_workshop
from wages.models import MarketWageBenchmark
from workshops.models import Region, Trade

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("source", ["", "   "])
def test_a_benchmark_without_a_source_is_refused_in_words(client, source):
    build_home()
    build_workshop()
    login_with_second_factor(client, staff("finance"))

    response = client.post(
        "/admin/wages/marketwagebenchmark/new/",
        {
            "trade": Trade.objects.get().pk,
            "region": Region.objects.get().pk,
            "hourly_0": "2.40",
            "hourly_1": "EUR",
            "source": source,
            "observed_on": "2026-01-15",
        },
    )

    assert response.status_code == 200
    assert "Say where the market wage comes from" in response.content.decode()
    assert not MarketWageBenchmark.objects.exists()
