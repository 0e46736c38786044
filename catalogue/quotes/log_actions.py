"""The audit log's words for what happens to quotes, and which staff read their PDFs."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from catalogue.quotes.documents import PURPOSE


def register_log_actions(actions):
    for action, label, message in (
        ("requested", _("Ask for a quote"), _("Quote requested")),
        ("priced", _("Price a quote"), _("Quote priced")),
        ("sent", _("Send a quote"), _("Quote sent")),
        ("accepted", _("Accept a quote"), _("Quote accepted")),
        ("declined", _("Decline a quote"), _("Quote declined")),
        ("expired", _("Expire a quote"), _("Quote expired")),
        ("withdrawn", _("Withdraw a quote"), _("Quote withdrawn")),
    ):
        actions.register_action(f"bridgework.quote_{action}", label, message)


def quote_file_access(user) -> Q | None:
    """Staff who read quotes read their PDFs (core.private_files)."""
    if user.has_perm("catalogue.view_quote"):
        return Q(purpose=PURPOSE)
    return None
