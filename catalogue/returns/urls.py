from django.urls import path

from catalogue.returns import views

app_name = "catalogue_returns"

urlpatterns = [path("<str:token>/return/", views.ask, name="ask")]
