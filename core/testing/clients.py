"""Test clients as the site meets its visitors."""

from django.test import Client


def client_with_session(**values) -> Client:
    """A visitor whose browser carries a session (a cart, a checkout): the page cache never
    serves them, so they see every page cold (core.page_cache)."""
    client = Client()
    session = client.session
    session.update(values or {"cart": {}})
    session.save()
    return client
