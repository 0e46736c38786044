"""Public Wagtail images stay public, but are checked for size and type by their content."""

import io

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PillowImage
from wagtail.images import get_image_model

from brand.roles import sync_roles
from tests.brand.builders import build_home

pytestmark = pytest.mark.django_db


def png_bytes(size=(40, 30)):
    buffer = io.BytesIO()
    PillowImage.new("RGB", size, (10, 90, 80)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def editor_client(client):
    build_home()
    user = User.objects.create_user("editor", password="x")
    user.groups.add(sync_roles()["editor"])
    client.force_login(user)
    return client


def add_image(client, name, data):
    return client.post(
        "/admin/images/multiple/add/",
        {"files[]": SimpleUploadedFile(name, data)},
        headers={"x-requested-with": "XMLHttpRequest"},
    )


def test_a_real_png_is_accepted(editor_client):
    response = add_image(editor_client, "loaf.png", png_bytes())

    assert response.json()["success"] is True
    assert get_image_model().objects.count() == 1


def test_a_file_that_only_claims_to_be_an_image_is_refused(editor_client):
    response = add_image(editor_client, "loaf.png", b"#!/bin/sh\necho not an image\n")

    assert response.json()["success"] is False
    assert response.json()["error_message"] == (
        "Upload a valid image. The file you uploaded was either not an image or a corrupted image."
    )
    assert get_image_model().objects.count() == 0


def test_an_image_over_the_size_limit_is_refused(editor_client, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 100

    response = add_image(editor_client, "loaf.png", png_bytes((400, 400)))

    assert response.json()["success"] is False
    assert response.json()["error_message"].startswith("This file is too big (")
    assert get_image_model().objects.count() == 0
