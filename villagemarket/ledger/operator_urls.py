from django.urls import path

from . import operator_views as views

app_name = "operator_payouts"

urlpatterns = [
    path("", views.payout_list, name="list"),
    path("batches/", views.create_batch, name="create"),
    path("batches/<id:pk>/", views.batch_detail, name="batch"),
    path("batches/<id:pk>/payout-batch.csv", views.batch_csv, name="csv"),
    path("batches/<id:pk>/paid/", views.mark_paid, name="paid"),
    path("batches/<id:pk>/cancel/", views.cancel, name="cancel"),
    path("batches/<id:pk>/remove/<id:withdrawal_id>/", views.remove, name="remove"),
]
