"""Login throttling, the security log, and staff session limits."""

import json
import logging
import time

import pytest
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session

from brand.models import StaffSession
from brand.roles import sync_roles
from brand.sessions import LAST_ACTIVITY, STARTED
from core.security_log import pseudonym
from tests.brand.builders import build_home

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password-1"


@pytest.fixture(autouse=True)
def site():
    build_home()


@pytest.fixture
def editor():
    groups = sync_roles()
    user = User.objects.create_user("editor", password=PASSWORD)
    user.groups.add(groups["editor"])
    return user


def sign_in(client, username="editor", password=PASSWORD):
    return client.post("/admin/login/", {"username": username, "password": password})


def security_lines(caplog):
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == "bridgework.security"]


def test_five_wrong_passwords_lock_the_account_out_with_a_clear_message(client, editor):
    for _attempt in range(4):
        assert sign_in(client, password="wrong").status_code == 200

    fifth = sign_in(client, password="wrong")
    with_the_right_password = sign_in(client)

    for response in (fifth, with_the_right_password):
        assert response.status_code == 429
        assert (
            "Too many wrong passwords for this account. For your safety, try again in 15 minutes."
            in response.content.decode()
        )
    assert client.get("/admin/")["Location"] == "/admin/login/?next=/admin/"


def test_a_lock_out_is_per_account_and_a_success_clears_the_count(client, editor):
    User.objects.create_user("other", password=PASSWORD)
    for _attempt in range(4):
        sign_in(client, password="wrong")
    assert sign_in(client)["Location"] == "/admin/"  # the fifth try is right: the count resets
    client.post("/admin/logout/")
    for _attempt in range(4):
        sign_in(client, password="wrong")

    assert sign_in(client, "other").status_code == 302


def test_logins_and_refusals_are_logged_without_names_or_secrets(client, editor, caplog):
    caplog.set_level(logging.INFO, logger="bridgework.security")

    sign_in(client, password="wrong-secret")
    sign_in(client)
    client.get("/admin/users/")  # an editor may not manage users

    lines = security_lines(caplog)
    assert [line["event"] for line in lines] == [
        "login.failed",
        "login.succeeded",
        "authorisation.denied",
    ]
    assert lines[0] == {
        "event": "login.failed",
        "account": pseudonym("editor"),
        "method": "POST",
        "path": "/admin/login/",
    }
    assert lines[1]["user_id"] == editor.pk
    assert lines[2] == {
        "event": "authorisation.denied",
        "user_id": editor.pk,
        "method": "GET",
        "path": "/admin/users/",
        "status": 302,
    }
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "wrong-secret" not in text
    assert '"editor"' not in text


def test_a_login_gets_a_new_session_key(client, editor):
    client.get("/admin/login/")
    before = client.cookies["csrftoken"].value and client.session.session_key

    sign_in(client)

    assert client.session.session_key != before
    assert StaffSession.objects.get(user=editor).session_key == client.session.session_key


def age(client, **seconds_ago):
    session = client.session
    now = time.time()
    for key, ago in seconds_ago.items():
        session[key] = now - ago
    session.save()


def test_the_back_office_signs_out_after_thirty_idle_minutes(client, editor):
    sign_in(client)
    age(client, **{LAST_ACTIVITY: 31 * 60})

    response = client.get("/admin/pages/")

    assert response["Location"] == "/admin/login/?next=/admin/pages/"
    assert "_auth_user_id" not in client.session
    login_page = client.get(response["Location"]).content.decode()
    assert "You were signed out after 30 minutes without activity." in login_page


def test_background_pings_do_not_keep_an_idle_session_alive(client, editor):
    sign_in(client)
    age(client, **{LAST_ACTIVITY: 29 * 60})
    before = client.session[LAST_ACTIVITY]

    client.post("/admin/editing-sessions/ping/wagtailcore/page/1/0/")
    assert client.session[LAST_ACTIVITY] == before
    client.get("/admin/")
    assert client.session[LAST_ACTIVITY] > before


def test_a_session_ends_after_twelve_hours_even_when_busy(client, editor):
    sign_in(client)
    age(client, **{STARTED: 12 * 3600 + 1, LAST_ACTIVITY: 1})

    assert client.get("/admin/")["Location"] == "/admin/login/?next=/admin/"


def test_deactivating_a_user_ends_all_their_sessions(client, editor, django_user_model):
    from django.test import Client

    sign_in(client)
    second = Client()
    sign_in(second)
    assert Session.objects.count() == 2

    editor.is_active = False
    editor.save()

    assert Session.objects.count() == 0
    assert StaffSession.objects.count() == 0
    assert client.get("/admin/")["Location"] == "/admin/login/?next=/admin/"
    assert second.get("/admin/")["Location"] == "/admin/login/?next=/admin/"
