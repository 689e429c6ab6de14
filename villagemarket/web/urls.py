from django.urls import path

from . import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    # Browsers ask for /favicon.ico on pages that do not link one (JSON, the admin's).
    path("favicon.ico", views.favicon),
    path("operator/", views.operator_dashboard, name="operator-dashboard"),
]
