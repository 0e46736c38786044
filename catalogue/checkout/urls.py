from django.urls import path

from catalogue.checkout import views

app_name = "catalogue_checkout"

urlpatterns = [
    path("", views.start, name="start"),
    path("done/<str:token>/", views.done, name="done"),
]
