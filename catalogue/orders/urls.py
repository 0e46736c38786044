from django.urls import path

from catalogue.orders import views

app_name = "catalogue_orders"

urlpatterns = [
    path("<str:token>/", views.status, name="status"),
]
