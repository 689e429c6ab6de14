"""Seller center product pages, mounted at /seller/products/; every URL names the shop."""

from django.urls import path

from . import seller_bulk as bulk_views
from . import seller_views as views

app_name = "seller_products"

urlpatterns = [
    path("<slug:shop_slug>/", views.product_list, name="list"),
    path("<slug:shop_slug>/new/", views.product_create, name="create"),
    path("<slug:shop_slug>/<id:pk>/edit/", views.product_edit, name="edit"),
    path("<slug:shop_slug>/<id:pk>/publish/", views.product_publish, name="publish"),
    path("<slug:shop_slug>/<id:pk>/delist/", views.product_delist, name="delist"),
    path("<slug:shop_slug>/<id:pk>/stock/", views.product_stock, name="stock"),
    path("<slug:shop_slug>/<id:pk>/preview/", views.product_preview, name="preview"),
    path("<slug:shop_slug>/bulk/", bulk_views.bulk_table, name="bulk"),
]
