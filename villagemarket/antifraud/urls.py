from django.urls import path

from . import views

app_name = "antifraud"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("rules/", views.rule_settings, name="rules"),
]
