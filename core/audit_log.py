"""Which audit-log entries a member of staff reads, and Wagtail's site history report narrowed to
them.

Wagtail shows an entry to whoever holds any permission on its object's model
(``viewable_by_user``); it knows nothing of rows a user sees for some workshops only. An app
narrows the entries with the ``bridgework_visible_log_entries`` hook, ``fn(user, entries)``
returning ``entries`` filtered. Wagtail 8 has no hook for this: its report, the report's CSV and
XLSX exports and its filters' choices of users, types and actions each call ``viewable_by_user``.
So ``SiteHistoryView`` serves the report at Wagtail's own address (``brand.urls`` routes it before
the admin's patterns). A per-object history lists the entries of one object, found only when the
user may see it.
"""

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.urls import path
from django.views.decorators.cache import never_cache
from wagtail import hooks
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.reports.audit_logging import LogEntriesView, SiteHistoryReportFilterSet
from wagtail.log_actions import registry
from wagtail.utils.urlpatterns import decorate_urlpatterns

VISIBLE_LOG_ENTRIES = "bridgework_visible_log_entries"


def visible_log_entries(user, entries):
    """``entries`` (a queryset of one log model) narrowed by every app's hook."""
    for narrow in hooks.get_hooks(VISIBLE_LOG_ENTRIES):
        entries = narrow(user, entries)
    return entries


def _seen(user, method: str) -> set:
    """``method`` of ``LogEntryQuerySet`` (user ids, content type ids, actions) over every log
    model's entries that ``user`` reads."""
    found = set()
    for log_model in registry.get_log_entry_models():
        entries = visible_log_entries(user, log_model.objects.viewable_by_user(user))
        found |= getattr(entries, method)()
    return found


class SiteHistoryFilterSet(SiteHistoryReportFilterSet):
    """Offers the users, types and actions of the entries the user reads, no others."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        content_types = ContentType.objects.filter(
            pk__in=_seen(self.request.user, "get_content_type_ids")
        )
        self.filters["object_type"].queryset = content_types.order_by("model")

    def get_action_choices(self):
        actions = _seen(self.request.user, "get_actions")
        return [choice for choice in registry.get_choices() if choice[0] in actions]

    def get_users_queryset(self):
        User = get_user_model()
        users = User.objects.filter(pk__in=_seen(self.request.user, "get_user_ids"))
        return users.order_by(User.USERNAME_FIELD)


class SiteHistoryView(LogEntriesView):
    filterset_class = SiteHistoryFilterSet

    def filter_queryset(self, queryset):
        """Wagtail filters each log model's entries here before joining them (listing, results
        and exports alike): narrowed to those the user reads."""
        return visible_log_entries(self.request.user, super().filter_queryset(queryset))


site_history_urls = decorate_urlpatterns(
    decorate_urlpatterns(
        [
            path("", SiteHistoryView.as_view(), name="site_history"),
            path(
                "results/",
                SiteHistoryView.as_view(results_only=True),
                name="site_history_results",
            ),
        ],
        require_admin_access,
    ),
    never_cache,
)
