"""Back-office screens of the brand site, registered with Wagtail."""

from django.db.models import Q, Subquery
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django_otp import user_has_device
from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.models import Page
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from brand.dashboard import waiting_panels
from brand.impact.tasks import recompute_after_commit
from brand.models import BrandText, StoryPage
from brand.twofactor import views as twofactor_views
from wages.payruns.posting import PAY_RUN_POSTED
from workshops.register.consents import STORY_CONSENT_WITHDRAWN
from workshops.training.certificates import CERTIFICATES_CHANGED


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


@hooks.register("construct_homepage_panels")
def show_what_waits(request, panels):
    panels[:0] = waiting_panels(request.user)


@hooks.register("construct_help_menu")
def keep_help_about_this_site(request, menu_items):
    """Staff work in Bridgework, not in Wagtail: the help menu keeps the keyboard shortcuts and
    drops the links to Wagtail's editor guide and its release notes."""
    menu_items[:] = [
        item
        for item in menu_items
        if item.name != "editor-guide" and not item.name.startswith("whats-new-in-wagtail")
    ]


@hooks.register("register_admin_urls")
def register_two_factor_urls():
    return [
        path("2fa/setup/", twofactor_views.setup, name="twofactor_setup"),
        path("2fa/verify/", twofactor_views.verify, name="twofactor_verify"),
        path(
            "2fa/recovery-codes/", twofactor_views.recovery_codes, name="twofactor_recovery_codes"
        ),
        path("2fa/reset/<int:user_id>/", twofactor_views.reset, name="twofactor_reset"),
    ]


@hooks.register("register_user_listing_buttons")
def reset_two_factor_button(user, request_user):
    """ "Reset two-factor sign-in" in the users list, for those who may change users."""
    if not request_user.has_perm("auth.change_user") or not user_has_device(user, confirmed=None):
        return []
    if user.is_superuser and not request_user.is_superuser:
        return []
    return [
        Button(
            _("Reset two-factor sign-in"),
            reverse("twofactor_reset", args=[user.pk]),
            icon_name="key",
            priority=50,
        )
    ]


@hooks.register(STORY_CONSENT_WITHDRAWN)
def unpublish_stories_of_a_withdrawn_consent(consent, user=None):
    """The person withdrew their story consent: every story naming it, every translation of
    those stories and every alias of them goes offline now (each unpublish is audit-logged)."""
    stories = StoryPage.objects.filter(consent=consent)
    pages = Page.objects.live().filter(
        Q(translation_key__in=Subquery(stories.values("translation_key")))
        | Q(alias_of__in=Subquery(stories.values("pk")))
    )
    for page in pages.specific():
        page.unpublish(user=user)


@hooks.register(PAY_RUN_POSTED)
@hooks.register(CERTIFICATES_CHANGED)
def recompute_the_impact_figures(user=None, **changed):
    """Wages paid and certificates issued are on the impact page: recomputed once the posting
    or the certificate's transaction commits."""
    recompute_after_commit()
