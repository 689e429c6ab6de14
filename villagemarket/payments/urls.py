from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("notify/sandbox/", views.sandbox_notify, name="notify_sandbox"),
    path("<uuid:public_id>/", views.pay, name="pay"),
    path("<uuid:public_id>/return/", views.payment_return, name="return"),
    path("<uuid:public_id>/status/", views.payment_status, name="status"),
]
