"""Back-office forms of the brand site."""

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm


def consent_label(consent) -> str:
    """What an editor choosing a story's consent needs: the name chosen in it, its state and its
    dates; never the worker's reference or legal name."""
    name = consent.chosen_name or _("no name (anonymous)")
    signed = date_format(consent.signed_on, "SHORT_DATE_FORMAT")
    if consent.withdrawn_on:
        state = _("withdrawn on %(day)s") % {
            "day": date_format(consent.withdrawn_on, "SHORT_DATE_FORMAT")
        }
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
