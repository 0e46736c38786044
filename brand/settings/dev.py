"""The local demo: DEBUG on, an SQLite file, e-mails printed to the console."""

import os

os.environ.setdefault("DEBUG", "yes")
os.environ.setdefault("SECRET_KEY", "bridgework-local-demo-only-not-for-production")

from .base import *  # noqa: F403
