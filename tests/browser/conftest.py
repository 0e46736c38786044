import pytest
from django.core.servers.basehttp import WSGIServer
from django.db import connection
from django.test.testcases import LiveServerThread


class OneRequestAtATime(WSGIServer):
    """Serves in the live server's own thread, which already uses the test's connections."""

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, **kwargs)


@pytest.fixture(scope="session", autouse=True)
def one_request_at_a_time_on_sqlite():
    """The live server shares the test's in-memory SQLite connection with its threads, so two
    requests at once (a page and its image, under load) interleave their savepoints on it and
    fail with "no such savepoint". On SQLite it serves one request at a time."""
    if connection.vendor != "sqlite":
        yield
        return
    threaded = LiveServerThread.server_class
    LiveServerThread.server_class = OneRequestAtATime
    yield
    LiveServerThread.server_class = threaded


@pytest.fixture
def demo(live_server, demo_database):
    """The seeded demo country served by a live server; its address."""
    return live_server.url
