"""/moderation/: what anyone signed in may do (report content)."""

from django.urls import path

from . import views

app_name = "moderation"

urlpatterns = [path("report/<slug:kind>/<id:pk>/", views.report, name="report")]
