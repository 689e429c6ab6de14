from django.urls import path

from . import refund_views, views

app_name = "orders"

urlpatterns = [
    path("", views.my_orders, name="mine"),
    path("<id:pk>/", views.order_detail, name="detail"),
    path("<id:pk>/cancel/", views.cancel, name="cancel"),
    path("<id:pk>/confirm/", views.confirm, name="confirm"),
    path("<id:pk>/refund/", refund_views.ask_refund, name="ask_refund"),
    path("refunds/<id:refund_id>/", refund_views.refund_detail, name="refund"),
    path(
        "refunds/<id:refund_id>/<str:action>/",
        refund_views.refund_action,
        name="refund_action",
    ),
    path("refunds/failed/", refund_views.failed_refunds, name="failed_refunds"),
    path("disputes/", refund_views.dispute_list, name="disputes"),
    path("disputes/<id:dispute_id>/", refund_views.dispute_detail, name="dispute"),
    path("checkout/", views.checkout, name="checkout"),
    path("addresses/", views.addresses, name="addresses"),
    path(
        "addresses/<id:pk>/delete/",
        views.address_action,
        {"action": "delete"},
        name="address_delete",
    ),
    path(
        "addresses/<id:pk>/default/",
        views.address_action,
        {"action": "default"},
        name="address_default",
    ),
]
