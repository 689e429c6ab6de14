from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("notify/sandbox/", views.sandbox_notify, name="notify_sandbox"),
    path("notify/alipay/", views.provider_notify, {"provider": "alipay"}, name="notify_alipay"),
    path(
        "notify/wechatpay/",
        views.provider_notify,
        {"provider": "wechatpay"},
        name="notify_wechatpay",
    ),
    path("<uuid:public_id>/", views.pay, name="pay"),
    path("<uuid:public_id>/return/", views.payment_return, name="return"),
    path("<uuid:public_id>/status/", views.payment_status, name="status"),
]
