from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BrandConfig(AppConfig):
    """The Wagtail site itself; composes every other app."""

    name = "brand"
    verbose_name = _("Brand site")

    def ready(self):
        from brand import (  # noqa: F401 - registers the checks and receivers
            cache_invalidation,
            checks,
            signals,
        )
