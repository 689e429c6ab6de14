from django.urls import path

from . import views

app_name = "orders"

urlpatterns = [
    path("", views.my_orders, name="mine"),
    path("<id:pk>/", views.order_detail, name="detail"),
    path("<id:pk>/cancel/", views.cancel, name="cancel"),
    path("<id:pk>/confirm/", views.confirm, name="confirm"),
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
