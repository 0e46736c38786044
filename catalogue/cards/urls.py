from django.urls import path

from catalogue.cards import views

app_name = "catalogue_cards"

urlpatterns = [
    path("<str:token>/", views.choices, name="choices"),
    path("<str:token>/pay/", views.pay, name="pay"),
    path("<str:token>/paid/", views.paid, name="paid"),
    path("<str:token>/invoice/", views.switch, name="switch"),
]
