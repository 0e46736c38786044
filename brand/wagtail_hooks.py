"""Back-office screens of the brand site, registered with Wagtail."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from brand.models import BrandText
from brand.twofactor import views as twofactor_views


class BrandTextViewSet(SnippetViewSet):
    model = BrandText
    icon = "openquote"
    menu_label = _("Brand texts")
    add_to_settings_menu = True
    list_display = ["tagline", "locale"]


register_snippet(BrandTextViewSet)


@hooks.register("construct_reports_menu")
def hide_translations_report_from_non_translators(request, menu_items):
    """wagtail-localize shows its Translations report to every staff user; only those who may
    translate (brand editors, programme managers, administrators) use it."""
    if not request.user.has_perm("wagtail_localize.submit_translation"):
        menu_items[:] = [item for item in menu_items if item.name != "translations"]


@hooks.register("register_admin_urls")
def register_two_factor_urls():
    return [
        path("2fa/setup/", twofactor_views.setup, name="twofactor_setup"),
        path("2fa/verify/", twofactor_views.verify, name="twofactor_verify"),
        path(
            "2fa/recovery-codes/", twofactor_views.recovery_codes, name="twofactor_recovery_codes"
        ),
    ]
