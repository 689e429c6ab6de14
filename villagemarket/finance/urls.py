from django.urls import path

from villagemarket.finance import views

app_name = "finance"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("daily.csv", views.export_csv, name="export"),
    path("reconciliation/", views.reconciliation, name="reconciliation"),
]
