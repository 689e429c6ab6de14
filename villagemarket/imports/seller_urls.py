"""Seller center import/export pages, mounted at /seller/imports/; every URL names the shop."""

from django.urls import path

from . import views

app_name = "seller_imports"

urlpatterns = [
    path("<slug:shop_slug>/", views.job_list, name="list"),
    path("<slug:shop_slug>/jobs/<id:pk>/", views.job_detail, name="job"),
    path("<slug:shop_slug>/export.<str:file_format>", views.export, name="export"),
    path("<slug:shop_slug>/template.<str:file_format>", views.template, name="template"),
]
