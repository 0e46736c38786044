"""Payslips in the back office (the *Payslips* menu): the runs with slips, a run's slips (progress,
downloads by workshop or for the whole prison, each worker's slip) and *Generate payslips*; the
screens are ``wages.payslips.views``. Also the private-file access hook and the log action."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem

from wages.payslips import views
from wages.payslips.access import payslip_file_access
from wages.payslips.generation import VIEW
from wages.payslips.tasks import after_posting

__all__ = ["after_posting", "menu_item", "payslip_file_access", "register_log_actions", "urls"]

NAMESPACE = views.NAMESPACE


class PayslipsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(VIEW)


def menu_item():
    return PayslipsMenuItem(
        _("Payslips"), reverse(f"{NAMESPACE}:index"), icon_name="doc-full", order=208
    )


def urls():
    patterns = [
        path("", views.RunsView.as_view(), name="index"),
        path("run/<int:pk>/", views.RunSlipsView.as_view(), name="run"),
        path("run/<int:pk>/generate/", views.generate, name="generate"),
        path("run/<int:pk>/prison.pdf", views.download_prison, name="prison_pdf"),
        path(
            "run/<int:pk>/workshop/<int:workshop>.pdf",
            views.download_workshop,
            name="workshop_pdf",
        ),
        path("<int:pk>.pdf", views.download_slip, name="slip_pdf"),
    ]
    return [path("wages/payslips/", include((patterns, NAMESPACE), namespace=NAMESPACE))]


def register_log_actions(actions):
    actions.register_action(
        "bridgework.payslips_generated", _("Generate payslips"), _("Payslips generated")
    )
