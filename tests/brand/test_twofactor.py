"""Two-factor sign-in: who must enrol, enrolment, the check at login, recovery codes, throttling,
and a password reset that does not skip the second factor."""

import base64
import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from brand.roles import sync_roles
from tests.brand.builders import build_home

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password-1"


def code_for(device, drift=0):
    return f"{totp(device.bin_key, step=30, digits=6, t0=0, drift=drift):06d}"


def staff(role):
    groups = sync_roles()
    user = User.objects.create_user(role, email=f"{role}@example.org", password=PASSWORD)
    user.groups.add(groups[role])
    return user


@pytest.fixture(autouse=True)
def site():
    build_home()


def sign_in(client, username, password=PASSWORD):
    return client.post("/admin/login/", {"username": username, "password": password})


@pytest.mark.parametrize("role", ["finance", "auditor", "programme", "admin"])
def test_roles_handling_money_records_or_users_must_enrol_at_first_login(client, role):
    staff(role)

    response = sign_in(client, role)
    dashboard = client.get("/admin/")

    assert response["Location"] == "/admin/"
    assert dashboard.status_code == 302
    assert dashboard["Location"] == "/admin/2fa/setup/?next=%2Fadmin%2F"
    assert client.get("/admin/pages/")["Location"] == "/admin/2fa/setup/?next=%2Fadmin%2Fpages%2F"


@pytest.mark.parametrize("role", ["supervisor", "editor", "fulfilment"])
def test_other_roles_reach_the_back_office_with_a_password(client, role):
    staff(role)
    sign_in(client, role)

    assert client.get("/admin/").status_code == 200


def test_enrolment_confirms_the_app_issues_ten_recovery_codes_and_shows_them_once(client):
    user = staff("finance")
    sign_in(client, "finance")
    page = client.get("/admin/2fa/setup/")
    device = TOTPDevice.objects.get(user=user)
    secret = re.search(r'data-secret="([A-Z2-7]+)"', page.content.decode()).group(1)

    wrong = client.post("/admin/2fa/setup/", {"token": "000000"})
    assert "That code is not right" in wrong.content.decode()
    assert TOTPDevice.objects.get(pk=device.pk).confirmed is False
    device.refresh_from_db()
    device.throttle_reset()  # as if the person waited the second a wrong code costs

    response = client.post("/admin/2fa/setup/", {"token": code_for(device), "next": "/admin/"})
    codes_page = client.get(response["Location"])
    again = client.get("/admin/2fa/recovery-codes/")

    assert response["Location"] == "/admin/2fa/recovery-codes/?next=/admin/"
    assert TOTPDevice.objects.get(pk=device.pk).confirmed is True
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", codes_page.content.decode())
    assert len(codes) == 10
    assert sorted(codes) == sorted(
        StaticToken.objects.filter(device__user=user).values_list("token", flat=True)
    )
    assert re.findall(r"<li><code>", again.content.decode()) == []  # shown only once
    assert "10 unused recovery codes" in again.content.decode()
    assert client.get("/admin/").status_code == 200
    # The key is on the page for apps that cannot scan: the device's own key, in base32.
    assert secret == base64.b32encode(device.bin_key).decode()


def enrolled(role):
    user = staff(role)
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    return user, device


def test_an_enrolled_user_passes_the_second_factor_at_each_login(client):
    _user, device = enrolled("auditor")
    sign_in(client, "auditor")

    assert client.get("/admin/")["Location"] == "/admin/2fa/verify/?next=%2Fadmin%2F"
    refused = client.post("/admin/2fa/verify/", {"token": "123456"})
    assert "That code is not right" in refused.content.decode()
    assert client.get("/admin/").status_code == 302

    device.refresh_from_db()
    device.throttle_reset()
    passed = client.post("/admin/2fa/verify/", {"token": code_for(device), "next": "/admin/pages/"})
    assert passed["Location"] == "/admin/pages/"
    assert client.get("/admin/").status_code == 200


def test_a_recovery_code_works_once(client):
    user, _device = enrolled("auditor")
    from brand.twofactor.views import _issue_recovery_codes

    code = _issue_recovery_codes(user)[0]
    sign_in(client, "auditor")

    assert client.post("/admin/2fa/verify/", {"token": code})["Location"] == "/admin/"
    assert StaticToken.objects.filter(device__user=user).count() == 9
    client.post("/admin/logout/")
    sign_in(client, "auditor")
    again = client.post("/admin/2fa/verify/", {"token": code})
    assert again.status_code == 200
    assert "That code is not right" in again.content.decode()


def test_wrong_codes_are_throttled(client):
    _user, device = enrolled("finance")
    sign_in(client, "finance")

    client.post("/admin/2fa/verify/", {"token": "111111"})
    throttled = client.post("/admin/2fa/verify/", {"token": code_for(device)})

    assert "Too many wrong codes. Try again after" in throttled.content.decode()
    assert client.get("/admin/").status_code == 302
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_the_verify_page_never_redirects_off_site(client):
    _user, device = enrolled("finance")
    sign_in(client, "finance")

    response = client.post(
        "/admin/2fa/verify/", {"token": code_for(device), "next": "https://evil.example/"}
    )

    assert response["Location"] == "/admin/"


def test_a_password_reset_does_not_skip_the_second_factor(client):
    enrolled("finance")

    client.post("/admin/password_reset/", {"email": "finance@example.org"})
    link = re.search(
        r"http://testserver(/admin/password_reset/confirm/\S+/)", mail.outbox[0].body
    ).group(1)
    form = client.get(link, follow=True)
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "another-long-password-2", "new_password2": "another-long-password-2"},
    )

    assert done["Location"] == "/admin/password_reset/complete/"
    assert client.get("/admin/")["Location"] == "/admin/login/?next=/admin/"
    sign_in(client, "finance", "another-long-password-2")
    assert client.get("/admin/")["Location"] == "/admin/2fa/verify/?next=%2Fadmin%2F"


def test_the_demo_can_switch_two_factor_off_and_the_login_page_says_so(client, settings):
    settings.BRIDGEWORK_REQUIRE_2FA = False
    staff("finance")

    login_page = client.get("/admin/login/").content.decode()
    sign_in(client, "finance")

    assert "Two-factor sign-in is switched off on this site (a local demo)." in login_page
    assert client.get("/admin/").status_code == 200


def test_the_login_page_says_nothing_when_two_factor_is_on(client):
    assert "Two-factor sign-in is switched off" not in client.get("/admin/login/").content.decode()


def test_an_administrator_resets_a_lost_second_factor(client, caplog):
    from django.contrib.sessions.models import Session

    from brand.twofactor.views import _issue_recovery_codes
    from core.testing.twofactor import login_with_second_factor

    person, _device = enrolled("finance")
    _issue_recovery_codes(person)
    sign_in(client, "finance")
    admin = User.objects.create_superuser("root", password=PASSWORD)
    admin_client = type(client)()
    login_with_second_factor(admin_client, admin)

    listing = admin_client.get("/admin/users/").content.decode()
    confirm = admin_client.get(f"/admin/2fa/reset/{person.pk}/")
    response = admin_client.post(f"/admin/2fa/reset/{person.pk}/")

    assert f"/admin/2fa/reset/{person.pk}/" in listing
    assert "Reset two-factor sign-in for finance" in confirm.content.decode()
    assert response["Location"] == "/admin/users/"
    assert not TOTPDevice.objects.filter(user=person).exists()
    assert not StaticToken.objects.filter(device__user=person).exists()
    assert client.get("/admin/")["Location"] == "/admin/login/?next=/admin/"  # signed out
    assert Session.objects.filter(session_key=admin_client.session.session_key).exists()
    sign_in(client, "finance")
    assert client.get("/admin/")["Location"] == "/admin/2fa/setup/?next=%2Fadmin%2F"


def test_only_those_who_may_change_users_can_reset_and_nothing_changes_otherwise(client):
    from core.testing.twofactor import login_with_second_factor

    person, _device = enrolled("auditor")
    login_with_second_factor(client, staff("programme"))

    response = client.post(f"/admin/2fa/reset/{person.pk}/")

    assert response["Location"] == "/admin/"
    assert TOTPDevice.objects.filter(user=person).count() == 1
