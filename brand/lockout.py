"""The page django-axes shows when a username is locked out after too many wrong passwords."""

from django.conf import settings
from django.shortcuts import render


def locked_out(request, response=None, credentials=None):
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "security/locked_out.html", {"cooloff_minutes": minutes}, status=429)
