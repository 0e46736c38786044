"""Back-office forms of the brand site."""

from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm

from core.formatting import format_day


def consent_label(consent) -> str:
    """What an editor choosing a story's consent needs: the name chosen in it, its state and its
    dates; never the worker's reference or legal name."""
    name = consent.chosen_name or _("no name (anonymous)")
    signed = format_day(consent.signed_on)
    if consent.withdrawn_on:
        state = _("withdrawn on %(day)s") % {"day": format_day(consent.withdrawn_on)}
    else:
        state = _("valid")
    return _("“%(name)s” · signed on %(signed)s · %(state)s") % {
        "name": name,
        "signed": signed,
        "state": state,
    }


class StoryPageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "consent" in self.fields:
            self.fields["consent"].label_from_instance = consent_label
