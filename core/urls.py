from django.urls import path

from core import views

urlpatterns = [
    path("<uuid:file_id>/", views.serve_private_file, name="private_file"),
]
