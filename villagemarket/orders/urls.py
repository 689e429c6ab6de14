from django.urls import path

from . import views

app_name = "orders"

urlpatterns = [
    path("", views.my_orders, name="mine"),
    path("<int:pk>/", views.order_detail, name="detail"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
    path("checkout/", views.checkout, name="checkout"),
    path("addresses/", views.addresses, name="addresses"),
    path(
        "addresses/<int:pk>/delete/",
        views.address_action,
        {"action": "delete"},
        name="address_delete",
    ),
    path(
        "addresses/<int:pk>/default/",
        views.address_action,
        {"action": "default"},
        name="address_default",
    ),
]
