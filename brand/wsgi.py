"""WSGI entry point: ``gunicorn brand.wsgi`` (set DJANGO_SETTINGS_MODULE=brand.settings.production)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brand.settings.production")

application = get_wsgi_application()
