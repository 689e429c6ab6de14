from django.urls import path

from . import refund_views
from . import seller_views as views

app_name = "seller_orders"

urlpatterns = [
    path("<slug:shop_slug>/", views.order_list, name="list"),
    path("<slug:shop_slug>/export.csv", views.export_csv, name="export"),
    path("<slug:shop_slug>/batch-ship/", views.batch_ship, name="batch_ship"),
    path("<slug:shop_slug>/<id:pk>/", views.order_detail, name="detail"),
    path(
        "<slug:shop_slug>/refunds/<id:refund_id>/",
        refund_views.seller_refund,
        name="refund",
    ),
    path(
        "<slug:shop_slug>/refunds/<id:refund_id>/<str:action>/",
        refund_views.seller_refund_action,
        name="refund_action",
    ),
    path("<slug:shop_slug>/<id:pk>/slip/", views.packing_slip, name="slip"),
    path("<slug:shop_slug>/<id:pk>/ship/", views.ship, name="ship"),
    path("<slug:shop_slug>/<id:pk>/extend/", views.extend, name="extend"),
]
