from django.urls import path

from catalogue.quotes import views

app_name = "catalogue_quotes"

urlpatterns = [
    path("request/", views.request_form, name="request"),
    path("<str:token>/", views.quote, name="quote"),
    path("<str:token>/quote.pdf", views.pdf, name="pdf"),
    path("<str:token>/accept/", views.accept, name="accept"),
    path("<str:token>/decline/", views.decline, name="decline"),
]
