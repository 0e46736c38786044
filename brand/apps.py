from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BrandConfig(AppConfig):
    """The Wagtail site itself; composes every other app."""

    name = "brand"
    verbose_name = _("Brand site")

    def ready(self):
        from brand import checks, signals  # noqa: F401 - registers the checks and receivers
