"""The buyer's credit notes, under their order's address: ``/<lang>/orders/<token>/credit-notes/
<number>.pdf`` (``catalogue.urls`` mounts it)."""

from django.urls import path

from catalogue.refunds import views

app_name = "catalogue_refunds"

urlpatterns = [
    path("<str:number>.pdf", views.credit_note, name="credit_note"),
]
