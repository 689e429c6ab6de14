"""/operator/moderation/: the operators' queue, terms and settings."""

from django.urls import path

from . import views

app_name = "operator_moderation"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("<id:pk>/decide/", views.decide, name="decide"),
    path("terms/", views.terms, name="terms"),
    path("terms/<id:pk>/", views.term_edit, name="term"),
    path("terms/<id:pk>/delete/", views.term_delete, name="term_delete"),
    path("settings/", views.settings_edit, name="settings"),
]
