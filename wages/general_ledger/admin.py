"""The general-ledger export's screen and menu entry; ``wages.wagtail_hooks`` registers them."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wages.general_ledger.views import GeneralLedgerView
from wages.ledger.admin import PermissionMenuItem
from wages.ledger.views import VIEW


def general_ledger_menu_item():
    return PermissionMenuItem(
        _("General-ledger export"),
        reverse("general_ledger_export"),
        icon_name="download",
        order=210,
        permission=VIEW,
    )


def urls():
    return [
        path("general-ledger/", GeneralLedgerView.as_view(), name="general_ledger_export"),
    ]
