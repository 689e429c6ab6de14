"""Seller pages for promotions (/seller/promotions/<shop_slug>/)."""

from django.urls import path

from . import seller_views as views

app_name = "seller_promotions"

urlpatterns = [
    path("<slug:shop_slug>/", views.promotion_list, name="list"),
    path("<slug:shop_slug>/coupons/new/", views.coupon_edit, name="coupon_new"),
    path("<slug:shop_slug>/coupons/<id:pk>/", views.coupon_edit, name="coupon_edit"),
    path("<slug:shop_slug>/spend-save/new/", views.spend_save_edit, name="spend_save_new"),
    path("<slug:shop_slug>/spend-save/<id:pk>/", views.spend_save_edit, name="spend_save_edit"),
    path("<slug:shop_slug>/sale-prices/new/", views.sale_price_edit, name="sale_price_new"),
    path("<slug:shop_slug>/sale-prices/<id:pk>/", views.sale_price_edit, name="sale_price_edit"),
    path("<slug:shop_slug>/<str:kind>/<id:pk>/end/", views.end, name="end"),
]
