"""Return requests in the back office (*Orders → Returns*), for order fulfilment (auditors and
finance read them): the listing, filtered by state and searched by order number or buyer; each
return's page with its lines, the decision, the order and the audit log, and, while it is
requested, the forms to **accept** (per line: how many units are taken back and whether they go
back in stock) or **refuse** (with a reason). Each decision is a POST calling
``catalogue.returns.operations``; a refusal comes back as a message and changes nothing."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.auth import permission_denied
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.models import ModelLogEntry
from wagtail.permission_policies import ModelPermissionPolicy

from catalogue.models import ReturnLine, ReturnRequest
from catalogue.returns import operations
from catalogue.returns.refunding import refund_return
from catalogue.viewsets import CatalogueRecordViewSet
from core.columns import DateColumn
from workshops.views import PermissionCheckedView

NAMESPACE = "catalogue_returnrequest"


class DecisionPolicy(ModelPermissionPolicy):
    """Return permissions named by their codename: ``"decide_return"``."""

    def _get_permission_codename(self, action):
        return action


decision_policy = DecisionPolicy(ReturnRequest)


class AcceptForm(forms.Form):
    """Per line of the return, the units taken back (all asked, to begin with) and whether they
    go back in stock (yes, unless the buyer said they arrived damaged)."""

    def __init__(self, data=None, *, return_request: ReturnRequest, lines: list[ReturnLine]):
        super().__init__(data, prefix="accept")
        damaged = return_request.reason == ReturnRequest.Reason.DAMAGED
        self.pairs = []
        for line in lines:
            quantity, restock = f"quantity_{line.order_line_id}", f"restock_{line.order_line_id}"
            self.fields[quantity] = forms.IntegerField(
                label=_("%(item)s: units taken back") % {"item": line.order_line.description},
                min_value=0,
                max_value=line.quantity,
                initial=line.quantity,
                help_text=_("Asked: %(asked)s.") % {"asked": line.quantity},
            )
            self.fields[restock] = forms.BooleanField(
                label=_("Back in stock"), required=False, initial=not damaged
            )
            self.pairs.append((line.order_line_id, quantity, restock))

    def decided(self) -> list[tuple[int, int, bool]]:
        data = self.cleaned_data
        return [
            (line_id, data[quantity], data[restock]) for line_id, quantity, restock in self.pairs
        ]


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is refused"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The buyer reads it in their e-mail."),
    )

    def __init__(self, data=None):
        super().__init__(data, prefix="refuse")


def _lines(return_request: ReturnRequest) -> list[ReturnLine]:
    return list(return_request.lines.select_related("order_line__sku"))


class InspectView(generic.InspectView):
    template_name = "catalogue/admin/return_inspect.html"

    def get_object(self, queryset=None):
        return get_object_or_404(
            ReturnRequest.objects.select_related("order", "decided_by", "refund__credit_note"),
            pk=self.pk,
        )

    def get_page_subtitle(self):
        return str(self.object)

    def get_fields(self):
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        return_request, user = self.object, self.request.user
        lines = _lines(return_request)
        may_decide = return_request.state == ReturnRequest.State.REQUESTED and user.has_perm(
            operations.DECIDE
        )
        context |= {
            "return": return_request,
            "order": return_request.order,
            "lines": lines,
            "may_decide": may_decide,
            "may_refund": return_request.state == ReturnRequest.State.ACCEPTED
            and user.has_perm(operations.DECIDE)
            and user.has_perm("catalogue.refund_order"),
            "accept_form": AcceptForm(return_request=return_request, lines=lines),
            "refuse_form": RefuseForm(),
            "log_entries": ModelLogEntry.objects.for_instance(return_request)
            .select_related("user")
            .order_by("timestamp", "pk"),
        }
        return context


class DecisionView(PermissionCheckedView):
    """Accept or refuse a return, by POST only, for those who may decide returns."""

    permission_policy = decision_policy
    permission_required = "decide_return"
    decision = ""

    def handle(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        return_request = get_object_or_404(ReturnRequest.objects.select_related("order"), pk=pk)
        if self.decision == "accept":
            form = AcceptForm(
                request.POST, return_request=return_request, lines=_lines(return_request)
            )
        else:
            form = RefuseForm(request.POST)
        if not form.is_valid():
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                for error in errors:
                    messages.error(request, f"{label}: {error}" if label else error)
            return redirect(f"{NAMESPACE}:inspect", pk)
        try:
            if self.decision == "accept":
                operations.accept_return(return_request, user=request.user, lines=form.decided())
                done = _("Return accepted: the buyer is told by e-mail.")
                messages.success(request, done)
                # Accepting leads to the refund, outside the decision's transaction (a card
                # refund asks Stripe); if it cannot be made now, the return's page offers it.
                _refunded(request, return_request)
                return redirect(f"{NAMESPACE}:inspect", pk)
            else:
                operations.refuse_return(
                    return_request, user=request.user, reason=form.cleaned_data["reason"]
                )
                done = _("Return refused: the buyer is told by e-mail.")
        except PermissionDenied:
            return permission_denied(request)
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
        else:
            messages.success(request, done)
        return redirect(f"{NAMESPACE}:inspect", pk)


def _refunded(request, return_request: ReturnRequest) -> None:
    try:
        refund = refund_return(return_request, user=request.user)
    except PermissionDenied:
        messages.warning(request, _("Someone who may refund orders makes the refund."))
        return
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        return
    if refund.status == refund.Status.SUCCEEDED:
        messages.success(
            request,
            _("Refunded: credit note %(number)s.") % {"number": refund.credit_note.number},
        )
    else:
        messages.error(
            request,
            _("The refund was not made: %(failure)s Refund the return again from its page.")
            % {"failure": refund.failure or ""},
        )


class RefundView(PermissionCheckedView):
    """Refund an accepted return (again, after a refund the card provider refused), by POST."""

    permission_policy = decision_policy
    permission_required = "decide_return"

    def handle(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        return_request = get_object_or_404(ReturnRequest, pk=pk)
        _refunded(request, return_request)
        return redirect(f"{NAMESPACE}:inspect", pk)


def order_buyer(return_request: ReturnRequest) -> str:
    return return_request.order.name


class ReturnRequestViewSet(CatalogueRecordViewSet):
    model = ReturnRequest
    icon = "rotate"
    menu_label = _("Returns")
    inspect_view_class = InspectView
    list_filter = ["state"]
    list_display = [
        TitleColumn("id", label=_("Return"), url_name=f"{NAMESPACE}:inspect"),
        TitleColumn(
            "order", label=_("Order"), url_name="catalogue_order:inspect", id_accessor="order_id"
        ),
        DateColumn("requested_at", label=_("Asked")),
        Column("buyer", label=_("Buyer"), accessor=order_buyer),
        "reason",
        "state",
    ]
    list_export = ["id", "order", "requested_at", "order.name", "reason", "details", "state"]
    search_fields = ["order__number", "order__name", "order__email"]

    def get_queryset(self, request):
        return ReturnRequest.objects.select_related("order")

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/accept/", DecisionView.as_view(decision="accept"), name="accept"),
            path("<int:pk>/refuse/", DecisionView.as_view(decision="refuse"), name="refuse"),
            path("<int:pk>/refund/", RefundView.as_view(), name="refund"),
        ]


LOG_ACTIONS = (
    ("return_requested", _("Ask for a return"), _("Return asked")),
    ("return_accepted", _("Accept a return"), _("Return accepted")),
    ("return_refused", _("Refuse a return"), _("Return refused")),
    ("return_refunded", _("Record a return's refund"), _("Return refunded")),
)
