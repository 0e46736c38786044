"""ASGI entry point (set DJANGO_SETTINGS_MODULE=brand.settings.production)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brand.settings.production")

application = get_asgi_application()
