"""Settings come from the environment; production mode passes ``check --deploy``."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from brand.settings.env import env_bool, env_int, env_list, env_str

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args, env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "brand.settings.production",
    "SECRET_KEY": "k" * 20 + "production-only-secret-for-the-test-0123456789",
    "ALLOWED_HOSTS": "shop.example.org",
    "DATABASE_URL": "sqlite:///:memory:",
}


def test_env_bool_accepts_the_usual_words_and_refuses_others(monkeypatch):
    monkeypatch.setenv("FLAG", "Yes")
    assert env_bool("FLAG", False) is True
    monkeypatch.setenv("FLAG", "off")
    assert env_bool("FLAG", True) is False
    monkeypatch.delenv("FLAG")
    assert env_bool("FLAG", True) is True
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(
        ImproperlyConfigured, match="FLAG must be one of yes/no/true/false/1/0, not 'maybe'"
    ):
        env_bool("FLAG", False)


def test_env_list_int_and_str(monkeypatch):
    monkeypatch.setenv("HOSTS", " a.example, b.example ,,")
    assert env_list("HOSTS") == ["a.example", "b.example"]
    monkeypatch.setenv("COUNT", "12")
    assert env_int("COUNT", 1) == 12
    monkeypatch.setenv("COUNT", "twelve")
    with pytest.raises(ImproperlyConfigured, match="COUNT must be a whole number, not 'twelve'"):
        env_int("COUNT", 1)
    monkeypatch.delenv("MISSING", raising=False)
    with pytest.raises(ImproperlyConfigured, match="Set the environment variable MISSING"):
        env_str("MISSING")


def test_check_deploy_is_clean_in_production_mode():
    result = run_manage("check", "--deploy", "--fail-level", "DEBUG", env=PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (3 silenced)."


def test_check_deploy_fails_without_a_certificate_signing_key():
    env = {**PRODUCTION_ENV, "BRIDGEWORK_SIGNING_KEYS": "", "BRIDGEWORK_SIGNING_KEYS_FILE": ""}

    result = run_manage("check", "--deploy", env=env)

    assert result.returncode == 1
    assert (
        "(bridgework.E002) Certificates cannot be issued or verified: No signing key is "
        "configured" in result.stderr
    )


def test_check_deploy_fails_when_two_factor_sign_in_is_off_in_production():
    env = {**PRODUCTION_ENV, "BRIDGEWORK_REQUIRE_2FA": "no"}

    result = run_manage("check", "--deploy", env=env)

    assert result.returncode == 1
    assert (
        "(bridgework.E001) Two-factor sign-in for staff is switched off (BRIDGEWORK_REQUIRE_2FA=no)."
        in result.stderr
    )


def test_production_sends_the_security_headers():
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.test import Client; r = Client().get('/robots.txt', secure=True); "
        "print(r['Strict-Transport-Security']); print(r['X-Content-Type-Options']); "
        "print(r['Referrer-Policy']); print(r['X-Frame-Options']); "
        "print(r['Content-Security-Policy'])",
        env={**PRODUCTION_ENV, "ALLOWED_HOSTS": "testserver"},
    )

    assert result.returncode == 0, result.stderr
    *headers, csp = result.stdout.splitlines()
    assert headers == [
        "max-age=31536000; includeSubDomains; preload",
        "nosniff",
        "strict-origin-when-cross-origin",
        "SAMEORIGIN",
    ]
    assert sorted(csp.split("; ")) == [  # django-csp does not keep the directives' order
        "base-uri 'self'",
        "connect-src 'self'",
        "default-src 'self'",
        "font-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
        "frame-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
    ]


def test_production_refuses_to_start_without_a_real_secret_key():
    result = run_manage("check", env={**PRODUCTION_ENV, "SECRET_KEY": "short"})

    assert result.returncode == 1
    assert "SECRET_KEY must be set to at least 50 random characters in production." in result.stderr


def test_database_url_chooses_postgresql():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; d = settings.DATABASES['default']; "
        "print(d['ENGINE'], d['HOST'], d['PORT'], d['NAME'], d['USER'])",
        env={**PRODUCTION_ENV, "DATABASE_URL": "postgres://bw@db.internal:5433/bridgework"},
    )

    assert result.stdout.strip().splitlines()[-1] == (
        "django.db.backends.postgresql db.internal 5433 bridgework bw"
    )


def test_default_database_is_an_sqlite_file_beside_the_code():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; d = settings.DATABASES['default']; print(d['ENGINE'], d['NAME'])",
        env={"DJANGO_SETTINGS_MODULE": "brand.settings.dev"},
    )

    assert (
        result.stdout.strip().splitlines()[-1]
        == f"core.sqlite {ROOT / 'db.sqlite3'}"  # Django's SQLite backend, real parameter limit
    )


@pytest.mark.django_db
def test_migrations_match_the_models():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_languages_currency_and_tasks_come_from_the_environment():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.LANGUAGE_CODE, [c for c, _ in settings.LANGUAGES], "
        "settings.BRIDGEWORK_CURRENCY, settings.TASKS['default']['BACKEND'])",
        env={
            **PRODUCTION_ENV,
            "BRIDGEWORK_LANGUAGES": "kk,ru,en",
            "BRIDGEWORK_CURRENCY": "KZT",
            "TASKS_BACKEND": "database",
        },
    )

    assert result.stdout.strip().splitlines()[-1] == (
        "kk ['kk', 'ru', 'en'] KZT django_tasks_db.DatabaseBackend"
    )
