"""The role × URL permission matrix (permission_matrix.toml), walked in full.

Each entry is requested by every role; the answer must be the one the matrix states. A refused
answer carries none of the test objects' secret text, and a refused POST changes nothing; an entry's
``shows`` and ``hides`` name text a role's answer must and must not hold. Every URL
pattern of our own apps must appear in the matrix, so each new view has to be placed in it.
"""

import io
import re
import tomllib
from pathlib import Path

import openpyxl
import pytest
from django.db import transaction
from django.test import Client
from django.urls import get_resolver
from wagtail.admin.viewsets import viewsets

from tests.security.world import (
    IDENTITY_SECRETS,
    ROLES,
    SECRETS,
    SEES_IDENTITY,
    answer_of,
    build_world,
    client_for,
    snapshot,
)

MATRIX = tomllib.loads((Path(__file__).parent / "permission_matrix.toml").read_text())
ENTRIES = MATRIX["entry"]
REFUSED = {"login", "home", 403, 404}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OUR_APPS = ("brand", "core", "workshops", "wages", "catalogue", "compliance")

pytestmark = pytest.mark.django_db


def test_the_matrix_names_every_role_of_the_design():
    assert MATRIX["roles"] == ROLES
    assert all(len(entry["answers"]) == len(ROLES) for entry in ENTRIES)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module and kept: each request runs in a transaction rolled back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        built = build_world()
        yield built
        transaction.set_rollback(True)


def _with_ids(text: str, ids: dict) -> str:
    """``{name}`` of a test object replaced by its id; other braces (JSON in a field) kept."""
    return re.sub(r"\{(\w+)\}", lambda m: str(ids.get(m.group(1), m.group(0))), text)


def request(entry, world, role):
    client = client_for(Client, world, role)
    url = entry["path"].format(**world["ids"])
    if entry.get("method", "GET") == "POST":
        data = {
            _with_ids(key, world["ids"]): _with_ids(value, world["ids"])
            for key, value in entry.get("data", {}).items()
        }
        response = client.post(url, data)
    else:
        response = client.get(url)
    answer = answer_of(response)
    if answer == "language":  # a 404 outside /en/ is retried under /en/ by LocaleMiddleware
        response = client.get(response["Location"])
        answer = answer_of(response)
    return answer, response


def readable(response, body: bytes) -> str:
    """The answer's text; a spreadsheet's cells, one per line."""
    if response.get("Content-Type", "").startswith(XLSX):
        sheet = openpyxl.load_workbook(io.BytesIO(body), read_only=True).active
        return "\n".join(str(cell) for row in sheet.iter_rows(values_only=True) for cell in row)
    return body.decode(errors="replace")


@pytest.mark.parametrize(
    "entry", ENTRIES, ids=[f"{e.get('method', 'GET')} {e['path']}" for e in ENTRIES]
)
def test_every_role_gets_the_answer_the_matrix_states(entry, world):
    answers = {}
    for role, expected in zip(ROLES, entry["answers"], strict=True):
        with transaction.atomic():
            before = snapshot()
            answer, response = request(entry, world, role)
            answers[role] = answer
            body = b"".join(response.streaming_content) if response.streaming else response.content
            if role not in SEES_IDENTITY:
                shown = [secret for secret in IDENTITY_SECRETS if secret.encode() in body]
                assert shown == [], f"{role} saw a worker's identity: {shown}"
            text = readable(response, body)
            missing = [shown for shown in entry.get("shows", {}).get(role, []) if shown not in text]
            assert missing == [], f"{role} did not see {missing}"
            hidden = [shown for shown in entry.get("hides", {}).get(role, []) if shown in text]
            assert hidden == [], f"{role} saw {hidden}"
            if expected in REFUSED and answer == expected:
                leaked = [secret for secret in SECRETS if secret.encode() in body]
                assert leaked == [], f"{role} was refused but got {leaked}"
                assert snapshot() == before, f"{role} was refused but something changed"
            transaction.set_rollback(True)
    assert answers == dict(zip(ROLES, entry["answers"], strict=True))


def our_url_names():
    """Every named URL pattern of our apps: views in our packages, and our models' viewsets
    (snippets, their choosers and model viewsets)."""

    def walk(resolver, namespace=""):
        for pattern in resolver.url_patterns:
            if hasattr(pattern, "url_patterns"):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern, inner)
            else:
                module = getattr(pattern.callback, "__module__", "")
                yield f"{namespace}{pattern.name}", module

    our_viewsets = tuple(
        f"{viewset.name}:"
        for viewset in viewsets.viewsets
        if getattr(getattr(viewset, "model", None), "_meta", None)
        and viewset.model._meta.app_label in OUR_APPS
    )
    names = set()
    for name, module in walk(get_resolver()):
        ours_by_code = module.split(".")[0] in OUR_APPS
        ours_by_model = name.startswith(our_viewsets) or any(
            name.startswith((f"wagtailsnippets_{app}_", f"wagtailsnippetchoosers_{app}_"))
            for app in OUR_APPS
        )
        if ours_by_code or ours_by_model:
            names.add(name)
    return names


def test_every_url_of_our_apps_is_in_the_matrix():
    listed = {entry["name"] for entry in ENTRIES}

    missing = sorted(our_url_names() - listed)

    assert missing == [], f"add these views to tests/security/permission_matrix.toml: {missing}"


def test_the_matrix_size():
    """Reported in the closing note: URL entries × roles."""
    assert (len(ENTRIES), len(ROLES)) == (866, 9)
