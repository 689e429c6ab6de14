"""Buyer pages: my coupons (/coupons/) and claiming one (from a shop or product page)."""

from django.urls import path

from . import views

app_name = "promotions"

urlpatterns = [
    path("", views.my_coupons, name="mine"),
    path("claim/<id:coupon_id>/", views.claim, name="claim"),
    path("shops/<id:shop_id>/", views.shop_coupons, name="shop_coupons"),
]
