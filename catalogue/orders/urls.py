from django.urls import path

from catalogue.orders import views

app_name = "catalogue_orders"

urlpatterns = [
    path("<str:token>/", views.status, name="status"),
    path("<str:token>/invoice.pdf", views.invoice, name="invoice"),
]
